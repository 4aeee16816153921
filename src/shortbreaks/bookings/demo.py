"""Demo sessions: the next four weeks of a dozen services, some nearly full, with transport on
the holiday schemes, so the demo families have something to book."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from shortbreaks.core.models import Authority
from shortbreaks.directory.models import Service

from .models import Session

HOURS = {"school-holiday": (dt.time(9, 30), dt.time(15, 30)), "weekend": (dt.time(10), dt.time(16)),
         "day": (dt.time(15, 30), dt.time(18)), "evening": (dt.time(18), dt.time(21))}


def load_sessions(*, authority: Authority, seed: int, progress=lambda _: None) -> int:
    rng = random.Random(seed + 2)
    now = timezone.now()
    services = (Service.objects.filter(authority=authority, is_published=True, status="active",
                                       break_kinds__code__in=list(HOURS)).distinct().order_by("name")[:12])
    sessions = []
    for service in services:
        kind = service.break_kinds.filter(code__in=list(HOURS)).first().code
        starts, ends = HOURS[kind]
        location = service.service_at_locations.select_related("location").first()
        for week in range(4):
            day = (now + dt.timedelta(days=7 * week + rng.randint(3, 6))).date()
            sessions.append(Session(
                authority=authority, service=service, location=location.location if location else None, date=day,
                starts_at=starts, ends_at=ends, places=rng.choice([8, 12, 20]), support_staff=rng.choice([1, 2, 3]),
                transport_seats=6 if kind == "school-holiday" else 0,
                minimum_age=service.minimum_age, maximum_age=service.maximum_age,
                tier="universal" if service.is_free else "targeted",
                price=Decimal("0") if service.is_free else Decimal(rng.choice([15, 20, 30])),
                booking_opens_at=now - dt.timedelta(days=1), booking_closes_at=now + dt.timedelta(days=7 * week + 2),
                cancellation_deadline=now + dt.timedelta(days=7 * week + 1)))
    Session.objects.bulk_create(sessions)
    progress(f"bookings: {len(sessions)} sessions open for booking")
    return len(sessions)
