"""Bookings as iCalendar (RFC 5545), for the family's own calendar and the confirmation email,
and the words for one booking that both the email and the calendar entry carry."""

from django.utils import timezone
from icalendar import Calendar, Event

from shortbreaks.core.sites import absolute
from shortbreaks.core.templatetags.govuk import time_range

from .cancelling import when_words
from .clashes import span

COMES_TO_YOU = "The provider will agree with you where it happens (this service comes to you)"


def venue_address(session) -> str:
    """Where the session happens, as one line; empty for a service that comes to the family."""
    at = session.venue
    return ", ".join(p for p in (at.name, at.address_1, at.address_2, at.city, at.postcode) if p) if at else ""


def booking_lines(booking) -> str:
    """One booking for the family: who, what, when, where, the cost, until when it can be
    cancelled and whom to ask."""
    session, service = booking.session, booking.session.service
    cost = f"£{booking.price:,.2f} from {booking.child.first_name}'s budget" if booking.price else "Free"
    contact = (
        "; ".join(p for p in (service.phone, service.email) if p) or service.how_to_contact or "See the service page"
    )
    return (
        f"{booking.child.first_name}: {service.name} ({service.organisation.name})\n"
        f"When: {session.date:%A} {session.date.day} {session.date:%B %Y}, "
        f"{time_range(session.starts_at, session.ends_at)}\n"
        f"Where: {venue_address(session) or COMES_TO_YOU}\n"
        f"Cost: {cost}{', with transport' if booking.with_transport else ''}\n"
        f"Cancel by {when_words(session.cancellation_deadline)} "
        f"{'to get the money back' if booking.price else 'if your child cannot go'}\n"
        f"Questions about the session: {contact}"
    )


def calendar_for(bookings) -> bytes:
    """A calendar to publish into the family's own: one event per booking, in the council's
    time zone (with its VTIMEZONE, as RFC 5545 requires), an overnight session ending the next
    morning, each event saying where, what to know, and where the booking is."""
    tz = timezone.get_current_timezone()
    cal = Calendar()
    cal.add("prodid", "-//Shortbreaks//Booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    for booking in bookings:
        session = booking.session
        starts, ends = span(session)
        event = Event()
        event.add("uid", f"{booking.pk}@shortbreaks")
        event.add("summary", f"{booking.child.first_name}: {session.service.name}")
        event.add("dtstart", timezone.make_aware(starts, tz))
        event.add("dtend", timezone.make_aware(ends, tz))
        event.add("dtstamp", timezone.now())
        event.add("description", booking_lines(booking))
        event.add("url", absolute(booking.authority, "bookings:mine"))
        if where := venue_address(session):
            event.add("location", where)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
