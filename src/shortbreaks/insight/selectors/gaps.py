"""The gap analysis: demand (children with each need in each area; bookings, waiting lists and
requests not met) against supply (places in sessions) by need x area, filtered by kind of break,
term time or school holidays, age band and financial year. Every figure is an aggregate in the
database; Python only lays the groups out.

Areas are postcode districts: a family's home district, a session's venue district. A session
serves every need its service lists, so one place counts towards each of them."""

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from shortbreaks.bookings.models import Booking, PlaceRequest, Session, WaitingListEntry
from shortbreaks.bookings.models.bookings import CHARGED
from shortbreaks.core.years import financial_year
from shortbreaks.directory.selectors.freshness import checked_since, fresh, out_of_date_listings
from shortbreaks.directory.selectors.taxonomy import needs_terms
from shortbreaks.families.models import Child

from ..models import SchoolHoliday

AGE_BANDS = {"0-4": (0, 4), "5-10": (5, 10), "11-15": (11, 15), "16-18": (16, 18), "19-25": (19, 25)}
PERIODS = {"term": "Term time", "holiday": "School holidays"}
ELSEWHERE = "Comes to you"


def district(path: str):
    """The outward code of a postcode field, in the database: 'DE22 1AB' -> 'DE22'."""
    return Case(
        When(**{f"{path}__contains": " "}, then=Substr(path, 1, StrIndex(path, Value(" ")) - 1)),
        default=F(path),
        output_field=CharField(),
    )


@dataclass
class Filters:
    year: int
    kind: str = ""  # a break kind's code
    period: str = ""  # "term" or "holiday"
    age: str = ""  # an AGE_BANDS key

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        return financial_year(self.year)


@dataclass
class Cell:
    need: str
    area: str
    children: int = 0
    booked: int = 0
    waiting: int = 0
    unmet: int = 0
    places: int = 0

    @property
    def unmet_demand(self) -> int:
        return self.waiting + self.unmet

    @property
    def spare(self) -> int:
        return max(self.places - self.booked, 0)

    @property
    def shortfall(self) -> int:
        """Places short: demand not met that the spare places could not have taken."""
        return max(self.unmet_demand - self.spare, 0)

    @property
    def places_per_child(self) -> float | None:
        return round(self.places / self.children, 1) if self.children else None


@dataclass
class GapAnalysis:
    filters: Filters
    needs: dict  # code -> name
    areas: list
    cells: dict = field(default_factory=dict)  # (need, area) -> Cell
    holidays_known: bool = True
    unchecked_listings: int = 0  # listings out of date, whose places the supply leaves out

    def cell(self, need: str, area: str) -> Cell:
        return self.cells.get((need, area)) or Cell(need, area)

    @property
    def rows(self) -> list[Cell]:
        """Every need x area with any demand or supply, biggest shortfall first."""
        return sorted(self.cells.values(), key=lambda c: (-c.shortfall, -c.unmet_demand, c.need, c.area))

    @property
    def heat(self) -> list[tuple[str, str, list[Cell]]]:
        return [(code, name, [self.cell(code, area) for area in self.areas]) for code, name in self.needs.items()]


def _holidays(authority, span) -> list[tuple[dt.date, dt.date]]:
    return list(
        SchoolHoliday.objects.filter(authority=authority, ends_on__gte=span[0], starts_on__lte=span[1]).values_list(
            "starts_on", "ends_on"
        )
    )


def _period_case(holidays: list, path: str):
    """'holiday' when the date at `path` falls in one of the school holidays, else 'term'."""
    if not holidays:
        return Value("term", output_field=CharField())
    inside = Q()
    for start, end in holidays:
        inside |= Q(**{f"{path}__range": (start, end)})
    return Case(When(inside, then=Value("holiday")), default=Value("term"), output_field=CharField())


