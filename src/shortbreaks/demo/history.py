"""Demo history: a year of weekly sessions already delivered, on each service's own schedule,
with bookings of children of the right ages (and, for a paid session, eligible on the day)
and attendance, never a child at two sessions at once; nobody is left on a waiting list for a
session that has happened. Scaled with the demo (about 10,000 bookings per unit of scale), so
the insight pages and their benchmark have a real year to work on. Written with bulk inserts.
The demo parent's children went to the services they can book now, so they have breaks to give
feedback on; what those cost is in their budget's ledger, as a real booking's is."""

import bisect
import datetime as dt
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.models import User
from shortbreaks.bookings.models import Booking, BookingGroup, Session
from shortbreaks.core.models import Authority
from shortbreaks.families.models import Child, Eligibility, LedgerEntry
from shortbreaks.families.services.budget import account_for, post_entry

from .dates import school_holidays, weekly_dates, years_before
from .fitting import DEMO_PARENT, Busy, demo_children, fits, session_for, session_services
from .sessions import demo_services

STATUSES = (["attended"] * 82) + (["no_show"] * 6) + (["cancelled"] * 8) + (["cancelled_late"] * 4)
BATCH = 5000
DEMO_WEEKS = 5  # the demo children's own recent weeks at each of their clubs


class Caseload:
    """The children by date of birth, to pick those of a session's ages quickly."""

    def __init__(self, authority):
        eligible = dict(Eligibility.objects.filter(authority=authority).values_list("child_id", "valid_from"))
        rows = sorted(
            Child.objects.filter(authority=authority).values_list(
                "date_of_birth", "family__reference", "first_name", "pk"
            )
        )
        self.born = [r[0] for r in rows]
        self.rows = [(r[3], eligible.get(r[3])) for r in rows]

    def pick(self, rng, session: Session, wanted: int, skip: set) -> list:
        low = bisect.bisect_right(self.born, years_before(session.date, session.maximum_age + 1))
        high = bisect.bisect_right(self.born, years_before(session.date, session.minimum_age))
        pool = self.rows[low:high]
        picked = rng.sample(pool, min(len(pool), wanted * 2))
        if session.tier != Session.Tier.UNIVERSAL:  # only children eligible on the day
            picked = [r for r in picked if r[1] is not None and r[1] <= session.date]
        return [r[0] for r in picked if r[0] not in skip][:wanted]


@transaction.atomic  # the budget entries it posts are audited inside a transaction
def load_history(*, authority: Authority, seed: int, scale: int, progress=lambda _: None) -> int:
    rng = random.Random(seed + 9)
    booked_by = User.objects.get(username="officer@dovebridge.example")
    today = timezone.localdate()
    holidays = school_holidays(today)
    all_services = session_services(authority)
    children = demo_children(authority)
    mine = demo_services(all_services, children, today, holidays)
    services = mine + [s for s in all_services if s not in mine][: 15 * scale - len(mine)]
    caseload = Caseload(authority)
    if not services or not caseload.rows:
        return 0
    first, last = today - dt.timedelta(days=364), today - dt.timedelta(days=1)
    sessions = []
    for service in services:
        for day in weekly_dates(service.schedule, service.kind, holidays, first, last):
            sessions.append(session_for(service, day, support_staff=rng.choice([1, 2])))
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    groups = BookingGroup.objects.bulk_create(
        [BookingGroup(authority=authority, booked_by=booked_by, idempotency_key=f"history-{s.pk}") for s in sessions],
        batch_size=BATCH,
    )
    demo_ids = {c.pk for c in children}
    bookings = []
    busy = Busy()
    # The demo children's own weeks first, so nobody else's booking can clash with them.
    _demo_children_went(authority, sessions, children, mine, busy)
    for session, group in zip(sessions, groups, strict=False):
        # Most sessions fill (a session that has happened has nobody waiting any more).
        taken = min(session.places, rng.randint(session.places // 2, session.places + 3))
        chosen = [pk for pk in caseload.pick(rng, session, taken + 3, skip=demo_ids) if busy.take(pk, session)]
        for pk in chosen[:taken]:
            bookings.append(
                Booking(
                    authority=authority,
                    group=group,
                    session=session,
                    child_id=pk,
                    status=rng.choice(STATUSES),
                    price=session.price,
                )
            )
        if len(bookings) >= BATCH:
            Booking.objects.bulk_create(bookings)
            bookings = []
    Booking.objects.bulk_create(bookings)
    total = Booking.objects.filter(authority=authority, session__date__lt=today).count()
    progress(f"bookings: a year of history, {len(sessions)} sessions and {total} bookings")
    return total


def _demo_children_went(authority, sessions, children, mine, busy: Busy) -> None:
    """The demo parent's children went to the clubs they can book now, these last weeks (one
    week cancelled in time), never to two at once. Each paid booking is in the child's ledger,
    as a real one is."""
    if not children:
        return
    parent = User.objects.get(username=DEMO_PARENT)
    Kind = LedgerEntry.Kind
    for child in children:
        account = account_for(child)
        for service in mine:
            theirs = [s for s in sessions if s.service is service and fits(service, [child], [s.date])]
            for n, session in enumerate(theirs[-DEMO_WEEKS:]):
                account.refresh_from_db()
                if session.price > account.available:
                    continue  # what the budget could not pay for was never booked
                if not busy.take(child.pk, session):
                    continue  # at another of their clubs then
                status = Booking.Status.CANCELLED if n == 2 else Booking.Status.ATTENDED
                group = BookingGroup.objects.create(
                    authority=authority, booked_by=parent, idempotency_key=_demo_key(session, child)
                )
                booking = Booking.objects.create(
                    authority=authority, group=group, session=session, child=child, status=status, price=session.price
                )
                if session.price == 0:
                    continue
                went = status == Booking.Status.ATTENDED
                then = (Kind.DELIVERED_PAID, "Delivered") if went else (Kind.BOOKING_RELEASED, "Cancelled in time")
                for kind, said in ((Kind.BOOKING_COMMITTED, "Booking"), then):
                    post_entry(
                        account=account,
                        kind=kind,
                        amount=session.price,
                        actor=parent,
                        description=f"{said}: {session}",
                        reference=f"booking:{booking.pk}",
                    )


def _demo_key(session, child) -> str:
    """One booking's key, within the 64 characters a key may have (two uuids do not fit)."""
    return "demo-" + hashlib.sha256(f"{session.pk}:{child.pk}".encode()).hexdigest()[:40]
