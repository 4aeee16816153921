"""Booking pages for parents and carers: their own children, their own bookings."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from icalendar import Calendar, Event

from shortbreaks.accounts.roles import Role
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.directory.selectors.search import public_services
from shortbreaks.families.selectors.access import children_of_carer

from ..models import Booking, Session, WaitingListEntry
from ..services.booking import (
    BookingRefused, booking_cancel, booking_create, taken_in, waiting_list_join, waiting_offer_answer,
)


def _own_children(request):
    return children_of_carer(user=request.user, authority=request.authority)


@roles(Role.PARENT)
def book(request, service_id):
    service = get_object_or_404(public_services(authority=request.authority), pk=service_id)
    now = timezone.now()
    sessions = list(Session.objects.filter(service=service, booking_closes_at__gt=now).order_by("date", "starts_at")[:30])
    taken = taken_in(sessions, now=now)
    for session in sessions:
        session.places_left = max(0, session.places - taken[session.pk].places)
    children = list(_own_children(request))
    problems = []
    if request.method == "POST":
        chosen_sessions = [s for s in sessions if str(s.pk) in request.POST.getlist("session")]
        chosen_children = [c for c in children if str(c.pk) in request.POST.getlist("child")]
        if not chosen_sessions:
            problems.append("Choose at least one session")
        if not chosen_children:
            problems.append("Choose at least one child")
        if not problems and request.POST.get("action") == "waitlist":
            try:
                for session in chosen_sessions:
                    for child in chosen_children:
                        waiting_list_join(session=session, child=child, added_by=request.user,
                                          with_transport=bool(request.POST.get("transport")))
            except ServiceError as error:
                problems.append(error.message)
            else:
                messages.success(request, "We have added you to the waiting list. We will email you if a place comes up.")
                return redirect("bookings:mine")
        elif not problems:
            try:
                booking_create(sessions=chosen_sessions, children=chosen_children, booked_by=request.user,
                               idempotency_key=request.POST.get("idempotency_key", ""),
                               with_transport=bool(request.POST.get("transport")))
            except BookingRefused as refused:
                problems += refused.problems
            except ServiceError as error:
                problems.append(error.message)
            else:
                messages.success(request, "Booked. We have emailed you the details.")
                return redirect("bookings:mine")
    return render(request, "bookings/book.html", {
        "service": service, "sessions": sessions, "children": children, "problems": problems,
        "idempotency_key": uuid.uuid4().hex, "chosen": request.POST,
    })


@roles(Role.PARENT)
def my_bookings(request):
    bookings = (Booking.objects.filter(authority=request.authority, child__in=_own_children(request))
                .select_related("session__service", "child").order_by("session__date", "session__starts_at"))
    waiting = (WaitingListEntry.objects.filter(child__in=_own_children(request), status__in=["waiting", "offered"])
               .select_related("session__service", "child"))
    return render(request, "bookings/mine.html", {"bookings": bookings, "waiting": waiting, "now": timezone.now()})


def _own_booking(request, booking_id) -> Booking:
    return get_object_or_404(Booking.objects.select_related("session__service", "session__location", "child"),
                             pk=booking_id, child__in=_own_children(request))


@roles(Role.PARENT)
def cancel(request, booking_id):
    booking = _own_booking(request, booking_id)
    if request.method == "POST":
        try:
            booking_cancel(booking=booking, cancelled_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"You cancelled {booking.child.first_name}'s place on {booking.session}.")
    return redirect("bookings:mine")


@roles(Role.PARENT)
def answer_offer(request, entry_id):
    entry = get_object_or_404(WaitingListEntry, pk=entry_id, child__in=_own_children(request))
    if request.method == "POST":
        try:
            booking = waiting_offer_answer(entry=entry, answered_by=request.user, accept=request.POST.get("accept") == "yes")
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Booked." if booking else "You declined the place; it goes to the next family.")
    return redirect("bookings:mine")


@roles(Role.PARENT)
def calendar(request, booking_id):
    """An iCalendar file for the booking, for the family's own calendar."""
    booking = _own_booking(request, booking_id)
    session = booking.session
    tz = timezone.get_current_timezone()
    cal = Calendar()
    cal.add("prodid", "-//Shortbreaks//Booking//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"{booking.pk}@shortbreaks")
    event.add("summary", f"{booking.child.first_name}: {session.service.name}")
    event.add("dtstart", timezone.make_aware(timezone.datetime.combine(session.date, session.starts_at), tz))
    event.add("dtend", timezone.make_aware(timezone.datetime.combine(session.date, session.ends_at), tz))
    event.add("dtstamp", timezone.now())
    if session.location:
        event.add("location", f"{session.location.name}, {session.location.address_1}, {session.location.postcode}")
    cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="short-break-{session.date:%Y-%m-%d}.ics"'
    return response
