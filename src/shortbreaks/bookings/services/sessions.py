"""Sessions from a service's schedule: its RFC 5545 recurrence (dateutil's rrule) between two
dates, each occurrence a bookable session with the same places, staffing and rules; or one-off
sessions on one date; at the schedule's times or at several times a day."""

import datetime as dt
from dataclasses import dataclass, field
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


@dataclass
class SessionsAdded:
    """What adding sessions did, and why any were not added, so that "0 sessions added" is
    never reported as if it were a success."""

    made: list[Session] = field(default_factory=list)
    already: int = 0  # a session of the service at that date and time exists
    too_soon: int = 0  # it starts within 12 hours, so booking would close before it opened
    dates: int = 0  # dates in the range the sessions fall on
    schedule_words: str = ""

    def why_none(self, start: dt.date, end: dt.date) -> str:
        if not self.dates:
            between = f"on {_day(start)}" if start == end else f"between {_day(start)} and {_day(end)}"
            return f"No sessions were added: the service does not run {between} ({self.schedule_words})."
        reasons = []
        if self.already:
            reasons.append(f"{_sessions(self.already)} already there")
        if self.too_soon:
            reasons.append(f"{_sessions(self.too_soon)} would start within 12 hours, too soon to book")
        return "No sessions were added: " + " and ".join(reasons) + "."

    def skipped_words(self) -> str:
        parts = []
        if self.already:
            parts.append(f"{_sessions(self.already)} already there")
        if self.too_soon:
            parts.append(f"{_sessions(self.too_soon)} too soon to book")
        return ("Not added: " + " and ".join(parts) + ".") if parts else ""


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _sessions(count: int) -> str:
    return f"{count} session{'s' if count != 1 else ''} {'was' if count == 1 else 'were'}"


def _schedule_words(schedules) -> str:
    names = dict(
        zip(_DAYS, ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"], strict=True)
    )
    parts = []
    for schedule in schedules:
        days = [names[d] for d in schedule.days if d in names]
        words = " and ".join([", ".join(days[:-1]), days[-1]] if len(days) > 1 else days) or "every day"
        if schedule.valid_from or schedule.valid_to:
            since = f" from {_day(schedule.valid_from)}" if schedule.valid_from else ""
            until = f" until {_day(schedule.valid_to)}" if schedule.valid_to else ""
            words += since + until
        parts.append(words)
    return "it runs on " + "; ".join(parts) if parts else "it has no schedule"


def _slots(schedules, start: dt.date, end: dt.date, times, one_off: bool) -> list[tuple[dt.date, dt.time, dt.time]]:
    """Each (date, starts, ends) to add. From the schedule: every date it runs in the range,
    at its times or at the times given. One-off: the one date, at the times given or at the
    times the schedule runs on that weekday."""
    if one_off:
        if not times:
            code = list(_DAYS)[start.weekday()]
            times = [(s.opens_at, s.closes_at) for s in schedules if code in s.days or not s.days]
        return [(start, opens, closes) for opens, closes in times]
    slots = []
    for schedule in schedules:
        for day in occurrences(schedule, start, end):
            for opens, closes in times or [(schedule.opens_at, schedule.closes_at)]:
                slots.append((day, opens, closes))
    return sorted(set(slots))


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
    times: list[tuple[dt.time, dt.time]] | None = None,
    one_off: bool = False,
) -> SessionsAdded:
    """Sessions between two dates on the days the service's schedule runs, or one-off on one
    date; at the schedule's times or at the times given (several a day). Never the same
    session twice; the result says what was skipped and why."""
    if one_off:
        end = start
    if end < start:
        raise NotAllowed("The last date must be on or after the first.")
    if start < timezone.localdate():
        raise NotAllowed("Sessions can only be added from today on.")
    schedules = list(service.schedules.all())
    if not schedules and not (one_off and times):
        raise NotAllowed("This service has no schedule: add its days and times first, or enter the session times.")
    slots = _slots(schedules, start, end, times, one_off)
    if one_off and not slots:
        raise NotAllowed(
            f"The service does not usually run on a {start:%A}: enter the session times for {_day(start)}."
        )
    if len(slots) > MAX_SESSIONS:
        raise NotAllowed(f"That would add {len(slots)} sessions; add at most {MAX_SESSIONS} at a time.")
    existing = set(Session.objects.filter(service=service, date__range=(start, end)).values_list("date", "starts_at"))
    location = service.service_at_locations.select_related("location").first()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    result = SessionsAdded(dates=len({day for day, _, _ in slots}), schedule_words=_schedule_words(schedules))
    for day, opens, closes in slots:
        if (day, opens) in existing:
            result.already += 1  # never the same session twice
            continue
        starts = timezone.make_aware(dt.datetime.combine(day, opens), tz)
        session = Session(
            authority=service.authority,
            service=service,
            location=location.location if location else None,
            date=day,
            starts_at=opens,
            ends_at=closes,
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
        if session.booking_closes_at <= session.booking_opens_at:
            result.too_soon += 1
            continue
        result.made.append(session)
    if not result.made:
        return result
    Session.objects.bulk_create(result.made)
    audit_record(
        authority=service.authority,
        actor=created_by,
        action=Audit.SESSIONS_GENERATED,
        target=service,
        summary=f"Added {len(result.made)} session{'s' if len(result.made) != 1 else ''} of {service.name} "
        f"from {_day(start)} to {_day(end)}",
    )
    return result
