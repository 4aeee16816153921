"""Demo sessions: the coming weeks of a dozen or so services, each on its own schedule's days
and hours (holiday schemes in the next school holiday, with transport), so the demo families
have something to book. The demo parent's children can book several of them, one for both
together; one they could go to is full, with families waiting; and Jay has one booked already,
to try cancelling."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.bookings.models import Booking, BookingGroup, RequestRound, Scheme, Session, WaitingListEntry
from shortbreaks.core.models import Authority
from shortbreaks.families.models import Child, LedgerEntry
from shortbreaks.families.services.budget import account_for, post_entry

from .catalogue import SESSION_KINDS
from .dates import school_holidays, weekly_dates, years_before
from .fitting import DEMO_PARENT, demo_children, fits, session_for, session_services

PER_KIND = 3
WEEKS = 5


def demo_services(services, children, today: dt.date, holidays) -> list:
    """Services the demo parent's children can go to now and in the coming weeks, whatever the
    day the demo is loaded (a term-time club has no sessions in the summer): two for each child
    (a free one first, when there is one) and one for them together."""
    days = [today - dt.timedelta(days=7 * 10), today + dt.timedelta(days=7 * WEEKS + 60)]
    chosen = []
    for group, wanted in [([c], 2) for c in children] + ([(children, 1)] if len(children) > 1 else []):
        fitting = [
            s for s in services if s not in chosen and fits(s, group, days) and len(_dates(s, today, holidays)) >= 2
        ]
        fitting.sort(key=lambda s: not s.is_free)
        chosen += fitting[:wanted]
    return chosen


def _dates(service, today: dt.date, holidays) -> list[dt.date]:
    if service.kind == "school-holiday":  # the next school holiday's days
        upcoming = [(start, end) for _, start, end in holidays if end > today + dt.timedelta(days=3)]
        start, end = upcoming[0]
        return weekly_dates(service.schedule, service.kind, holidays, max(start, today + dt.timedelta(days=3)), end, 2)[
            :4
        ]
    end = today + dt.timedelta(days=7 * WEEKS)
    return weekly_dates(service.schedule, service.kind, holidays, today + dt.timedelta(days=3), end)[:4]


@transaction.atomic  # the budget entries it posts are audited inside a transaction
def load_sessions(*, authority: Authority, seed: int, progress=lambda _: None) -> int:
    rng = random.Random(seed + 2)
    now, today = timezone.now(), timezone.localdate()
    holidays = school_holidays(today)
    services = session_services(authority)
    children = demo_children(authority)
    chosen = demo_services(services, children, today, holidays)
    for kind in SESSION_KINDS:
        chosen += [s for s in services if s.kind == kind and s not in chosen][:PER_KIND]
    sessions = []
    for service in chosen:
        for day in _dates(service, today, holidays):
            sessions.append(
                session_for(
                    service,
                    day,
                    support_staff=rng.choice([1, 2, 3]),
                    transport_seats=6 if service.kind == "school-holiday" else 0,
                    booking_opens_at=now - dt.timedelta(days=1),
                )
            )
    Session.objects.bulk_create(sessions)
    progress(f"bookings: {len(sessions)} sessions open for booking")
    _full_with_waiting(authority, sessions, children, today, rng, progress)
    _booked_already(authority, sessions, children, progress)
    _schemes(authority=authority, sessions=sessions, now=now, holidays=holidays, progress=progress)
    return len(sessions)


def _others(authority, session: Session, exclude: list[Child]) -> list[Child]:
    """Other families' children who could go to the session (its ages, one child a family)."""
    born_after = years_before(session.date, session.maximum_age + 1)
    born_by = years_before(session.date, session.minimum_age)
    found, families = [], set()
    rows = Child.objects.filter(authority=authority, date_of_birth__gt=born_after, date_of_birth__lte=born_by)
    for child in rows.exclude(pk__in=[c.pk for c in exclude]).order_by(
        "family__reference", "date_of_birth", "first_name"
    ):
        if child.family_id not in families:
            families.add(child.family_id)
            found.append(child)
    return found


