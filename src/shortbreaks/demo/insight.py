"""Demo school holidays for Dovebridge: last, this and next academic year, in the usual shape
of an English council's calendar."""

import datetime as dt

from django.utils import timezone

from shortbreaks.insight.models import SchoolHoliday

# (name, start month, start day, length in days), per academic year starting in September.
PATTERN = [
    ("October half term", 10, 26, 9),
    ("Christmas holiday", 12, 21, 16),
    ("February half term", 2, 15, 9),
    ("Easter holiday", 3, 29, 16),
    ("May half term", 5, 24, 9),
    ("Summer holiday", 7, 22, 43),
]


def load_holidays(*, authority) -> int:
    today = timezone.localdate()
    first = today.year - 1 if today.month >= 9 else today.year - 2
    holidays = []
    for year in range(first, first + 3):
        for name, month, day, length in PATTERN:
            start = dt.date(year if month >= 9 else year + 1, month, day)
            holidays.append(
                SchoolHoliday(
                    authority=authority,
                    name=f"{name} {start.year}",
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=length - 1),
                )
            )
    SchoolHoliday.objects.bulk_create(holidays)
    return len(holidays)
