"""Bookings as iCalendar (RFC 5545), for the family's own calendar and the confirmation email."""

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event


def calendar_for(bookings) -> bytes:
    tz = timezone.get_current_timezone()
    cal = Calendar()
    cal.add("prodid", "-//Shortbreaks//Booking//EN")
    cal.add("version", "2.0")
    for booking in bookings:
        session = booking.session
        event = Event()
        event.add("uid", f"{booking.pk}@shortbreaks")
        event.add("summary", f"{booking.child.first_name}: {session.service.name}")
        event.add("dtstart", timezone.make_aware(dt.datetime.combine(session.date, session.starts_at), tz))
        event.add("dtend", timezone.make_aware(dt.datetime.combine(session.date, session.ends_at), tz))
        event.add("dtstamp", timezone.now())
        if session.location:
            event.add("location", f"{session.location.name}, {session.location.address_1}, {session.location.postcode}")
        cal.add_component(event)
    return cal.to_ical()
