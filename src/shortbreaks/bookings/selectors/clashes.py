"""Whether a child is already somewhere else at a session's time: a child cannot be at two
breaks at once, whatever the service. Booking, joining a waiting list and offering a freed place
all ask this (booking.child_problems, booking.offer_next_place)."""

import datetime as dt

from shortbreaks.core.templatetags.govuk import time_range

from ..models import Booking, Session
from ..models.bookings import LIVE
from . import plain_sql


def span(session: Session) -> tuple[dt.datetime, dt.datetime]:
    """When it starts and ends; an overnight session (ending at or before the time it starts)
    ends the next day."""
    starts = dt.datetime.combine(session.date, session.starts_at)
    ends = dt.datetime.combine(session.date, session.ends_at)
    return starts, ends + dt.timedelta(days=1) if ends <= starts else ends


def overlap(a: Session, b: Session) -> bool:
    (a_starts, a_ends), (b_starts, b_ends) = span(a), span(b)
    return a_starts < b_ends and b_starts < a_ends


def when(session: Session) -> str:
    """6 March 2027, 10am to 3pm (an overnight one: 5pm to 10am the next day)."""
    return f"{session.date.day} {session.date:%B %Y}, {time_range(session.starts_at, session.ends_at)}"


def _days_around(sessions) -> list[dt.date]:
    """The sessions' days and those either side, where an overnight booking may overlap."""
    return sorted({s.date + dt.timedelta(days=n) for s in sessions for n in (-1, 0, 1)})


def live_bookings_at_the_time(sessions: list[Session], children) -> tuple[set, dict[tuple, Booking]]:
    """The children's live bookings around these sessions, in one query: (session id, child id)
    for each child already booked on one of the sessions itself, and (session id, child id) -> a
    live booking of the child on another session at the same time."""
    if not sessions or not children:
        return set(), {}
    chosen = {s.pk for s in sessions}
    days = _days_around(sessions)
    booked = (
        Booking.objects.filter(child__in=[c.pk for c in children], status__in=LIVE, session__date__in=days)
        .select_related("session__service")
        # Only what the overlap and the words need: this runs twice in every booking.
        .only(
            "child_id",
            "session__date",
            "session__starts_at",
            "session__ends_at",
            "session__service__name",
        )
    )
    already, found = set(), {}
    for booking in booked:
        if booking.session_id in chosen:
            already.add((booking.session_id, booking.child_id))
            continue
        for session in sessions:
            if overlap(session, booking.session):
                found.setdefault((session.pk, booking.child_id), booking)
    return already, found


def booked_elsewhere_nearby(sessions: list[Session], children) -> bool:
    """Whether any of the children has a live booking, on another session, on or beside these
    sessions' days: one short statement, so the locked part only looks for clashes when there
    may be one."""
    if not sessions or not children:
        return False
    booking, session = Booking._meta, Session._meta
    days = _days_around(sessions)
    in_children, child_ids = plain_sql.values(booking.get_field("child").target_field, [c.pk for c in children])
    in_status, statuses = plain_sql.values(booking.get_field("status"), LIVE)
    in_days, day_values = plain_sql.values(session.get_field("date"), days)
    in_chosen, chosen = plain_sql.values(booking.get_field("session").target_field, [s.pk for s in sessions])
    b, s, on = plain_sql.name(booking), plain_sql.name(session), plain_sql.name(booking, "session")
    sql = (
        f"SELECT 1 FROM {b} JOIN {s} ON {s}.{plain_sql.name(session, 'id')} = {b}.{on} "
        f"WHERE {b}.{plain_sql.name(booking, 'child')} IN ({in_children}) "
        f"AND {b}.{plain_sql.name(booking, 'status')} IN ({in_status}) "
        f"AND {s}.{plain_sql.name(session, 'date')} IN ({in_days}) AND {b}.{on} NOT IN ({in_chosen}) LIMIT 1"
    )
    return bool(plain_sql.fetch(sql, [*child_ids, *statuses, *day_values, *chosen]))


def clashing_bookings(sessions: list[Session], children) -> dict[tuple, Booking]:
    """(session id, child id) -> a live booking of the child on another session at the same
    time. One query, whatever the numbers."""
    return live_bookings_at_the_time(sessions, children)[1]


def clash_problems(sessions: list[Session], children, clashes: dict | None = None) -> list[str]:
    """In words for the family: each child already booked elsewhere at a chosen session's time
    (clashes: clashing_bookings's answer, if the caller has it), and two chosen sessions at the
    same time."""
    problems = []
    clashes = clashing_bookings(sessions, children) if clashes is None else clashes
    for session in sessions:
        for child in children:
            if booking := clashes.get((session.pk, child.pk)):
                problems.append(
                    f"{child.first_name} is already booked on {booking.session.service.name} on "
                    f"{when(booking.session)}, at the same time as {session.service.name}."
                )
    for i, a in enumerate(sessions):
        for b in sessions[i + 1 :]:
            if overlap(a, b):
                problems.append(
                    f"{a.service.name} on {when(a)} and {b.service.name} on {when(b)} are at the same time: "
                    "choose one of them."
                )
    return problems
