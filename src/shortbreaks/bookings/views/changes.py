"""A family changing what they have: cancelling a booking and leaving a waiting list (each
confirmed on a page that says what will happen), and answering the offer of a place. Only
their own children's (children_of_carer); anyone else's is a 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.core.templatetags.govuk import money
from shortbreaks.families.selectors.access import children_of_carer

from ..forms.confirm import ConfirmForm, OfferAnswerForm
from ..models import Booking, WaitingListEntry
from ..selectors.cancelling import cancellation_terms, when_words
from ..selectors.mine import queue_position
from ..selectors.policies import policy_for
from ..services.booking import booking_cancel
from ..services.waiting import waiting_list_leave, waiting_offer_answer


def _own_children(request):
    return children_of_carer(user=request.user, authority=request.authority)


def own_booking(request, booking_id) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("session__service", "session__location", "child"),
        pk=booking_id,
        child__in=_own_children(request),
    )


def _cancelled_words(booking: Booking) -> str:
    """After the cancellation: whether the money came back (free sessions say nothing of it)."""
    name, terms = booking.child.first_name, booking.terms
    done = f"You cancelled {name}'s place on {booking.session}."
    if terms.refunded:
        return f"{done} {money(terms.price)} is back in {name}'s budget."
    if terms.charged:
        return f"{done} This was after the deadline, so the {money(terms.price)} is paid as if {name} had gone."
    return done


@roles(Role.PARENT)
def cancel(request, booking_id):
    """Asks before cancelling, saying what will happen to the place and the money."""
    booking = own_booking(request, booking_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_cancel(booking=booking, cancelled_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _cancelled_words(booking))
            return redirect("bookings:mine")
    terms = cancellation_terms(
        session=booking.session, price=booking.price, now=timezone.now(), policy=policy_for(request.authority)
    )
    return render(
        request,
        "bookings/cancel.html",
        {
            "booking": booking,
            "form": form,
            "live": booking.status == Booking.Status.CONFIRMED,
            "terms": terms,
            "deadline": when_words(booking.session.cancellation_deadline),
        },
        status=400 if form.errors else 200,
    )


def _own_entry(request, entry_id) -> WaitingListEntry:
    return get_object_or_404(
        WaitingListEntry.objects.select_related("session__service", "child"),
        pk=entry_id,
        child__in=_own_children(request),
    )


@roles(Role.PARENT)
def leave_waiting_list(request, entry_id):
    entry = _own_entry(request, entry_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            waiting_list_leave(entry=entry, left_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{entry.child.first_name} is off the waiting list for {entry.session}.")
            return redirect("bookings:mine")
    return render(
        request,
        "bookings/leave.html",
        {
            "entry": entry,
            "form": form,
            "open": entry.status in ("waiting", "offered"),
            "position": queue_position(entry) if entry.status == "waiting" else None,
        },
        status=400 if form.errors else 200,
    )


@roles(Role.PARENT)
def answer_offer(request, entry_id):
    entry = _own_entry(request, entry_id)
    form = OfferAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = waiting_offer_answer(
                entry=entry, answered_by=request.user, accept=form.cleaned_data["accept"] == "yes"
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Booked: {entry.child.first_name} has the place on {entry.session}."
                if booking
                else "You declined the place; it goes to the next family.",
            )
            return redirect("bookings:mine")
    return render(request, "bookings/offer.html", {"entry": entry, "form": form}, status=400 if form.errors else 200)
