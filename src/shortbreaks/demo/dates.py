"""When the demo's sessions fall: on the days of the service's own schedule, at its hours,
term-time clubs outside the school holidays and holiday schemes inside them. Dates are counted
from the day the demo is loaded, so it makes sense whenever it is tried."""

import datetime as dt

from shortbreaks.directory.models import Schedule

from .catalogue import HOLIDAYS_ONLY, TERM_TIME

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# (name, start month, start day, length in days), per academic year starting in September. A
# holiday starts on the Saturday nearest that day and ends on a Sunday: a half term is the
# weekdays of one week, whatever the year's calendar.
HOLIDAY_PATTERN = [
    ("October half term", 10, 26, 9),
    ("Christmas holiday", 12, 21, 16),
    ("February half term", 2, 15, 9),
    ("Easter holiday", 3, 29, 16),
    ("May half term", 5, 24, 9),
    ("Summer holiday", 7, 22, 44),
]


def school_holidays(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Last, this and next academic year's holidays: (name, first day, last day)."""
    first = today.year - 1 if today.month >= 9 else today.year - 2
    spans = []
    for year in range(first, first + 3):
        for name, month, day, length in HOLIDAY_PATTERN:
            start = dt.date(year if month >= 9 else year + 1, month, day)
            ahead = (5 - start.weekday()) % 7  # days to the next Saturday
            start += dt.timedelta(days=ahead if ahead <= 3 else ahead - 7)
            spans.append((f"{name} {start.year}", start, start + dt.timedelta(days=length - 1)))
    return spans


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day of the year, that many years earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def in_holiday(day: dt.date, holidays) -> bool:
    return any(start <= day <= end for _, start, end in holidays)


def primary_kind(kinds: set[str]) -> str:
    """The kind a service's schedule follows ("weekend" is added to weekend clubs)."""
    for kind in ("school-holiday", "evening", "day", "community", "weekend"):
        if kind in kinds:
            return kind
    return ""


def runs_on(day: dt.date, schedule: Schedule, kind: str, holidays) -> bool:
    if WEEKDAYS[day.weekday()] not in schedule.days:
        return False
    if kind in HOLIDAYS_ONLY:
        return in_holiday(day, holidays)
    if kind in TERM_TIME:
        return not in_holiday(day, holidays)
    return True


def weekly_dates(schedule: Schedule, kind: str, holidays, start: dt.date, end: dt.date, per_week: int = 1):
    """Up to per_week dates in each week from start to end (inclusive) on which it runs."""
    dates, counted = [], {}
    day = start
    while day <= end:
        week = day.isocalendar()[:2]
        if counted.get(week, 0) < per_week and runs_on(day, schedule, kind, holidays):
            dates.append(day)
            counted[week] = counted.get(week, 0) + 1
        day += dt.timedelta(days=1)
    return dates
