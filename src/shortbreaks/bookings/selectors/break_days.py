"""The day of the break a budget entry is for: the family's statement dates a booking's entries
(made, delivered, cancelled) by its session's day, not the day they were recorded. Registered
with families' statement in apps.py."""

from ..models import Booking


def booking_days(ids) -> dict:
    return dict(Booking.objects.filter(pk__in=ids).values_list("pk", "session__date"))
