"""Bookings' parts of earlier apps' pages (see core/panels.py), registered in apps.py: on the
young person's own page, what they have booked and what they have been to (their own record
only, in the request's authority); on a service's public page, its next dates with the places
left, and the way to book for those who can."""

from django.utils import timezone

from shortbreaks.core.roles import Role

from .models import Booking, Session
from .selectors.asking import asking
from .selectors.capacity import taken_in

RECENT = 10
NEXT_DATES = 5


def young_person_bookings(child, user, authority):
    if child is None:
        return {"child": None}
    today = timezone.localdate()
    bookings = Booking.objects.filter(authority=authority, child=child).select_related(
        "session__service", "session__location"
    )
    return {
        "child": child,
        "upcoming": bookings.filter(status=Booking.Status.CONFIRMED, session__date__gte=today)[:RECENT],
        "past": bookings.filter(
            status__in=[Booking.Status.ATTENDED, Booking.Status.NO_SHOW], session__date__lt=today
        ).order_by("-session__date", "-session__starts_at")[:RECENT],
    }


def service_booking(service, user):
    """Public: dates and places are not personal. The button is for parents and carers, and for
    anyone not signed in (booking asks them to sign in); staff are told families book it. A
    scheme's sessions shared out by request are not offered to book: the page says how to ask."""
    now = timezone.now()
    # A scheme sharing its places out by request is not booked here: the page says how to ask.
    sessions, asked_for = asking(
        list(Session.objects.filter(service=service, booking_closes_at__gt=now).order_by("date", "starts_at")),
        now=now,
    )
    sessions = [s for s in sessions if s.booking_opens_at <= now][:NEXT_DATES]
    taken = taken_in(sessions, now=now)
    for session in sessions:
        session.places_left = max(0, session.places - taken[session.pk].places)
    signed_in = getattr(user, "is_authenticated", False)
    families_book = not signed_in or Role.PARENT in user.roles_in(service.authority)
    return {
        "service": service,
        "sessions": sessions,
        "asking": asked_for,
        "can_book": bool(sessions) and families_book,
        "can_ask": families_book,
        "signed_in": signed_in,
    }
