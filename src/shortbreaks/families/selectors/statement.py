"""A child's budget statement: every ledger entry in order, with the balances after it."""

from dataclasses import dataclass
from decimal import Decimal

from ..models import BudgetAccount, LedgerEntry


@dataclass(frozen=True)
class StatementLine:
    entry: LedgerEntry
    change: Decimal  # to what is left to spend
    available: Decimal  # left to spend after this entry
    committed: Decimal  # booked, not yet delivered, after it
    spent: Decimal  # spent so far, after it


def statement_lines(account: BudgetAccount | None) -> list[StatementLine]:
    if account is None:
        return []
    available = committed = spent = Decimal(0)
    lines = []
    for entry in account.entries.order_by("created_at", "pk"):
        available += entry.delta_available
        committed += entry.delta_committed
        spent += entry.delta_spent
        lines.append(StatementLine(entry, entry.delta_available, available, committed, spent))
    return lines
