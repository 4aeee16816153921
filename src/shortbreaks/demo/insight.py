"""Demo school holidays for Dovebridge: last, this and next academic year, in the usual shape
of an English council's calendar (the same calendar the demo's sessions keep to)."""

from django.utils import timezone

from shortbreaks.insight.models import SchoolHoliday

from .dates import school_holidays


def load_holidays(*, authority) -> int:
    holidays = [
        SchoolHoliday(authority=authority, name=name, starts_on=start, ends_on=end)
        for name, start, end in school_holidays(timezone.localdate())
    ]
    SchoolHoliday.objects.bulk_create(holidays)
    return len(holidays)
