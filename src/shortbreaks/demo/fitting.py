"""Which demo services suit whom, and a session as its service would run it: on its schedule's
day, at its hours, for its ages, at its own price. sessions.py, history.py and contracts.py
all make their sessions here, so the demo's sessions never contradict their services; Busy keeps
a child from being booked at two sessions at once."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from shortbreaks.bookings.models import Session
from shortbreaks.directory.models import Service
from shortbreaks.families.models import Child

from .catalogue import SESSION_KINDS
from .dates import primary_kind

DEMO_PARENT = "parent@dovebridge.example"
DEFAULT_PLACES = 12  # for a service that gives no capacity


def session_services(authority, *, organisation=None) -> list[Service]:
    """Published, active services that run sessions families book one at a time (not overnight
    stays or care at home), ordered by name, each with what the checks below need."""
    services = (
        Service.objects.filter(authority=authority, is_published=True, status=Service.Status.ACTIVE)
        .prefetch_related("schedules", "break_kinds", "needs", "cost_options", "service_at_locations__location")
        .order_by("name", "organisation__name")  # one order, for a deterministic demo
    )
    if organisation is not None:
        services = services.filter(organisation=organisation)
    kept = []
    for service in services:
        kinds = {k.code for k in service.break_kinds.all()}
        service.kind = primary_kind(kinds)
        service.schedule = next(iter(service.schedules.all()), None)
        if service.kind in SESSION_KINDS and not kinds & {"overnight", "at-home"} and service.schedule:
            kept.append(service)
    return kept


def demo_children(authority) -> list[Child]:
    """The demo parent's children, eldest first."""
    return list(
        Child.objects.filter(authority=authority, family__carers__user__username=DEMO_PARENT)
        .prefetch_related("needs")
        .order_by("date_of_birth")
    )


def fits(service: Service, children: list[Child], days: list[dt.date]) -> bool:
    """Every child is within the ages on every day, and the service supports all their needs
    (the booking checks' own rules: bookings/services/booking.py child_problems)."""
    supported = {n.pk for n in service.needs.all()}
    for child in children:
        if not all(service.minimum_age <= child.age_on(day) <= service.maximum_age for day in days):
            return False
        if supported and not {n.pk for n in child.needs.all()} <= supported:
            return False
    return True


def price_of(service: Service) -> Decimal:
    """What the service's own cost says a session costs."""
    if service.is_free:
        return Decimal("0")
    cost = next(iter(service.cost_options.all()), None)
    return cost.amount if cost else Decimal("20")


def session_for(service: Service, day: dt.date, **fields) -> Session:
    """A session of the service on a day its schedule runs, at its hours, ages and price, with
    the places its capacity says ("up to 8 children at a time": 8 places)."""
    schedule = service.schedule
    sal = next(iter(service.service_at_locations.all()), None)
    starts = timezone.make_aware(dt.datetime.combine(day, schedule.opens_at))
    price = price_of(service)
    values = dict(
        authority_id=service.authority_id,
        service=service,
        location=sal.location if sal else None,
        date=day,
        places=service.capacity or DEFAULT_PLACES,
        starts_at=schedule.opens_at,
        ends_at=schedule.closes_at,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        tier=Session.Tier.UNIVERSAL if price == 0 else Session.Tier.TARGETED,
        price=price,
        booking_opens_at=starts - dt.timedelta(days=60),
        booking_closes_at=starts - dt.timedelta(days=1),
        cancellation_deadline=starts - dt.timedelta(days=2),
    )
    values.update(fields)
    return Session(**values)


class Busy:
    """When each child is booked already, so no child is booked at two sessions at once."""

    def __init__(self):
        self.times: dict = {}

    @classmethod
    def of_bookings(cls, bookings) -> "Busy":
        """The times of bookings already made (a queryset of Booking)."""
        busy = cls()
        rows = bookings.values_list("child_id", "session__date", "session__starts_at", "session__ends_at")
        for child_id, day, starts, ends in rows:
            busy.times.setdefault((child_id, day), []).append((starts, ends))
        return busy

    def take(self, child_id, session: Session) -> bool:
        """Book the child's time for the session, unless another booking of theirs overlaps it."""
        taken = self.times.setdefault((child_id, session.date), [])
        if any(start < session.ends_at and session.starts_at < end for start, end in taken):
            return False
        taken.append((session.starts_at, session.ends_at))
        return True
