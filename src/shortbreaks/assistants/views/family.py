"""Finding and booking personal assistants, for parents and carers. Families see vetted PAs
who are in date and not hidden, their distance in miles (never their address), skills and
rate. Every form shows again with what was typed and the reason when it cannot be done."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import NotAllowed, ServiceError
from shortbreaks.core.idempotency import new_key
from shortbreaks.core.postcodes import PostcodeError, locate
from shortbreaks.core.roles import Role
from shortbreaks.families.models import Carer
from shortbreaks.families.selectors.access import children_of_carer

from ..forms import CancelForm, DecideForm, RequestForm, SearchForm
from ..models import AssistantBooking, Skill, Timesheet
from ..selectors import family_bookings as bookings_of
from ..selectors import search, search_advice, skills_for_child, visible_to_families
from ..services import booking_cancel, booking_request, timesheet_decide


def _children(request):
    return list(children_of_carer(user=request.user, authority=request.authority).prefetch_related("needs"))


def _carer(request):
    return Carer.objects.filter(family__authority=request.authority, user=request.user).select_related("family").first()


def _home_place(request):
    carer = _carer(request)
    try:
        return locate(carer.family.home_postcode) if carer and carer.family.home_postcode else None
    except PostcodeError:
        return None


def _suggestions(children) -> list[dict]:
    """Each child's suggested skills as a link (every child of the family, named, so a parent
    of two is never offered one child's skills as "your child's"): the parent chooses to tick
    them, the form never ticks boxes on its own once searched."""
    labels = dict(Skill.choices)
    found = []
    for child in children:
        skills = skills_for_child(child)
        found.append(
            {
                "child": child,
                "labels": [labels[s] for s in skills],
                "query": urlencode([("skills", s) for s in skills]),
            }
        )
    return found


@roles(Role.PARENT)
def find(request):
    children = _children(request)
    suggestions = _suggestions(children)
    if request.GET:
        form = SearchForm(request.GET)
    else:  # the first visit: one child's suggested skills ticked, to change before searching
        form = SearchForm(initial={"skills": skills_for_child(children[0])} if len(children) == 1 else None)
    matches, advice, place = None, [], None
    if form.is_bound and form.is_valid():
        place = form.cleaned_data["postcode"] or _home_place(request)
        asked = {
            "authority": request.authority,
            "today": timezone.localdate(),
            "skills": form.cleaned_data["skills"],
            "place": place,
            "day": form.cleaned_data["day"],
            "part": form.cleaned_data["part"] or None,
            "within_miles": form.cleaned_data["within"],
        }
        matches = search(**asked)
        if not matches:
            advice = search_advice(**asked)
    return render(
        request,
        "assistants/find.html",
        {"form": form, "matches": matches, "advice": advice, "place": place, "suggestions": suggestions},
        status=400 if form.is_bound and form.errors else 200,
    )


@roles(Role.PARENT)
def detail(request, assistant_id):
    assistant = get_object_or_404(
        visible_to_families(authority=request.authority, today=timezone.localdate()).prefetch_related(
            "skills", "availability", "training"
        ),
        pk=assistant_id,
    )
    children = _children(request)
    carer = _carer(request)
    initial = {"contact_email": (carer.email if carer else "") or request.user.email}
    if carer and carer.phone:
        initial["contact_phone"] = carer.phone
    form = RequestForm(request.POST or None, children=children, initial=initial)
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
                meet_at=data["meet_at"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
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
    return render(
        request,
        "assistants/detail.html",
        {"assistant": assistant, "form": form},
        status=400 if form.errors else 200,
    )


def _bookings_page(request, failed=None, status=200):
    """The family's PA bookings with their money from the ledger; `failed` is a timesheet
    decision that could not be made, shown again in its row with the error summary."""
    return render(
        request,
        "assistants/family_bookings.html",
        {
            "rows": bookings_of(children=_children(request)),
            "failed": failed,
            "failed_row": failed.row_id if failed else "",
            "page_key": new_key(),  # each timesheet's form adds its row number
        },
        status=status,
    )


@roles(Role.PARENT)
def family_bookings(request):
    return _bookings_page(request)


@roles(Role.PARENT)
def family_booking(request, pa_booking_id):
    """Approve (and pay) or query the timesheet of one booking."""
    if request.method != "POST":
        return redirect("assistants:family-bookings")
    # Any of the family's bookings with this id: a retried approval finds its booking paid.
    mine = AssistantBooking.objects.filter(child__in=_children(request), pk=pa_booking_id)
    form = DecideForm(request.POST, bookings=mine)
    if form.is_valid():
        booking = form.cleaned_data["booking"]
        approve = form.cleaned_data["action"] == "approve"
        timesheet = Timesheet.objects.filter(booking=booking).first()
        try:
            if timesheet is None:
                raise NotAllowed("The PA has not sent a timesheet for this booking yet.")
            timesheet = timesheet_decide(
                timesheet=timesheet,
                decided_by=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            paid = f"£{timesheet.owed:,.2f} paid to {booking.assistant} from {booking.child.first_name}'s budget"
            messages.success(request, f"Approved: {paid}." if approve else "Your query is sent to the PA.")
            return redirect("assistants:family-bookings")
    return _bookings_page(request, failed=form, status=400)


@roles(Role.PARENT)
def family_booking_cancel(request, pa_booking_id):
    """Ask before cancelling, saying what happens to the money set aside."""
    rows = bookings_of(children=_children(request), pk=pa_booking_id)
    if not rows:
        raise Http404
    row = rows[0]
    if row.booking.status not in (AssistantBooking.Status.REQUESTED, AssistantBooking.Status.ACCEPTED):
        messages.info(request, "That booking is no longer open, so there is nothing to cancel.")
        return redirect("assistants:family-bookings")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_cancel(booking=row.booking, cancelled_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Cancelled. £{row.set_aside:,.2f} is back in {row.booking.child.first_name}'s budget."
                if row.set_aside
                else "Cancelled.",
            )
            return redirect("assistants:family-bookings")
    return render(request, "assistants/cancel.html", {"row": row, "form": form}, status=400 if form.errors else 200)
