"""Demo sessions: the next four weeks of a dozen services, some nearly full, with transport on
the holiday schemes, so the demo families have something to book."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment
from shortbreaks.bookings.models import RequestRound, Scheme, Session
from shortbreaks.core.models import Authority
from shortbreaks.directory.models import Service

HOURS = {
    "school-holiday": (dt.time(9, 30), dt.time(15, 30)),
    "weekend": (dt.time(10), dt.time(16)),
    "day": (dt.time(15, 30), dt.time(18)),
    "evening": (dt.time(18), dt.time(21)),
}


def load_sessions(*, authority: Authority, seed: int, progress=lambda _: None) -> int:
    rng = random.Random(seed + 2)
    now = timezone.now()
    published = Service.objects.filter(authority=authority, is_published=True, status="active")
    chosen: dict = {}  # three services of each kind of break that has set hours
    for kind in HOURS:
        for service in published.filter(break_kinds__code=kind).exclude(pk__in=list(chosen)).order_by("name")[:3]:
            chosen[service.pk] = (service, kind)
    sessions = []
    for service, kind in chosen.values():
        starts, ends = HOURS[kind]
        location = service.service_at_locations.select_related("location").first()
        for week in range(4):
            day = (now + dt.timedelta(days=7 * week + rng.randint(3, 6))).date()
            sessions.append(
                Session(
                    authority=authority,
                    service=service,
                    location=location.location if location else None,
                    date=day,
                    starts_at=starts,
                    ends_at=ends,
                    places=rng.choice([8, 12, 20]),
                    support_staff=rng.choice([1, 2, 3]),
                    transport_seats=6 if kind == "school-holiday" else 0,
                    minimum_age=service.minimum_age,
                    maximum_age=service.maximum_age,
                    tier="universal" if service.is_free else "targeted",
                    price=Decimal("0") if service.is_free else Decimal(rng.choice([15, 20, 30])),
                    booking_opens_at=now - dt.timedelta(days=1),
                    booking_closes_at=now + dt.timedelta(days=7 * week + 2),
                    cancellation_deadline=now + dt.timedelta(days=7 * week + 1),
                )
            )
    Session.objects.bulk_create(sessions)
    progress(f"bookings: {len(sessions)} sessions open for booking")
    _schemes(authority=authority, sessions=sessions, now=now, progress=progress)
    return len(sessions)


def _schemes(*, authority: Authority, sessions: list[Session], now: dt.datetime, progress) -> None:
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
        description="Five days of activities. More families ask than there are places, "
        "so places are shared out fairly after requests close.",
    )
    first_day = (now + dt.timedelta(days=42)).date()
    template = holiday[0]
    Session.objects.bulk_create(
        [
            Session(
                authority=authority,
                service=template.service,
                location=template.location,
                scheme=half_term,
                date=first_day + dt.timedelta(days=n),
                starts_at=template.starts_at,
                ends_at=template.ends_at,
                places=10,
                support_staff=2,
                transport_seats=4,
                minimum_age=template.minimum_age,
                maximum_age=template.maximum_age,
                tier=template.tier,
                price=template.price,
                booking_opens_at=now,
                booking_closes_at=now + dt.timedelta(days=40),
                cancellation_deadline=now + dt.timedelta(days=40),
            )
            for n in range(5)
        ]
    )
    RequestRound.objects.create(
        authority=authority,
        scheme=half_term,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        max_sessions_per_child=2,
        max_choices=5,
    )
    progress("bookings: a holiday scheme, and a half-term scheme taking requests for 7 days")