def born_within(band: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """The dates of birth of children in an age band on a day: born after (on - oldest - 1
    years) and on or before (on - youngest years)."""
    youngest, oldest = AGE_BANDS[band]
    return on - relativedelta(years=oldest + 1) + dt.timedelta(days=1), on - relativedelta(years=youngest)


def _age_filter(path: str, band: str, on: dt.date) -> Q:
    return Q(**{f"{path}__range": born_within(band, on)}) if band in AGE_BANDS else Q()


def gap_analysis(*, authority, filters: Filters) -> GapAnalysis:
    start, end = filters.span
    needs = dict(needs_terms().values_list("code", "name"))
    result = GapAnalysis(filters=filters, needs=needs, areas=[])

    def add(rows, attribute):
        for need, area, value in rows:
            if need is None:
                continue
            key = (need, area or ELSEWHERE)
            cell = result.cells.setdefault(key, Cell(*key))
            setattr(cell, attribute, getattr(cell, attribute) + (value or 0))

    ages = _age_filter("date_of_birth", filters.age, start)
    children = (
        Child.objects.filter(ages, authority=authority)
        .annotate(area=district("family__home_postcode"))
        .values_list("needs__code", "area")
        .annotate(n=Count("pk"))
    )
    add(children, "children")

    holidays = _holidays(authority, (start, end))
    result.holidays_known = bool(holidays)
    period = _period_case(holidays, "session__date")
    demand_filter = Q(authority=authority, session__date__range=(start, end))
    if filters.kind:
        demand_filter &= Q(session__service__break_kinds__code=filters.kind)
    child_ages = _age_filter("child__date_of_birth", filters.age, start)

    def demand(queryset):
        rows = queryset.filter(demand_filter & child_ages).annotate(
            period=period, area=district("child__family__home_postcode")
        )
        if filters.period:
            rows = rows.filter(period=filters.period)
        # One row per booking and need of the child (one kind at most is joined): no doubles.
        return rows.values_list("child__needs__code", "area").annotate(n=Count("pk"))

    add(demand(Booking.objects.filter(status__in=CHARGED)), "booked")
    add(demand(WaitingListEntry.objects.filter(status__in=["waiting", "offered"])), "waiting")
    add(demand(PlaceRequest.objects.filter(outcome=PlaceRequest.Outcome.NOT_GRANTED)), "unmet")

    supply_period = _period_case(holidays, "date")
    # A listing nobody has confirmed lately may no longer be true: its places are not counted
    # as supply until it is confirmed again (directory/selectors/freshness.py).
    today = timezone.localdate()
    since = checked_since(authority, today)
    result.unchecked_listings = out_of_date_listings(authority=authority, today=today, since=since).count()
    sessions = Session.objects.filter(fresh(since, "service__"), authority=authority, date__range=(start, end))
    if filters.kind:
        sessions = sessions.filter(service__break_kinds__code=filters.kind)
    if filters.age in AGE_BANDS:
        youngest, oldest = AGE_BANDS[filters.age]
        sessions = sessions.filter(minimum_age__lte=oldest, maximum_age__gte=youngest)
    sessions = sessions.annotate(period=supply_period, area=district("location__postcode"))
    if filters.period:
        sessions = sessions.filter(period=filters.period)
    add(sessions.values_list("service__needs__code", "area").annotate(n=Sum("places")), "places")

    result.areas = sorted({area for _, area in result.cells}, key=lambda a: (a == ELSEWHERE, len(a), a))
    return result


def cell_records(*, authority, filters: Filters, need: str, area: str) -> dict:
    """The records behind one cell, for drilling down: sessions with their places, and the
    waiting and unmet requests by family reference (never a child's name: commissioners see
    figures and references)."""
    start, end = filters.span
    in_area = Q(family__home_postcode__startswith=f"{area} ") | Q(family__home_postcode=area)
    children = Child.objects.filter(in_area, authority=authority, needs__code=need)
    sessions = (
        Session.objects.filter(
            fresh(checked_since(authority, timezone.localdate()), "service__"),
            authority=authority,
            date__range=(start, end),
            service__needs__code=need,
        )
        .select_related("service", "location")
        .order_by("date")
    )
    sessions = (
        sessions.filter(location__isnull=True)
        if area == ELSEWHERE
        else sessions.filter(Q(location__postcode__startswith=f"{area} ") | Q(location__postcode=area))
    )
    if filters.kind:
        sessions = sessions.filter(service__break_kinds__code=filters.kind)
        children_kind = Q(session__service__break_kinds__code=filters.kind)
    else:
        children_kind = Q()
    waiting = (
        WaitingListEntry.objects.filter(
            children_kind, child__in=children, status__in=["waiting", "offered"], session__date__range=(start, end)
        )
        .select_related("session__service", "child__family")
        .order_by("session__date")
    )
    unmet = (
        PlaceRequest.objects.filter(
            children_kind,
            child__in=children,
            outcome=PlaceRequest.Outcome.NOT_GRANTED,
            session__date__range=(start, end),
        )
        .select_related("session__service", "child__family")
        .order_by("session__date")
    )
    return {
        "sessions": sessions.annotate(booked=Count("bookings", filter=Q(bookings__status__in=CHARGED)))[:200],
        "waiting": waiting[:200],
        "unmet": unmet[:200],
    }
