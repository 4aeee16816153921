"""A session's length in hours as a database expression, for sums over many bookings (block
contracts' use, cost per hour). TimeField arithmetic differs between PostgreSQL and SQLite, so
the clock times are taken apart with Extract, which both support."""

from django.db.models import FloatField
from django.db.models.functions import Cast, ExtractHour, ExtractMinute


def session_hours(prefix: str = ""):
    """`prefix` leads from the model queried to the session, e.g. "session__" from Booking."""

    def clock(field):
        return (
            Cast(ExtractHour(f"{prefix}{field}"), FloatField())
            + Cast(ExtractMinute(f"{prefix}{field}"), FloatField()) / 60
        )

    return clock("ends_at") - clock("starts_at")
