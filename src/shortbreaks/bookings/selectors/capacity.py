"""What a session has left: places, one-to-one support staff and transport seats in use, counted
from the bookings themselves (and the places held for waiting-list offers). Booking, waiting-list
offers and request rounds count under their locks with these; the booking page shows places left."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, Q, Sum, Value, When

from shortbreaks.families.models import Child

from ..models import Booking, Session, WaitingListEntry
from ..models.bookings import LIVE
from ..problems import Problem


@dataclass
class Taken:
    places: int = 0
    staff: int = 0
    seats: int = 0
    booked: int = 0  # of the places, those taken by bookings (the rest are held for offers)


def over_capacity(session: Session, taken: Taken, adding: Taken) -> list[str]:
    """What adding these bookings to a session's live ones would exceed: places always, staff
    and transport seats when the new bookings use any."""
    problems = []
    if taken.places + adding.places > session.places:
        problems.append(
            Problem(
                f"{session} is full. You can join the waiting list and we will email you if a place comes up."
                if taken.places >= session.places
                else f"There are not enough places left on {session}. You can join the waiting list instead.",
                kind="full",
                session=session,
            )
        )
    if adding.staff and taken.staff + adding.staff > session.support_staff:
        problems.append(f"There is not enough one-to-one staff left on {session}.")
    if adding.seats and not session.transport_seats:
        problems.append(
            f"{session} has no transport. Untick \"We need transport\" to book it and take your child "
            "there yourself, or choose a session that has transport."
        )
    elif adding.seats and taken.seats + adding.seats > session.transport_seats:
        problems.append(f"There are not enough transport seats left on {session}.")
    return problems


def taken_in(sessions: list[Session], *, now: dt.datetime, excluding_children=()) -> dict:
    """Places, support staff and seats in use: live bookings, plus places held for open
    waiting-list offers (except offers to the children now booking)."""
    taken = {s.pk: Taken() for s in sessions}
    booked = (
        Booking.objects.filter(session__in=sessions, status__in=LIVE)
        .order_by()
        .values("session_id")
        .annotate(
            places=Count("id"),
            staff=Sum("staff_units"),
            seats=Count("id", filter=Q(with_transport=True)),
            offered=Value(False),
        )
    )
    offered = (
        WaitingListEntry.objects.filter(
            session__in=sessions, status=WaitingListEntry.Status.OFFERED, offer_expires_at__gt=now
        )
        .exclude(child__in=excluding_children)
        .order_by()
        .values("session_id")
        .annotate(
            places=Count("id"),
            staff=Sum(
                Case(
                    *(When(child__support=level, then=Value(n)) for level, n in Child.staff_units_for().items()),
                    default=Value(0),
                )
            ),
            seats=Count("id", filter=Q(with_transport=True)),
            offered=Value(True),
        )
    )
    # One round trip for both: under a rush this runs with the session locked.
    for session_id, places, staff, seats, is_offer in booked.union(offered, all=True).values_list(
        "session_id", "places", "staff", "seats", "offered"
    ):
        counted = taken[session_id]
        counted.places += places
        counted.staff += staff or 0
        counted.seats += seats
        if not is_offer:
            counted.booked += places
    return taken
