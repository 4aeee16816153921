"""Posting to a child's budget account: lock the account, check the balances, move them and
write the entry, in one transaction. The database's check constraints refuse a negative
balance even if a caller skipped the lock."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed, ServiceError
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.families.audit import Audit

from ..models import AllocationRule, BudgetAccount, DirectPaymentAudit, LedgerEntry

Kind = LedgerEntry.Kind
# How each kind of entry moves (available, committed, spent), per pound.
EFFECTS = {
    Kind.ALLOCATION_GRANTED: (1, 0, 0),
    Kind.TOP_UP: (1, 0, 0),
    Kind.FAMILY_CONTRIBUTION: (1, 0, 0),
    Kind.BOOKING_COMMITTED: (-1, 1, 0),
    Kind.BOOKING_RELEASED: (1, -1, 0),
    Kind.DELIVERED_PAID: (0, -1, 1),
    Kind.DIRECT_PAYMENT: (-1, 0, 1),
    Kind.DIRECT_PAYMENT_RETURNED: (0, 0, -1),
    Kind.CLAWBACK: (-1, 0, 0),
}


class InsufficientFunds(ServiceError):
    pass


def _refusal(account: BudgetAccount, kind: str, amount: Decimal) -> str:
    if kind in (Kind.BOOKING_COMMITTED, Kind.DIRECT_PAYMENT, Kind.CLAWBACK):
        return (
            f"There is not enough left in {account.child.first_name}'s budget: £{account.available:,.2f} "
            f"is available and this needs £{amount:,.2f}."
        )
    return "This would take the budget below zero, so it was not recorded."


def post_entry(
    *,
    account: BudgetAccount,
    kind: str,
    amount: Decimal,
    description: str,
    actor,
    reference: str = "",
    reason: str = "",
    deltas: tuple | None = None,
    reverses: LedgerEntry | None = None,
    locked: bool = False,
) -> LedgerEntry:
    """Runs inside the caller's transaction (a booking, a payment, an allocation). locked: the
    caller holds the account's lock and read it after taking it (locked_accounts)."""
    amount = Decimal(amount)
    if amount <= 0:
        raise NotAllowed("An amount must be more than zero.")
    if kind == Kind.FAMILY_CONTRIBUTION:
        rule = AllocationRule.objects.filter(
            authority=account.authority, status=AllocationRule.Status.PUBLISHED
        ).first()
        if rule is None or not rule.family_contributions_allowed:
            raise NotAllowed("This council does not take families' own money into budget accounts.")
    if not locked:
        account = _locking().get(pk=account.pk)
    delta_available, delta_committed, delta_spent = deltas or tuple(amount * x for x in EFFECTS[kind])
    if (
        account.available + delta_available < 0
        or account.committed + delta_committed < 0
        or account.spent + delta_spent < 0
    ):
        raise InsufficientFunds(_refusal(account, kind, amount))
    try:
        # No savepoint: a refusal here ends the caller's whole transaction (all or none), and
        # under a rush every round trip is made with a session locked.
        with transaction.atomic(savepoint=False):
            BudgetAccount.objects.filter(pk=account.pk).update(
                available=F("available") + delta_available,
                committed=F("committed") + delta_committed,
                spent=F("spent") + delta_spent,
            )
    except IntegrityError:  # the database's own refusal: someone wrote without the lock
        raise InsufficientFunds(_refusal(account, kind, amount)) from None
    # What the row now holds, for a caller posting again to the same locked account.
    account.available += delta_available
    account.committed += delta_committed
    account.spent += delta_spent
    entry = LedgerEntry.objects.create(
        authority=account.authority,
        account=account,
        kind=kind,
        amount=amount,
        delta_available=delta_available,
        delta_committed=delta_committed,
        delta_spent=delta_spent,
        description=description,
        reference=reference,
        reason=reason,
        created_by=actor,
        reverses=reverses,
    )
    audit_record(
        authority=account.authority,
        actor=actor,
        action=Audit(f"ledger.{kind}"),  # one member per LedgerEntry.Kind
        target=account,
        summary=f"{entry.get_kind_display()}: £{amount:,.2f} for {account.child}",
        details={"entry": str(entry.pk), "reference": reference, "reason": reason},
    )
    return entry


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def ledger_post(**kwargs) -> LedgerEntry:
    """post_entry as a use case of its own (a top-up, a direct payment, a family's money)."""
    return post_entry(**kwargs)


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def ledger_reverse(*, entry: LedgerEntry, actor, reason: str) -> LedgerEntry:
    """Undo an entry by posting its opposite; the original stays, linked to its correction."""
    if not reason.strip():
        raise NotAllowed("Say why the entry is being corrected.")
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == Kind.REVERSAL or LedgerEntry.objects.filter(reverses=entry).exists():
        raise NotAllowed("This entry has already been corrected.")
    return post_entry(
        account=entry.account,
        kind=Kind.REVERSAL,
        amount=entry.amount,
        actor=actor,
        reason=reason.strip(),
        description=f"Correction of: {entry.description}",
        reference=entry.reference,
        reverses=entry,
        deltas=(-entry.delta_available, -entry.delta_committed, -entry.delta_spent),
    )


def _locking():
    return BudgetAccount.objects.select_for_update(of=("self",)).select_related("child", "authority")


def locked_accounts(children, authority) -> dict:
    """Each child's account by child id, opened on first use, locked in child id order (the
    order every booking and cancellation takes them) in one query, for post_entry(locked=True).
    The accounts carry the given children and authority rather than reading them again."""
    ids = sorted(child.pk for child in children)
    locking = BudgetAccount.objects.select_for_update()
    accounts = {a.child_id: a for a in locking.filter(child_id__in=ids, authority=authority).order_by("child_id")}
    for child in children:
        if child.pk not in accounts:
            accounts[child.pk] = locking.get(pk=account_for(child).pk)
        accounts[child.pk].child, accounts[child.pk].authority = child, authority
    return accounts


def account_for(child) -> BudgetAccount:
    """The child's account, opened on first use. Call inside a transaction."""
    account, _ = BudgetAccount.objects.get_or_create(child=child, defaults={"authority_id": child.authority_id})
    return account


@transaction.atomic(durable=True)
def direct_payment_audit_record(
    *, account: BudgetAccount, period_start, period_end, outcome: str, unspent: Decimal, notes: str, auditor
) -> DirectPaymentAudit:
    """Record the council's audit of a direct payment. Unspent money found is then returned
    with a 'direct payment returned' entry, so the ledger shows it."""
    if period_end < period_start:
        raise NotAllowed("The period must end on or after its start.")
    if outcome == DirectPaymentAudit.Outcome.UNSPENT and unspent <= 0:
        raise NotAllowed("Enter how much was left unspent.")
    audit = DirectPaymentAudit.objects.create(
        authority=account.authority,
        account=account,
        period_start=period_start,
        period_end=period_end,
        outcome=outcome,
        unspent=unspent,
        notes=notes,
        auditor=auditor,
    )
    audit_record(
        authority=account.authority,
        actor=auditor,
        action=Audit.DIRECT_PAYMENT_AUDITED,
        target=account,
        summary=f"Direct payment audit: {audit.get_outcome_display()}",
        details={"audit": str(audit.pk), "unspent": str(unspent)},
    )
    return audit
