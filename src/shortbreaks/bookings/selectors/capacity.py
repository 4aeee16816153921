"""What a session has left: places, one-to-one support staff and transport seats in use, counted
from the bookings themselves (and the places held for waiting-list offers). Booking, waiting-list
offers and request rounds count under their locks with these; the booking page shows places left."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection

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
    if not sessions:
        return taken
    sql, params = _taken_sql(sessions, now=now, excluding_children=excluding_children)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for session_id, places, staff, seats, is_offer in rows:
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
    the sessions locked, and written out it costs a tenth of the same query built by the ORM.
    Table and column names come from the models, which own the schema; tests compare it with
    the bookings and offers themselves."""
    q = connection.ops.quote_name
    booking, entry, child = Booking._meta, WaitingListEntry._meta, Child._meta

    def column(meta, name):
        return q(meta.get_field(name).column)

    def values(field, items) -> tuple[str, list]:
        prepared = [field.get_db_prep_value(item, connection) for item in items]
        return ", ".join(["%s"] * len(prepared)), prepared

    session_ids = [s.pk for s in sessions]
    in_booking, booking_ids = values(booking.get_field("session").target_field, session_ids)
    in_status, statuses = values(booking.get_field("status"), LIVE)
    in_entry, entry_ids = values(entry.get_field("session").target_field, session_ids)
    levels = list(Child.staff_units_for().items())
    staff = " ".join(f"WHEN {q('c')}.{column(child, 'support')} = %s THEN {n}" for _, n in levels)
    excluded = [getattr(c, "pk", c) for c in excluding_children]
    not_theirs, excluded_ids = ("", [])
    if excluded:
        marks, excluded_ids = values(child.pk, excluded)
        not_theirs = f" AND {q('w')}.{column(entry, 'child')} NOT IN ({marks})"
    sql = (
        f"SELECT {q('b')}.{column(booking, 'session')}, COUNT(*), SUM({q('b')}.{column(booking, 'staff_units')}), "
        f"SUM(CASE WHEN {q('b')}.{column(booking, 'with_transport')} THEN 1 ELSE 0 END), 0 "
        f"FROM {q(booking.db_table)} {q('b')} "
        f"WHERE {q('b')}.{column(booking, 'session')} IN ({in_booking}) "
        f"AND {q('b')}.{column(booking, 'status')} IN ({in_status}) "
        f"GROUP BY {q('b')}.{column(booking, 'session')} "
        "UNION ALL "
        f"SELECT {q('w')}.{column(entry, 'session')}, COUNT(*), SUM(CASE {staff} ELSE 0 END), "
        f"SUM(CASE WHEN {q('w')}.{column(entry, 'with_transport')} THEN 1 ELSE 0 END), 1 "
        f"FROM {q(entry.db_table)} {q('w')} "
        f"JOIN {q(child.db_table)} {q('c')} ON {q('c')}.{q(child.pk.column)} = {q('w')}.{column(entry, 'child')} "
        f"WHERE {q('w')}.{column(entry, 'session')} IN ({in_entry}) "
        f"AND {q('w')}.{column(entry, 'status')} = %s AND {q('w')}.{column(entry, 'offer_expires_at')} > %s"
        f"{not_theirs} "
        f"GROUP BY {q('w')}.{column(entry, 'session')}"
    )
    offer_fields = entry.get_field("status"), entry.get_field("offer_expires_at")
    params = [
        *booking_ids,
        *statuses,
        *[level for level, _ in levels],
        *entry_ids,
        offer_fields[0].get_db_prep_value(WaitingListEntry.Status.OFFERED, connection),
        offer_fields[1].get_db_prep_value(now, connection),
        *excluded_ids,
    ]
    return sql, params
