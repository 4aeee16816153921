"""Booking places: lock the sessions, count what is really taken from the bookings themselves
(and the places held for waiting-list offers), check every child against every session, commit
the money on each child's budget, then write, all in one transaction. Siblings are booked all
or none. A retried submission with the same idempotency key books once."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from shortbreaks.bookings.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed, ServiceError
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.templatetags.govuk import clock, time_range
from shortbreaks.families.models import Child, LedgerEntry
from shortbreaks.families.selectors.access import children_of_carer
from shortbreaks.families.services.budget import account_for, locked_accounts, post_entry

from ..models import Booking, BookingGroup, Session, WaitingListEntry
from ..models.bookings import LIVE
from ..problems import Problem
from ..rush import forget_full, key_used, remember_full, remembered_full
from ..selectors.bookable import unbookable
from ..selectors.cancelling import cancellation_terms
from ..selectors.capacity import Taken, over_capacity, taken_in
from ..selectors.clashes import booked_elsewhere_nearby, clash_problems, clashing_bookings, live_bookings_at_the_time
from ..selectors.needs import unsupported_needs
from ..selectors.policies import policy_for
from ..selectors.tiers import allows, tiers_on
from ..tasks import confirm_booking


class BookingRefused(ServiceError):
    """Nothing was booked; each problem says which child, which session and why."""

    def __init__(self, problems: list[str]):
        super().__init__("Nothing was booked. " + " ".join(problems))
        self.problems = problems


def _tier_problem(session: Session, child: Child, tier: str) -> str | None:
    if allows(session.tier, tier):
        return None
    if session.tier == Session.Tier.SPECIALIST:
        return f"{child.first_name} needs a specialist allocation for {session}."
    return f"{child.first_name} needs targeted short breaks eligibility on {session.date:%-d %B %Y} to book {session}."


def booking_create(
    *, sessions: list[Session], children: list, booked_by, idempotency_key: str, with_transport: bool = False
) -> BookingGroup:
    """children: Child rows or their ids; either way they are read again from the booking
    person's own children (children_of_carer), and any other id refuses the whole booking."""
    if not idempotency_key or len(idempotency_key) > 64:
        raise NotAllowed("The booking form has expired: open it again and resubmit.")
    if key_used(booked_by.pk, idempotency_key):  # a retry: what the first submission made
        return BookingGroup.objects.get(booked_by=booked_by, idempotency_key=idempotency_key)
    sessions, children = _check_before_locking(
        sessions=sessions, children=children, booked_by=booked_by, with_transport=with_transport
    )
    try:
        group = _book(
            sessions=sessions,
            children=children,
            booked_by=booked_by,
            idempotency_key=idempotency_key,
            with_transport=with_transport,
        )
    except IntegrityError:
        # The same submission arrived twice at once: the other one booked it.
        existing = BookingGroup.objects.filter(booked_by=booked_by, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    # Written by the worker, after the commit and outside the request (tasks.py).
    transaction.on_commit(lambda: confirm_booking.enqueue(group_id=str(group.pk)))
    return group


def _check_before_locking(*, sessions, children, booked_by, with_transport) -> tuple[list, list]:
    """Everything that does not depend on how many places are left, checked before any lock is
    taken, so the locked part stays short under a rush. A session this process has just seen
    full is refused here too (rush.py); places are counted only under the lock."""
    if not sessions or not children:
        raise NotAllowed("Choose at least one session and one child.")
    authority = sessions[0].authority
    child_ids = {getattr(c, "pk", c) for c in children}  # children, or their ids
    children = sorted(
        children_of_carer(user=booked_by, authority=authority).filter(pk__in=child_ids), key=lambda c: c.pk
    )
    if len(children) != len(child_ids):
        raise NotAllowed("You can only book for children in your own family.")
    now = timezone.now()
    if problems := unbookable(sessions, now=now):
        raise BookingRefused(problems)
    if full := remembered_full(sessions):  # the answer most of a rush gets: say it at once
        raise BookingRefused([Problem(words, kind="full", session=session) for session, words in full])
    if problems := child_problems(sessions, children):
        raise BookingRefused(problems)
    return sessions, children


def _remember_full(sessions: list[Session], taken: dict) -> None:
    """Full from its bookings alone, a session is full for every child: the rush gate may
    say so for a second without asking the database (rush.py)."""
    for session in sessions:
        if taken[session.pk].booked >= session.places:
            remember_full(session, _full_words(session, taken[session.pk].places, []))


def _full_words(session: Session, taken: int, children: list[Child]) -> str:
    left = max(0, session.places - taken)
    if not left:
        return f"{session} is full. You can join the waiting list and we will email you if a place comes up."
    return (
        f"There {'is' if left == 1 else 'are'} only {left} place{'' if left == 1 else 's'} left on {session}, "
        f"not enough for {len(children)} children. You can join the waiting list for them all, or book fewer children."
    )


def child_problems(sessions: list[Session], children: list[Child]) -> list[str]:
    """Why these children cannot have these sessions, whatever the places left: already booked
    (on it, or on another session at the same time), outside the ages, without the eligibility
    the session needs, or with needs it does not support. Booking and joining a waiting list ask
    the same questions."""
    problems = []
    already, clashes = live_bookings_at_the_time(sessions, children)
    unsupported = unsupported_needs(sessions, children)
    tiers = tiers_on(children, [s.date for s in sessions])
    told = set()
    for session in sessions:
        for child in children:
            if (session.pk, child.pk) in already:
                problems.append(f"{child.first_name} is already booked on {session}.")
            age = child.age_on(session.date)
            if not session.minimum_age <= age <= session.maximum_age:
                problems.append(
                    f"{child.first_name} (aged {age}) is outside the ages for {session} "
                    f"({session.minimum_age} to {session.maximum_age})."
                )
            if problem := _tier_problem(session, child, tiers[(child.pk, session.date)]):
                problems.append(problem)
            if (missing := unsupported.get((session.pk, child.pk))) and (session.service_id, child.pk) not in told:
                told.add((session.service_id, child.pk))  # once for each service, whatever its sessions
                problems.append(
                    Problem(
                        f"{session.service.name} is not set up for {child.first_name}'s needs: {', '.join(missing)}. "
                        f"Choose a service that supports them, or contact {session.service.organisation.name} "
                        "to ask whether they can.",
                        kind="needs",
                        session=session,
                        child=child,
                    )
                )
    return problems + clash_problems(sessions, children, clashes)


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def _book(*, sessions, children, booked_by, idempotency_key, with_transport) -> BookingGroup:
    """The locked part: lock the sessions (one order for every booking and cancellation:
    sessions by id, then the children, then budget accounts by child id, so rushes queue instead
    of deadlocking), count what is really taken, write the bookings and commit the money."""
    authority = sessions[0].authority
    now = timezone.now()
    # The session rows alone, read after the lock; their services (for the words) are the
    # ones already read before it.
    services = {s.pk: s.service for s in sessions}
    locked = list(Session.objects.select_for_update().filter(pk__in=services).order_by("pk"))
    for session in locked:
        session.service = services[session.pk]
    taken = taken_in(locked, now=now, excluding_children=children)
    _remember_full(locked, taken)
    already = (
        set(
            Booking.objects.filter(session__in=locked, child__in=children, status__in=LIVE).values_list(
                "session_id", "child_id"
            )
        )
        if len(children) > 1 or len(locked) > 1
        else set()
    )
    problems = []
    # Places are said in the booking's own words (how many are left, for how many children);
    # staff and transport seats as everywhere else.
    adding = Taken(staff=sum(child.staff_units for child in children), seats=len(children) if with_transport else 0)
    for session in locked:
        if now >= session.booking_closes_at:
            problems.append(f"{session} is not open for booking.")
        if taken[session.pk].places + len(children) > session.places:
            words = _full_words(session, taken[session.pk].places, children)
            problems.append(Problem(words, kind="full", session=session))
        problems += [p for p in over_capacity(session, taken[session.pk], adding) if getattr(p, "kind", "") != "full"]
        problems += [
            f"{child.first_name} is already booked on {session}."
            for child in children
            if (session.pk, child.pk) in already
        ]
    if problems:  # refused on what the lock protects: no need to lock the children
        raise BookingRefused(problems)
    # One booking of a child at a time (two tabs, two carers): with the children locked, a
    # clashing booking committed since the checks before the lock is seen here.
    list(Child.objects.select_for_update(of=("self",)).filter(pk__in=[c.pk for c in children]).order_by("pk"))
    if booked_elsewhere_nearby(locked, children) and (problems := clash_problems(locked, children)):
        raise BookingRefused(problems)

    group = BookingGroup.objects.create(authority=authority, booked_by=booked_by, idempotency_key=idempotency_key)
    bookings = [
        Booking(
            authority=authority,
            group=group,
            session=session,
            child=child,
            staff_units=child.staff_units,
            with_transport=with_transport,
            price=session.price,
        )
        for session in locked
        for child in children
    ]
    # The unique constraint refuses a second live booking of a child on a session, so a single
    # child's booking needs no separate "already booked" query inside the lock.
    Booking.objects.bulk_create(bookings)
    paying = [child for child in children if any(b.child_id == child.pk and b.price > 0 for b in bookings)]
    accounts = locked_accounts(paying, authority)
    for child in paying:
        account = accounts[child.pk]
        for booking in bookings:
            if booking.child_id == child.pk and booking.price > 0:
                # InsufficientFunds here rolls the whole group back: all or none.
                post_entry(
                    account=account,
                    kind=LedgerEntry.Kind.BOOKING_COMMITTED,
                    amount=booking.price,
                    actor=booked_by,
                    description=f"Booking: {booking.session}",
                    reference=f"booking:{booking.pk}",
                    locked=True,
                )
    audit_record(
        authority=authority,
        actor=booked_by,
        action=Audit.BOOKING_CREATED,
        target=group,
        summary=f"Booked {len(children)} child(ren) on {len(locked)} session(s)",
        details={"bookings": [str(b.pk) for b in bookings]},
    )
    group.made = bookings
    return group


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def booking_cancel(*, booking: Booking, cancelled_by) -> Booking:
    """Cancel in time and the money comes back; late, and the authority's policy decides
    (selectors/cancelling.py, which the pages use to say so beforehand). The freed place goes
    to the next family on the waiting list."""
    session = Session.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("child").get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise NotAllowed("This booking is not live any more.")
    now = timezone.now()
    terms = cancellation_terms(session=session, price=booking.price, now=now)
    late = terms.late
    booking.status = Booking.Status.CANCELLED_LATE if late else Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    if booking.price > 0:
        kind = LedgerEntry.Kind.DELIVERED_PAID if terms.charged else LedgerEntry.Kind.BOOKING_RELEASED
        post_entry(
            account=account_for(booking.child),
            kind=kind,
            amount=booking.price,
            actor=cancelled_by,
            description=f"{'Late cancellation' if late else 'Cancelled'}: {session}",
            reference=f"booking:{booking.pk}",
        )
    audit_record(
        authority=session.authority,
        actor=cancelled_by,
        action=Audit.BOOKING_CANCELLED,
        target=booking,
        summary=f"{booking.child.first_name}'s booking on {session} cancelled{' late' if late else ''}",
    )
    offer_next_place(session=session, now=now)
    forget_full(session.pk)
    booking.terms = terms  # what happened to the money, for the page that says so
    _cancelled_by_email(booking, session, terms, cancelled_by)
    return booking


def _cancelled_by_email(booking: Booking, session: Session, terms, cancelled_by) -> None:
    """After the commit: what was cancelled, by whom and what happened to the money, to each
    carer (a scheme's coordinator may cancel on the family's behalf)."""
    child = booking.child
    when = (
        f"{session.service.name} on {session.date:%A} {session.date.day} {session.date:%B %Y}, "
        f"{time_range(session.starts_at, session.ends_at)}"
    )
    if child.family.carers.filter(user=cancelled_by).exists():
        what = f"You cancelled {child.first_name}'s place on {when}."
    else:
        what = f"{child.first_name}'s place on {when} was cancelled for you by the organiser of this short break."
    if terms.refunded:
        money = f"£{booking.price:,.2f} is back on {child.first_name}'s budget."
    elif terms.charged:
        money = (
            f"It was cancelled after the deadline, so £{booking.price:,.2f} is still paid from "
            f"{child.first_name}'s budget."
        )
    else:
        money = ""
    email_after_commit(
        to=child.family.contact_emails(),
        subject=f"Booking cancelled: {session.service.name} for {child.first_name}",
        body=what
        + (f" {money}" if money else "")
        + f"\n\nSee your bookings: {absolute(session.authority, 'bookings:mine')}\n",
        why=f"{child.first_name}'s booking was cancelled",
        authority=session.authority,
    )


def offer_next_place(*, session: Session, now: dt.datetime) -> WaitingListEntry | None:
    """Inside a transaction holding the session's lock: if a place is free, offer it to the
    next family waiting, for the policy's hours."""
    taken = taken_in([session], now=now)[session.pk]
    if taken.places >= session.places or unbookable([session], now=now):
        return None  # no place, or nobody can book it any more (withdrawn, or booking closed)
    for entry in session.waiting_list.filter(status=WaitingListEntry.Status.WAITING).select_related("child__family"):
        if taken.staff + entry.child.staff_units > session.support_staff:
            continue  # this child needs more one-to-one staff than is free: try the next
        if clashing_bookings([session], [entry.child]):
            continue  # booked elsewhere at that time since joining: the place would be refused
        hours = policy_for(session.authority).offer_hours
        entry.status, entry.offer_expires_at = WaitingListEntry.Status.OFFERED, now + dt.timedelta(hours=hours)
        entry.save(update_fields=["status", "offer_expires_at"])
        audit_record(
            authority=session.authority,
            actor=None,
            action=Audit.WAITING_OFFERED,
            target=entry,
            summary=f"Place on {session} offered to {entry.child.first_name}",
        )
        email_after_commit(
            to=entry.child.family.contact_emails(),
            subject=f"A place for {entry.child.first_name}: {session}",
            body=f"A place has come up for {entry.child.first_name} on {session}. It is held for you until "
            f"{clock(entry.offer_expires_at)} on {timezone.localtime(entry.offer_expires_at):%A %-d %B}. "
            "Accept or decline it from "
            f"'Your bookings': {absolute(session.authority, 'bookings:mine')}\n",
            why=f"{entry.child.first_name} is on the waiting list for {session}",
            authority=session.authority,
        )
        return entry
    return None
