"""Demo history: a year of weekly sessions already delivered, with bookings, attendance and
waiting lists, scaled with the demo (about 15,000 bookings per unit of scale), so the insight
pages and their benchmark have a real year to work on. Written with bulk inserts."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from shortbreaks.accounts.models import User
from shortbreaks.bookings.models import Booking, BookingGroup, Session, WaitingListEntry
from shortbreaks.core.models import Authority
from shortbreaks.directory.models import Service
from shortbreaks.families.models import Child

STATUSES = (["attended"] * 82) + (["no_show"] * 6) + (["cancelled"] * 8) + (["cancelled_late"] * 4)
BATCH = 5000


def load_history(*, authority: Authority, seed: int, scale: int, progress=lambda _: None) -> int:
    rng = random.Random(seed + 9)
    booked_by = User.objects.get(username="officer@dovebridge.example")
    services = list(
        Service.objects.filter(authority=authority, is_published=True, status="active")
        .select_related("organisation")
        .prefetch_related("service_at_locations__location")
        .order_by("name")[: 15 * scale]
    )
    children = list(Child.objects.filter(authority=authority).values_list("pk", "date_of_birth"))
    if not services or not children:
        return 0
    now, today = timezone.now(), timezone.localdate()
    sessions = []
    for service in services:
        sal = service.service_at_locations.first()
        weekday = rng.randint(0, 6)
        first = today - dt.timedelta(days=364)
        day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
        places = rng.choice([8, 12, 16, 20])
        while day < today:
            sessions.append(
                Session(
                    authority=authority,
                    service=service,
                    location=sal.location if sal else None,
                    date=day,
                    starts_at=dt.time(10),
                    ends_at=dt.time(rng.choice([13, 15, 16])),
                    places=places,
                    support_staff=rng.choice([1, 2]),
                    minimum_age=service.minimum_age,
                    maximum_age=service.maximum_age,
                    price=Decimal("0") if service.is_free else Decimal(rng.choice([15, 20, 30])),
                    booking_opens_at=now - dt.timedelta(days=400),
                    booking_closes_at=now - dt.timedelta(days=1),
                    cancellation_deadline=now - dt.timedelta(days=2),
                )
            )
            day += dt.timedelta(days=7)
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    groups = BookingGroup.objects.bulk_create(
        [BookingGroup(authority=authority, booked_by=booked_by, idempotency_key=f"history-{s.pk}") for s in sessions],
        batch_size=BATCH,
    )
    bookings, waiting = [], []
    for session, group in zip(sessions, groups, strict=False):
        # Most sessions fill; a full one has a few families left waiting.
        taken = min(session.places, rng.randint(session.places // 2, session.places + 3))
        chosen = rng.sample(children, min(len(children), taken + 3))
        for pk, _ in chosen[:taken]:
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
        if taken == session.places:
            waiting += [
                WaitingListEntry(authority=authority, session=session, child_id=pk, added_by=booked_by)
                for pk, _ in chosen[taken : taken + rng.randint(0, 3)]
            ]
        if len(bookings) >= BATCH:
            Booking.objects.bulk_create(bookings)
            bookings = []
    Booking.objects.bulk_create(bookings)
    WaitingListEntry.objects.bulk_create(waiting, batch_size=BATCH)
    total = Booking.objects.filter(authority=authority, session__date__lt=today).count()
    progress(f"bookings: a year of history, {len(sessions)} sessions and {total} bookings")
    return total
