"""A child's budget statement: every ledger entry in order, with the balances after it, the day
of the break it is for, and what it was in words that do not repeat the kind of entry."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from ..models import BudgetAccount, LedgerEntry

# Which day a ledger reference's break is on ("booking:<id>" -> the session's date), told by the
# later app that makes the reference (registered in its AppConfig.ready(): families never
# imports bookings). Each is asked once a statement, with the ids of all its entries.
_BREAK_DAYS: dict[str, Callable[[list[uuid.UUID]], dict[uuid.UUID, dt.date]]] = {}

# Descriptions start with a word saying what happened ("Booking: Saturday Club, 6 Mar 2027"),
# which the kind of entry already says ("Booking made"): the statement leaves it out.
_SAID_BY_THE_KIND = {
    LedgerEntry.Kind.BOOKING_COMMITTED: ("Booking: ",),
    LedgerEntry.Kind.DELIVERED_PAID: ("Delivered: ", "Attended: ", "Paid: "),
    LedgerEntry.Kind.BOOKING_RELEASED: ("Cancelled: ", "Cancelled in time: "),
}


def register_break_days(prefix: str, days: Callable[[list[uuid.UUID]], dict[uuid.UUID, dt.date]]) -> None:
    _BREAK_DAYS[prefix] = days


@dataclass(frozen=True)
class StatementLine:
    entry: LedgerEntry
    change: Decimal  # to what is left to spend
    available: Decimal  # left to spend after this entry
    committed: Decimal  # booked, not yet delivered, after it
    spent: Decimal  # spent so far, after it
    break_on: dt.date | None = None  # the day of the break it is for, if it is for one

    @property
    def what(self) -> str:
        for prefix in _SAID_BY_THE_KIND.get(self.entry.kind, ()):
            if self.entry.description.startswith(prefix):
                return self.entry.description.removeprefix(prefix)
        return self.entry.description

    @property
    def recorded_on(self) -> dt.date:
        return timezone.localdate(self.entry.created_at)


def _break_days(entries: Iterable[LedgerEntry]) -> dict[str, dt.date]:
    wanted = defaultdict(dict)
    for entry in entries:
        prefix, _, raw = entry.reference.partition(":")
        if prefix in _BREAK_DAYS:
            try:
                wanted[prefix][uuid.UUID(raw)] = entry.reference
            except ValueError:
                continue  # not one of that app's ids: no day to show
    days = {}
    for prefix, references in wanted.items():
        for pk, day in _BREAK_DAYS[prefix](list(references)).items():
            days[references[pk]] = day
    return days


def statement_lines(account: BudgetAccount | None) -> list[StatementLine]:
    if account is None:
        return []
    entries = list(account.entries.order_by("created_at", "pk"))
    days = _break_days(entries)
    available = committed = spent = Decimal(0)
    lines = []
    for entry in entries:
        available += entry.delta_available
        committed += entry.delta_committed
        spent += entry.delta_spent
        lines.append(
            StatementLine(entry, entry.delta_available, available, committed, spent, break_on=days.get(entry.reference))
        )
    return lines
