"""Contracts: what an award or a call-off becomes once its standstill has passed (or what a
spot purchase or in-house agreement records), offered to the provider, who accepts or declines
it online; later varied through approval."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.core.templatetags.govuk import hours, money
from shortbreaks.directory.models import Organisation, Service
from shortbreaks.procurement.models import Award, CallOff, Lot, Opportunity


class Contract(AuthorityOwned):
    class Kind(models.TextChoices):
        SERVICE = "service", "Service contract"
        BLOCK = "block", "Block contract"
        FRAMEWORK = "framework", "Framework agreement"
        CALL_OFF = "call_off", "Call-off"
        GRANT = "grant", "Grant agreement"
        SPOT = "spot", "Spot purchase"
        IN_HOUSE = "in_house", "In-house service level agreement"

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered, waiting for the provider"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined by the provider"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts")
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    award = models.OneToOneField(Award, null=True, blank=True, on_delete=models.PROTECT, related_name="contract")
    call_off = models.OneToOneField(CallOff, null=True, blank=True, on_delete=models.PROTECT, related_name="contract")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    guaranteed_hours = models.PositiveIntegerField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    offered_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When anything about the contract last changed (open data's "last modified"): every save
    # sets it, a save of named fields too (save() below).
    updated_at = models.DateTimeField(auto_now=True)
    declined_reason = models.CharField(max_length=1000, blank=True)
    # What the platform already knows about delivery comes from these services' sessions.
    services = models.ManyToManyField(Service, blank=True, related_name="contracts")
    extensions_left_months = models.PositiveSmallIntegerField(default=0, help_text="Extension options not yet used.")
    break_clause = models.CharField(max_length=500, blank=True)
    # A family's call-off carries the parent's page key, so a retried submission commits the
    # child's money once.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-offered_at"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="contract_reference_unique"),
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="contract_key_once",
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="contract_period_ordered"),
            models.CheckConstraint(condition=Q(value__gte=0), name="contract_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


class Variation(AuthorityOwned):
    """A proposed change of price (value), volume (guaranteed place-hours) or term (end date). Within
    the authority's tolerance an approver agrees it; beyond it, a formal decision is recorded."""

    class Kind(models.TextChoices):
        PRICE = "price", "Price (contract value)"
        VOLUME = "volume", "Volume (guaranteed place-hours a year)"
        TERM = "term", "Term (end date)"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="variations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    before = models.CharField(max_length=40)
    after = models.CharField(max_length=40)
    change_percent = models.DecimalField(max_digits=7, decimal_places=2)
    needs_decision = models.BooleanField(default=False)
    reason = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decision_reference = models.CharField(max_length=100, blank=True)
    decision_note = models.CharField(max_length=1000, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]

    def figure(self, value: str) -> str:
        """A before or after figure as people read it: "£24,500.00", "700 place-hours",
        "31 March 2028" (they are stored as text: a price, a whole number or an ISO date)."""
        if self.kind == self.Kind.PRICE:
            return money(value)
        if self.kind == self.Kind.VOLUME:
            return f"{hours(value)} place-hours"
        end = dt.date.fromisoformat(value)
        return f"{end.day} {end:%B %Y}"

    @property
    def before_shown(self) -> str:
        return self.figure(self.before)

    @property
    def after_shown(self) -> str:
        return self.figure(self.after)
