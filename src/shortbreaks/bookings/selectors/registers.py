"""A session's register, the one count of who is booked on it: the children holding a place
(booked or attended) and those who were booked but did not come. The sessions list and the
register both count with `with_booked`, so they never disagree. (What is left to book is
capacity.py's: it also holds places for waiting-list offers.)"""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import Booking, Session
from ..models.bookings import LIVE

# Bookings on the register: live ones, and no-shows (still booked, just absent). Cancelled
# bookings, late or not, are off it.
ON_REGISTER = (*LIVE, Booking.Status.NO_SHOW)
# Sessions this long ago or more are past registers: still kept, on later pages.
RECENT_DAYS = 14


def with_booked(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Each session with `booked` (children on its register), `came` and `absent`."""
    return sessions.annotate(
        booked=Count("bookings", filter=Q(bookings__status__in=ON_REGISTER)),
        came=Count("bookings", filter=Q(bookings__status=Booking.Status.ATTENDED)),
        absent=Count("bookings", filter=Q(bookings__status=Booking.Status.NO_SHOW)),
    )


def register_bookings(session: Session) -> QuerySet[Booking]:
    """The children on a session's register, by first name, with what the register shows.
    Their emergency contacts show only where the parent agreed (`emergency_contacts_for`)."""
    return (
        session.bookings.filter(status__in=ON_REGISTER)
        .select_related("child__family")
        .prefetch_related("child__needs")
        .order_by("child__first_name", "child__last_name")
    )


def emergency_contacts_for(booking: Booking) -> str:
    """What a provider's register shows of a child's emergency contacts: the parent's words
    if they agreed to share them with providers they book, otherwise nothing."""
    child = booking.child
    return child.emergency_contacts.strip() if child.share_emergency_contacts else ""


def upcoming_and_past(sessions: QuerySet[Session], *, today: dt.date | None = None) -> tuple[QuerySet, QuerySet]:
    """Sessions from RECENT_DAYS ago onwards (soonest first), and older ones (latest first)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=RECENT_DAYS)
    ordered = with_booked(sessions)
    return (
        ordered.filter(date__gte=since).order_by("date", "starts_at", "pk"),
        ordered.filter(date__lt=since).order_by("-date", "-starts_at", "pk"),
    )
