"""The suite's fixed clock. Every test starts at NOW, whatever day the suite runs on, and time
moves on from there as it really passes (so timeouts and one-time codes still work). Dates in
the factories and the tests are worked out from NOW, never from the machine's own date.

Move it inside a test with the `clock` fixture: `clock.move_to(NOW + dt.timedelta(days=40))`.

The browser journeys are the exception: Chromium's own clock (cookies, caching) cannot be moved
with the server's, and pages misbehave when the two disagree, so they run on the real clock and
work every date out from `timezone.localdate()` at the time (see tests/browser/conftest.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
# A Tuesday in term time, mid financial year, with no bank holiday in the fortnight after.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


def born_aged(years: int, *, on: dt.date | None = None, months: int = 6) -> dt.date:
    """A date of birth that makes a child `years` old on `on` (today by the app's clock, which
    is NOW's day in a test), half a year from a birthday."""
    return (on or timezone.localdate()) - relativedelta(years=years, months=months)
