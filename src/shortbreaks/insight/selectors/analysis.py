"""The analysis page's figures, each an aggregate in the database: bookings over the years with a
simple forecast and an honest range, cost per hour of break by kind and provider, utilisation,
satisfaction, and equality of access (uptake against the caseload by age, sex, ethnicity and
need)."""

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from shortbreaks.bookings.models import Booking, Session
from shortbreaks.bookings.models.bookings import CHARGED
from shortbreaks.bookings.selectors.hours import session_hours
from shortbreaks.contracts.models import Feedback
from shortbreaks.core.years import financial_year, year_of
from shortbreaks.families.models import Child

from .gaps import AGE_BANDS, born_within


@dataclass
class Forecast:
    next_year: float | None
    low: float | None
    high: float | None
    months_used: int
    note: str


def monthly_bookings(authority, months: int, today: dt.date) -> list[tuple[dt.date, int]]:
    start = today.replace(day=1) - relativedelta(months=months)
    rows = dict(
        Booking.objects.filter(
            authority=authority, status__in=CHARGED, session__date__gte=start, session__date__lt=today.replace(day=1)
        )
        .annotate(month=TruncMonth("session__date"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    series, month = [], start
    while month < today.replace(day=1):
        series.append((month, rows.get(month, 0)))
        month += relativedelta(months=1)
    return series


def forecast(series: list[tuple[dt.date, int]]) -> Forecast:
    """A straight line through the months (least squares), summed over the next twelve; the range
    is about 95% of outcomes if months keep varying around the line as they have."""
    values = [n for _, n in series]
    while values and values[0] == 0:  # before the platform was in use
        values.pop(0)
    if len(values) < 12:
        return Forecast(None, None, None, len(values), "Less than a year of bookings: too little to forecast honestly.")
    xs = list(range(len(values)))
    slope, intercept = statistics.linear_regression(xs, values)
    residuals = [v - (slope * x + intercept) for x, v in zip(xs, values, strict=False)]
    spread = statistics.stdev(residuals) if len(residuals) > 2 else 0.0
    ahead = [max(0.0, slope * x + intercept) for x in range(len(values), len(values) + 12)]
    total, margin = sum(ahead), 1.96 * spread * math.sqrt(12)
    return Forecast(
        round(total),
        round(max(0.0, total - margin)),
        round(total + margin),
        len(values),
        f"A straight line through {len(values)} months of bookings; the range is where about 95% of "
        "years would fall if months keep varying as they have.",
    )


def yearly_bookings(authority, years: int, today: dt.date) -> list[dict]:
    rows = []
    this_year = year_of(today)
    for year in range(this_year - years + 1, this_year + 1):
        start, end = financial_year(year)
        figures = Booking.objects.filter(authority=authority, session__date__range=(start, min(end, today))).aggregate(
            held=Count("pk", filter=Q(status__in=CHARGED)),
            children=Count("child", filter=Q(status__in=CHARGED), distinct=True),
        )
        rows.append({"year": f"{year} to {year + 1}" + (" (so far)" if end > today else ""), **figures})
    return rows


def unit_costs(authority, start: dt.date, end: dt.date, by: str) -> list[dict]:
    """Cost per hour of break delivered (what was paid for places, over the place-hours of the
    sessions), places and bookings (utilisation), grouped by kind of break or provider."""
    key = {"kind": "session__service__break_kinds__name", "provider": "session__service__organisation__name"}[by]
    session_key = key.removeprefix("session__")
    booked = {
        row[key]: row
        for row in Booking.objects.filter(authority=authority, status__in=CHARGED, session__date__range=(start, end))
        .values(key)
        .annotate(paid=Sum("price"), hours=Sum(session_hours("session__")), bookings=Count("pk"))
    }
    places = dict(
        Session.objects.filter(authority=authority, date__range=(start, end))
        .values_list(session_key)
        .annotate(p=Sum("places"))
    )
    rows = []
    for name, total in sorted(places.items(), key=lambda item: str(item[0])):
        if name is None:
            continue
        row = booked.get(name, {})
        hours, paid = row.get("hours") or 0, row.get("paid") or 0
        rows.append(
            {
                "name": name,
                "places": total,
                "bookings": row.get("bookings", 0),
                "utilisation": round(100 * row.get("bookings", 0) / total) if total else None,
                "hours": round(hours),
                "paid": paid,
                "per_hour": round(float(paid) / hours, 2) if hours else None,
            }
        )
    return rows


def satisfaction(authority, start: dt.date, end: dt.date) -> list[dict]:
    rows = (
        Feedback.objects.filter(authority=authority, created_at__date__range=(start, end))
        .values("service__organisation__name")
        .annotate(
            total=Count("pk"),
            great=Count("pk", filter=Q(enjoyed="great")),
            not_good=Count("pk", filter=Q(enjoyed="not_good")),
            fun=Count("pk", filter=Q(had_fun=True)),
            fun_answered=Count("pk", filter=Q(had_fun__isnull=False)),
            carer_break=Count("pk", filter=Q(carer_had_break=True)),
            carer_answered=Count("pk", filter=Q(carer_had_break__isnull=False)),
        )
        .order_by("service__organisation__name")
    )
    return [
        {
            "provider": r["service__organisation__name"],
            "total": r["total"],
            "great": round(100 * r["great"] / r["total"]),
            "not_good": r["not_good"],
            "fun": round(100 * r["fun"] / r["fun_answered"]) if r["fun_answered"] else None,
            "carer_break": round(100 * r["carer_break"] / r["carer_answered"]) if r["carer_answered"] else None,
        }
        for r in rows
    ]


def equality_of_access(authority, start: dt.date, end: dt.date) -> dict:
    """For each group of the caseload: children, children with at least one break this year, and
    the uptake rate, beside the caseload-wide rate."""
    used = Q(bookings__status__in=CHARGED, bookings__session__date__range=(start, end))
    children = Child.objects.filter(authority=authority)

    def by(field, labels=None):
        rows = (
            children.values(field)
            .annotate(total=Count("pk", distinct=True), used=Count("pk", filter=used, distinct=True))
            .order_by(field)
        )
        return [
            {
                "group": (labels or {}).get(r[field], r[field]) or "Not recorded",
                "total": r["total"],
                "used": r["used"],
                "rate": round(100 * r["used"] / r["total"]) if r["total"] else None,
            }
            for r in rows
        ]

    ages = []
    for band in AGE_BANDS:
        group = children.filter(date_of_birth__range=born_within(band, start)).aggregate(
            total=Count("pk", distinct=True), used=Count("pk", filter=used, distinct=True)
        )
        ages.append(
            {"group": band, **group, "rate": round(100 * group["used"] / group["total"]) if group["total"] else None}
        )
    overall = children.aggregate(total=Count("pk", distinct=True), used=Count("pk", filter=used, distinct=True))
    return {
        "overall": round(100 * overall["used"] / overall["total"]) if overall["total"] else None,
        "age": ages,
        "sex": by("sex", dict(Child.Sex.choices)),
        "ethnicity": by("ethnicity", dict(Child.Ethnicity.choices)),
        "need": by("needs__name"),
    }
