"""What a session has left: places, one-to-one support staff and transport seats in use, counted
from the bookings themselves (and the places held for waiting-list offers). Booking, waiting-list
offers and request rounds count under their locks with these; the booking page shows places left."""

import datetime as dt
from dataclasses import dataclass

from shortbreaks.families.models import Child

from ..models import Booking, Session, WaitingListEntry
from ..models.bookings import LIVE
from ..problems import Problem
from . import plain_sql


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
    if not sessions:
        return taken
    for session_id, places, staff, seats, is_offer in plain_sql.fetch(
        *_taken_sql(sessions, now=now, excluding_children=excluding_children)
    ):
        counted = taken[_SESSION_ID.to_python(session_id)]
        counted.places += places
        counted.staff += staff or 0
        counted.seats += seats or 0
        if not is_offer:
            counted.booked += places
    return taken


_SESSION_ID = Session._meta.pk


def _taken_sql(sessions, *, now, excluding_children) -> tuple[str, list]:
    """Live bookings and open offers by session, in one statement: under a rush it runs with
    the sessions locked, and written out it costs a tenth of the same query built by the ORM
    (plain_sql.py). Tests compare it with the bookings and offers themselves."""
    booking, entry, child = Booking._meta, WaitingListEntry._meta, Child._meta
    b, w, c = plain_sql.name(booking), plain_sql.name(entry), plain_sql.name(child)
    session_ids = [s.pk for s in sessions]
    in_booking, booking_ids = plain_sql.values(booking.get_field("session").target_field, session_ids)
    in_status, statuses = plain_sql.values(booking.get_field("status"), LIVE)
    in_entry, entry_ids = plain_sql.values(entry.get_field("session").target_field, session_ids)
    levels = list(Child.staff_units_for().items())
    staff = " ".join(f"WHEN {c}.{plain_sql.name(child, 'support')} = %s THEN {n}" for _, n in levels)
    excluded = [getattr(kid, "pk", kid) for kid in excluding_children]
    not_theirs, excluded_ids = "", []
    if excluded:
        marks, excluded_ids = plain_sql.values(child.pk, excluded)
        not_theirs = f" AND {w}.{plain_sql.name(entry, 'child')} NOT IN ({marks})"
    b_session, w_session = f"{b}.{plain_sql.name(booking, 'session')}", f"{w}.{plain_sql.name(entry, 'session')}"
    sql = (
        f"SELECT {b_session}, COUNT(*), SUM({b}.{plain_sql.name(booking, 'staff_units')}), "
        f"SUM(CASE WHEN {b}.{plain_sql.name(booking, 'with_transport')} THEN 1 ELSE 0 END), 0 FROM {b} "
        f"WHERE {b_session} IN ({in_booking}) AND {b}.{plain_sql.name(booking, 'status')} IN ({in_status}) "
        f"GROUP BY {b_session} "
        "UNION ALL "
        f"SELECT {w_session}, COUNT(*), SUM(CASE {staff} ELSE 0 END), "
        f"SUM(CASE WHEN {w}.{plain_sql.name(entry, 'with_transport')} THEN 1 ELSE 0 END), 1 FROM {w} "
        f"JOIN {c} ON {c}.{plain_sql.name(child, 'id')} = {w}.{plain_sql.name(entry, 'child')} "
        f"WHERE {w_session} IN ({in_entry}) AND {w}.{plain_sql.name(entry, 'status')} = %s "
        f"AND {w}.{plain_sql.name(entry, 'offer_expires_at')} > %s{not_theirs} "
        f"GROUP BY {w_session}"
    )
    params = [
        *booking_ids,
        *statuses,
        *[level for level, _ in levels],
        *entry_ids,
        plain_sql.value(entry.get_field("status"), WaitingListEntry.Status.OFFERED),
        plain_sql.value(entry.get_field("offer_expires_at"), now),
        *excluded_ids,
    ]
    return sql, params
