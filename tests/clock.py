"""The suite's fixed clock. Every test starts at NOW, whatever day the suite runs on, and time
moves on from there as it really passes (so timeouts and one-time codes still work). Dates in
the factories and the tests are worked out from NOW, never from the machine's own date.

Move it inside a test with the `clock` fixture: `clock.move_to(NOW + dt.timedelta(days=40))`."""

import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

LONDON = ZoneInfo("Europe/London")
# A Tuesday in term time, mid financial year, with no bank holiday in the fortnight after.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


def born_aged(years: int, *, on: dt.date = TODAY, months: int = 6) -> dt.date:
    """A date of birth that makes a child `years` old on `on`, half a year from a birthday."""
    return on - relativedelta(years=years, months=months)
