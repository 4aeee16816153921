"""Personal budgets as a ledger. Entries are never edited or deleted, only reversed; the
account's three balances move with each entry in the same transaction, and the database
refuses any balance below zero, so concurrent spends can never overspend."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned

from .families import Child


class BudgetAccount(AuthorityOwned):
    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="budget")
    available = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    committed = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    spent = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(available__gte=0), name="budget_available_never_negative"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="budget_committed_never_negative"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="budget_spent_never_negative"),
        ]

    def __str__(self) -> str:
        return f"Budget of {self.child}"


class DirectPaymentAudit(AuthorityOwned):
    """The council's check that a family spent a direct payment on what it was for."""

    class Outcome(models.TextChoices):
        SATISFACTORY = "satisfactory", "Spent as agreed"
        UNSPENT = "unspent", "Money left unspent: to be returned"
        CONCERN = "concern", "Concern: follow up with the family"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(BudgetAccount, on_delete=models.PROTECT, related_name="audits")
    period_start = models.DateField()
    period_end = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    unspent = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    notes = models.TextField(blank=True)
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end"]
        constraints = [
            models.CheckConstraint(condition=Q(unspent__gte=0), name="dp_audit_unspent_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="dp_audit_period_ordered"
            ),
        ]


class LedgerEntry(AuthorityOwned):
    class Kind(models.TextChoices):
        ALLOCATION_GRANTED = "allocation_granted", "Allocation granted"
        TOP_UP = "top_up", "Top-up"
        FAMILY_CONTRIBUTION = "family_contribution", "Money added by the family"
        BOOKING_COMMITTED = "booking_committed", "Booking made"
        BOOKING_RELEASED = "booking_released", "Booking cancelled"
        DELIVERED_PAID = "delivered_paid", "Break delivered and paid"
        DIRECT_PAYMENT = "direct_payment", "Direct payment made"
        DIRECT_PAYMENT_RETURNED = "direct_payment_returned", "Unspent direct payment returned"
        CLAWBACK = "clawback", "Unused allocation taken back"
        REVERSAL = "reversal", "Correction"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(BudgetAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # How the entry moved each balance, so the balances always equal the sums of the entries.
    delta_available = models.DecimalField(max_digits=12, decimal_places=2)
    delta_committed = models.DecimalField(max_digits=12, decimal_places=2)
    delta_spent = models.DecimalField(max_digits=12, decimal_places=2)
    description = models.CharField(max_length=300)
    reference = models.CharField(max_length=100, blank=True, help_text="e.g. a booking or payment reference")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    reason = models.CharField(max_length=300, blank=True)
    # PROTECT: the database refuses any update of an entry, so a deleted user could not be
    # nulled here; people are anonymised, never deleted, once they have touched money.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Ledger entries are never changed: post a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are never deleted: post a reversal instead.")
