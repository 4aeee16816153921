"""Councils' financial years run from 1 April to 31 March; budgets, contracts' figures and the
insight pages all count in them."""

import datetime as dt


def financial_year(year: int) -> tuple[dt.date, dt.date]:
    """The financial year starting in April of `year`: (1 April, 31 March)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def year_of(day: dt.date) -> int:
    """The financial year a day falls in, named by the year it starts."""
    return day.year if day.month >= 4 else day.year - 1


def requested_year(raw: str, today: dt.date) -> int:
    """A year chosen on a page (?year=2026), or the current financial year."""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else year_of(today)
