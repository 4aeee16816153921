"""A personal assistant's own pages: their profile, checks, requests and timesheets. A PA sees
a child's first name and age; their care needs only where the family agreed to share them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.postcodes import PostcodeError
from shortbreaks.core.roles import Role

from ..forms import (
    AnswerForm,
    BookingActionForm,
    ProfileForm,
    ReferenceForm,
    SubmitForVettingForm,
    TimesheetForm,
    TrainingForm,
)
from ..models import AssistantBooking, Training
from ..selectors import checks_due
from ..services import (
    booking_answer,
    profile_for,
    profile_update,
    reference_add,
    submit_for_vetting,
    timesheet_submit,
    training_record,
)


def _mine(request):
    return profile_for(user=request.user, authority=request.authority)


@roles(Role.PERSONAL_ASSISTANT)
def home(request):
    """The PA's own home, for them alone: their status, checks, requests and timesheets, and the
    button asking to be vetted. If it cannot be sent the page comes back with the reason."""
    assistant = _mine(request)
    if request.method != "POST":
        return _home_page(request, assistant)
    form = SubmitForVettingForm(request.POST)
    if form.is_valid():
        try:
            submit_for_vetting(assistant=assistant, submitted_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Sent: an officer will check your DBS, training and references.")
            return redirect("assistants:home")
    return _home_page(request, assistant, failed=form, status=400)


def _open_bookings(assistant):
    return assistant.bookings.filter(
        status__in=[AssistantBooking.Status.REQUESTED, AssistantBooking.Status.ACCEPTED]
    ).order_by("date", "starts_at")


def _home_page(request, assistant, failed=None, status=200):
    """The PA's home; `failed` is a timesheet that could not be sent, shown again in its row
    with what was typed and the error summary."""
    bookings = _open_bookings(assistant).select_related("child__family", "timesheet").prefetch_related("child__needs")
    return render(
        request,
        "assistants/home.html",
        {
            "assistant": assistant,
            "due": checks_due(assistant, timezone.localdate()),
            "bookings": bookings,
            "today": timezone.localdate(),
            "failed": failed,
            "failed_row": getattr(failed, "row_id", ""),
        },
        status=status,
    )


@roles(Role.PERSONAL_ASSISTANT)
def profile(request):
    assistant = _mine(request)
    initial = {
        "display_name": assistant.display_name,
        "about": assistant.about,
        "postcode": assistant.postcode,
        "travel_miles": assistant.travel_miles,
        "hourly_rate": assistant.hourly_rate,
        "hidden": assistant.hidden,
        "dbs_certificate": assistant.dbs_certificate,
        "dbs_issued_on": assistant.dbs_issued_on,
        "skills": list(assistant.skills.values_list("skill", flat=True)),
        "slots": [f"{a.day}-{a.part}" for a in assistant.availability.all()],
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_update(
                assistant=assistant,
                updated_by=request.user,
                display_name=data["display_name"],
                about=data["about"],
                postcode=data["postcode"],
                travel_km=form.travel_km(),
                hourly_rate=data["hourly_rate"],
                skills=data["skills"],
                slots=form.slot_pairs(),
                hidden=data["hidden"],
                dbs_certificate=data["dbs_certificate"],
                dbs_issued_on=data["dbs_issued_on"],
            )
        except (ServiceError, PostcodeError) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("assistants:home")
    return render(request, "assistants/profile.html", {"form": form, "assistant": assistant})


@roles(Role.PERSONAL_ASSISTANT)
def training(request, training_id=None):
    assistant = _mine(request)
    existing = get_object_or_404(Training, pk=training_id, assistant=assistant) if training_id else None
    initial = (
        {
            "course": existing.course,
            "skill": existing.skill,
            "completed_on": existing.completed_on,
            "expires_on": existing.expires_on,
        }
        if existing
        else None
    )
    form = TrainingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            training_record(assistant=assistant, recorded_by=request.user, training=existing, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Training recorded.")
            return redirect("assistants:home")
    return render(
        request,
        "assistants/form.html",
        {
            "form": form,
            "title": f"Renew {existing.course}" if existing else "Add training",
            "button": "Save the training",
        },
    )


@roles(Role.PERSONAL_ASSISTANT)
def reference(request):
    assistant = _mine(request)
    form = ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reference_add(assistant=assistant, added_by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Referee added. The officer will contact them when they vet you.")
            return redirect("assistants:home")
    return render(
        request, "assistants/form.html", {"form": form, "title": "Add a referee", "button": "Add the referee"}
    )


@roles(Role.PERSONAL_ASSISTANT)
def booking(request, pa_booking_id):
    """The PA's own booking (another's is not found): accept or decline a request, or send the
    timesheet for one worked. If it cannot be done, the home page comes back with what was typed."""
    assistant = _mine(request)
    booking = get_object_or_404(AssistantBooking, pk=pa_booking_id, assistant=assistant)
    if request.method != "POST":
        return redirect("assistants:home")
    if BookingActionForm(request.POST).is_timesheet():
        return _timesheet(request, assistant, booking)
    form = AnswerForm(request.POST, bookings=_open_bookings(assistant).filter(pk=booking.pk))
    if form.is_valid():
        try:
            booking_answer(
                booking=booking,
                answered_by=request.user,
                accept=form.cleaned_data["action"] == "accept",
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your answer is sent to the family.")
            return redirect("assistants:home")
    return _home_page(request, assistant, failed=form, status=400)


def _timesheet(request, assistant, booking):
    form = TimesheetForm(request.POST, bookings=_open_bookings(assistant).filter(pk=booking.pk))
    if form.is_valid():
        try:
            timesheet_submit(
                booking=booking,
                submitted_by=request.user,
                hours=form.cleaned_data["hours"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Timesheet sent to the family to approve.")
            return redirect("assistants:home")
    return _home_page(request, assistant, failed=form, status=400)
