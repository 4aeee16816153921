"""Finding and booking personal assistants, for parents and carers. Families see vetted PAs
who are in date and not hidden, their distance (never their address), skills and rate."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.postcodes import PostcodeError, locate
from shortbreaks.core.roles import Role
from shortbreaks.families.models import Family
from shortbreaks.families.selectors.access import children_of_carer

from ..forms import RequestForm, SearchForm
from ..models import AssistantBooking, Timesheet
from ..selectors import search, skills_for_child, visible_to_families
from ..services import booking_cancel, booking_request, timesheet_decide


def _children(request):
    return list(children_of_carer(user=request.user, authority=request.authority).prefetch_related("needs"))


def _home_place(request):
    family = Family.objects.filter(authority=request.authority, carers__user=request.user).first()
    try:
        return locate(family.home_postcode) if family and family.home_postcode else None
    except PostcodeError:
        return None


@roles(Role.PARENT)
def find(request):
    children = _children(request)
    data = request.GET.copy() if request.GET else None
    if data is not None and "skills" not in data and data.get("child"):
        child = next((c for c in children if str(c.pk) == data["child"]), None)
        if child:  # first search for a child: suggest the skills their needs call for
            data.setlist("skills", skills_for_child(child))
    form = SearchForm(data, children=children)
    matches = None
    if data is not None and form.is_valid():
        place = form.cleaned_data["postcode"] or _home_place(request)
        matches = search(
            authority=request.authority,
            today=timezone.localdate(),
            skills=form.cleaned_data["skills"],
            place=place,
            day=form.cleaned_data["day"],
            part=form.cleaned_data["part"] or None,
        )
    return render(request, "assistants/find.html", {"form": form, "matches": matches})


@roles(Role.PARENT)
def detail(request, assistant_id):
    assistant = get_object_or_404(
        visible_to_families(authority=request.authority, today=timezone.localdate()).prefetch_related(
            "skills", "availability", "training"
        ),
        pk=assistant_id,
    )
    children = _children(request)
    form = RequestForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = next(c for c in children if str(c.pk) == data["child"])
        try:
            booking_request(
                assistant=assistant,
                child=child,
                requested_by=request.user,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                message=data["message"],
                idempotency_key=data["idempotency_key"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"We have asked {assistant}. The cost is set aside in {child.first_name}'s budget until they answer.",
            )
            return redirect("assistants:family-bookings")
    return render(request, "assistants/detail.html", {"assistant": assistant, "form": form})


@roles(Role.PARENT)
def family_bookings(request):
    bookings = (
        AssistantBooking.objects.filter(child__in=_children(request))
        .select_related("assistant", "child", "timesheet")
        .order_by("-date")
    )
    return render(request, "assistants/family_bookings.html", {"bookings": bookings})


@roles(Role.PARENT)
def family_booking(request, pa_booking_id):
    booking = get_object_or_404(
        AssistantBooking.objects.select_related("assistant", "child"), pk=pa_booking_id, child__in=_children(request)
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                booking_cancel(booking=booking, cancelled_by=request.user)
                messages.success(request, "Cancelled: the money is back in the budget.")
            elif request.POST.get("action") in ("approve", "query"):
                timesheet = get_object_or_404(Timesheet, booking=booking)
                timesheet_decide(
                    timesheet=timesheet,
                    decided_by=request.user,
                    approve=request.POST.get("action") == "approve",
                    reason=request.POST.get("reason", "")[:500],
                )
                messages.success(
                    request,
                    "Approved and paid from the budget."
                    if request.POST.get("action") == "approve"
                    else "Your query is sent to the PA.",
                )
        except ServiceError as error:
            messages.error(request, error.message)
    return redirect("assistants:family-bookings")
