"""Bookings' parts of earlier apps' pages (see core/panels.py), registered in apps.py: on the
young person's own page, what they have booked and what they have been to (their own record
only, in the request's authority)."""

from django.utils import timezone

from .models import Booking

RECENT = 10


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