def _full_with_waiting(authority, sessions, children, today, rng, progress) -> None:
    """A free session the demo parent's youngest could go to, full, with two families waiting:
    the parent can join its waiting list, and leave it."""
    youngest = children[-1:] if children else []
    free = [s for s in sessions if s.price == 0 and fits(s.service, youngest, [s.date])] or [
        s for s in sessions if s.price == 0
    ]
    if not free:
        return
    # A week or more ahead, so the list stays open while a newcomer tries it.
    later = [s for s in free if s.date >= today + dt.timedelta(days=7)]
    # One with enough other families to fill all its places (the places its service says it
    # has) and leave two waiting; in a small caseload, one with fewer places.
    candidates = [(session, _others(authority, session, children)) for session in (later or free)[:6]]
    session, others = next(((s, o) for s, o in candidates if len(o) >= s.places + 2), candidates[0])
    if len(others) < 3:
        return
    officer = User.objects.get(username="officer@dovebridge.example")
    booked = others[: min(session.places, len(others) - 2)]
    waiting = others[len(booked) : len(booked) + 2]
    if len(booked) < session.places:
        Session.objects.filter(pk=session.pk).update(places=len(booked))
    group = BookingGroup.objects.create(authority=authority, booked_by=officer, idempotency_key="demo-full")
    Booking.objects.bulk_create(
        [Booking(authority=authority, group=group, session=session, child=c, price=0) for c in booked]
    )
    WaitingListEntry.objects.bulk_create(
        [WaitingListEntry(authority=authority, session=session, child=c, added_by=officer) for c in waiting]
    )
    progress(f"bookings: {session} is full, with {len(waiting)} families waiting (the parent can join its list)")


def _booked_already(authority, sessions, children, progress) -> None:
    """Jay is booked on a paid session, its price set aside in his budget, as a booking does."""
    if not children:
        return
    jay = children[0]
    paid = [s for s in sessions if s.price > 0 and fits(s.service, [jay], [s.date])]
    if not paid:
        return
    session = paid[-1]
    parent = User.objects.get(username=DEMO_PARENT)
    group = BookingGroup.objects.create(authority=authority, booked_by=parent, idempotency_key="demo-booked")
    booking = Booking.objects.create(authority=authority, group=group, session=session, child=jay, price=session.price)
    post_entry(
        account=account_for(jay),
        kind=LedgerEntry.Kind.BOOKING_COMMITTED,
        amount=booking.price,
        actor=parent,
        description=f"Booking: {session}",
        reference=f"booking:{booking.pk}",
    )
    progress(f"bookings: Jay is booked on {session} (the parent can cancel it), and can book more of it")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _schemes(*, authority: Authority, sessions: list[Session], now: dt.datetime, holidays, progress) -> None:
    """The holiday sessions as one scheme coordinated by provider@'s organisation, booked first
    come, first served; and a half-term scheme taking requests, to be shared out fairly."""
    coordinator = (
        RoleAssignment.objects.filter(authority=authority, user__username="provider@dovebridge.example")
        .values_list("organisation", flat=True)
        .first()
    )
    holiday = [s for s in sessions if s.transport_seats]
    if coordinator is None or not holiday:
        return
    scheme = Scheme.objects.create(
        authority=authority,
        name="Dovebridge Holiday Scheme",
        coordinator_id=coordinator,
        description="Holiday days run by several providers, booked through one coordinator.",
    )
    Session.objects.filter(pk__in=[s.pk for s in holiday]).update(scheme=scheme)
    half_term = Scheme.objects.create(
        authority=authority,
        name="Half-term Activity Week",
        coordinator_id=coordinator,
        description="Days of activities in the half term. More families ask than there are places, "
        "so places are shared out fairly after requests close.",
    )
    service = holiday[0].service
    today = timezone.localdate()
    start, end = next(
        (start, end) for name, start, end in holidays if "half term" in name and start > today + dt.timedelta(days=14)
    )
    days = weekly_dates(service.schedule, service.kind, holidays, start, end, per_week=5)[:5]
    Session.objects.bulk_create(
        [
            session_for(
                service,
                day,
                scheme=half_term,
                support_staff=2,
                transport_seats=4,
                booking_opens_at=now,
                booking_closes_at=timezone.make_aware(dt.datetime.combine(days[0], dt.time(9))) - dt.timedelta(days=2),
                cancellation_deadline=timezone.make_aware(dt.datetime.combine(days[0], dt.time(9)))
                - dt.timedelta(days=2),
            )
            for day in days
        ]
    )
    # Requests opened yesterday morning and close at 5pm a week today: times a council would
    # set, whenever the demo is loaded.
    RequestRound.objects.create(
        authority=authority,
        scheme=half_term,
        opens_at=_at(today - dt.timedelta(days=1), 9),
        closes_at=_at(today + dt.timedelta(days=7), 17),
        max_sessions_per_child=2,
        max_choices=5,
    )
    progress("bookings: a holiday scheme, and a half-term scheme taking requests for 7 days")
