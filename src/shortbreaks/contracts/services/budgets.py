"""Setting the year's budget lines: the only figures typed in by hand."""

from decimal import Decimal

from django.db import transaction

from shortbreaks.contracts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed

from ..models import BudgetLine


@transaction.atomic(durable=True)
def budget_set(*, authority, year: int, kind: str, amount: Decimal, set_by) -> BudgetLine:
    if kind not in BudgetLine.Kind.values:
        raise NotAllowed("Choose the budget line.")
    if amount is None or amount < 0:
        raise NotAllowed("Give the budget in pounds, 0 or more.")
    line = BudgetLine.objects.select_for_update().filter(authority=authority, year=year, kind=kind).first()
    before = line.amount if line else None
    line, _ = BudgetLine.objects.update_or_create(
        authority=authority, year=year, kind=kind, defaults={"amount": amount}
    )
    audit_record(
        authority=authority,
        actor=set_by,
        action=Audit.CONTRACTS_BUDGET,
        target=line,
        summary=f"{line.get_kind_display()} budget for {year} to {year + 1}: £{amount:,.2f}"
        + (f" (was £{before:,.2f})" if before is not None else ""),
    )
    return line
