"""Sessions from a service's schedule: its RFC 5545 recurrence (dateutil's rrule) between two
dates, each occurrence a bookable session with the same places, staffing and rules."""

import datetime as dt
from decimal import Decimal

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, weekday
from django.db import transaction
from django.utils import timezone

from shortbreaks.bookings.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.directory.models import Service

from ..models import Session

_FREQ = {"WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "DAILY": DAILY}
_DAYS = {code: weekday(index) for index, code in enumerate(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])}
MAX_SESSIONS = 200


def occurrences(schedule, start: dt.date, end: dt.date) -> list[dt.date]:
    days = [_DAYS[d] for d in schedule.days if d in _DAYS] or None
    rule = rrule(
        _FREQ[schedule.freq],
        interval=schedule.interval,
        byweekday=days,
        dtstart=dt.datetime.combine(max(start, schedule.valid_from or start), dt.time()),
        until=dt.datetime.combine(min(end, schedule.valid_to or end), dt.time()),
    )
    return [moment.date() for moment in rule]


@transaction.atomic(durable=True)
def sessions_from_schedule(
    *,
    service: Service,
    start: dt.date,
    end: dt.date,
    places: int,
    support_staff: int,
    transport_seats: int,
    price: Decimal,
    tier: str,
    open_days_before: int,
    cancel_days_before: int,
    created_by,
) -> list[Session]:
    if end < start:
        raise NotAllowed("The last date must be on or after the first.")
    if start < timezone.localdate():
        raise NotAllowed("Sessions can only be added from today on.")
    schedules = list(service.schedules.all())
    if not schedules:
        raise NotAllowed("This service has no schedule: add its days and times first.")
    existing = set(Session.objects.filter(service=service, date__range=(start, end)).values_list("date", "starts_at"))
    location = service.service_at_locations.select_related("location").first()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    sessions = []
    for schedule in schedules:
        for day in occurrences(schedule, start, end):
            if (day, schedule.opens_at) in existing:
                continue  # never the same session twice
            starts = timezone.make_aware(dt.datetime.combine(day, schedule.opens_at), tz)
            sessions.append(
                Session(
                    authority=service.authority,
                    service=service,
                    location=location.location if location else None,
                    date=day,
                    starts_at=schedule.opens_at,
                    ends_at=schedule.closes_at,
                    places=places,
                    support_staff=support_staff,
                    transport_seats=transport_seats,
                    price=price,
                    tier=tier,
                    minimum_age=service.minimum_age,
                    maximum_age=service.maximum_age,
                    booking_opens_at=min(now, starts - dt.timedelta(days=open_days_before)),
                    booking_closes_at=starts - dt.timedelta(hours=12),
                    cancellation_deadline=starts - dt.timedelta(days=cancel_days_before),
                )
            )
    if len(sessions) > MAX_SESSIONS:
        raise NotAllowed(f"That would add {len(sessions)} sessions; add at most {MAX_SESSIONS} at a time.")
    sessions = [s for s in sessions if s.booking_closes_at > s.booking_opens_at]
    Session.objects.bulk_create(sessions)
    audit_record(
        authority=service.authority,
        actor=created_by,
        action=Audit.SESSIONS_GENERATED,
        target=service,
        summary=f"Added {len(sessions)} session(s) of {service.name} from {start:%d %b} to {end:%d %b %Y}",
    )
    return sessions
