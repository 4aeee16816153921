"""A family's own bookings and waiting lists, for "Your bookings": what is coming up (soonest
first), what is past or cancelled (most recent first), and the waiting lists still open. The
children are always the carer's own (families/selectors/access.children_of_carer)."""

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Booking, WaitingListEntry


def _of(children, authority) -> QuerySet:
    return (
        Booking.objects.filter(authority=authority, child__in=children)
        .select_related("session__service__organisation", "session__location", "child")
        .prefetch_related("session__service__service_at_locations__location")
    )


def upcoming_bookings(*, children, authority, today: dt.date) -> QuerySet:
    return _of(children, authority).filter(status=Booking.Status.CONFIRMED, session__date__gte=today)


def past_bookings(*, children, authority, today: dt.date) -> QuerySet:
    """Been to, missed or cancelled; and anything whose day has gone."""
    return (
        _of(children, authority)
        .exclude(status=Booking.Status.CONFIRMED, session__date__gte=today)
        .order_by("-session__date", "-session__starts_at", "child__first_name")
    )


def booked_on(sessions, children) -> dict:
    """session id -> first names of the children who already have a place on it."""
    names: dict = {}
    for session_id, name in (
        Booking.objects.filter(session__in=sessions, child__in=children, status=Booking.Status.CONFIRMED)
        .order_by("child__first_name")
        .values_list("session_id", "child__first_name")
    ):
        names.setdefault(session_id, []).append(name)
    return names


def open_waiting(*, children, authority, now: dt.datetime) -> QuerySet:
    """Waiting-list entries that can still become a place: the session still taking bookings,
    and an offer not yet run out. An entry for a session long gone is not "waiting"."""
    return (
        WaitingListEntry.objects.filter(authority=authority, child__in=children, session__booking_closes_at__gt=now)
        .filter(
            Q(status=WaitingListEntry.Status.WAITING)
            | Q(status=WaitingListEntry.Status.OFFERED, offer_expires_at__gt=now)
        )
        .select_related("session__service", "child")
        .annotate(ahead=Coalesce(Subquery(_ahead_of(OuterRef("session"), OuterRef("created_at"))), 0))
        .order_by("session__date", "session__starts_at", "child__first_name")
    )


def _ahead_of(session, created_at) -> QuerySet:
    """How many are waiting before an entry on its session's list: first come, first served."""
    return (
        WaitingListEntry.objects.filter(
            session=session, status=WaitingListEntry.Status.WAITING, created_at__lt=created_at
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )


def queue_position(entry: WaitingListEntry) -> int:
    """Where a waiting child stands on their session's list (1 is next to be offered a place):
    the list is first come, first served."""
    ahead = WaitingListEntry.objects.filter(
        session_id=entry.session_id, status=WaitingListEntry.Status.WAITING, created_at__lt=entry.created_at
    )
    return ahead.count() + 1
