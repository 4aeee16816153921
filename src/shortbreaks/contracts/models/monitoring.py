"""Monitoring a contract: the provider's periodic returns (what the platform knows from bookings
is filled in for them), the payments the commissioner approves, KPIs with targets, and the
authority's monitoring policy."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned

from .contracts import Contract
from .quality import default_standards


class MonitoringPolicy(AuthorityOwned):
    """The authority's own rules for monitoring, versioned: the newest row is in force."""

    version = models.PositiveIntegerField(default=1)
    variation_tolerance_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        help_text="A variation beyond this change of price, volume or term needs a formal decision.",
    )
    return_due_days = models.PositiveSmallIntegerField(
        default=10, help_text="Days after a period ends that its return is due."
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=3, help_text="Days before the due date that providers are reminded."
    )
    approaching_within_percent = models.PositiveSmallIntegerField(default=10)
    improvement_within_percent = models.PositiveSmallIntegerField(default=25)
    # Quality visits' standards and their weights: [[standard, weight], ...], weights adding to 100.
    quality_standards = models.JSONField(default=default_standards)
    block_behind_below_percent = models.PositiveSmallIntegerField(
        default=90,
        help_text="Block use so far below this percentage of the guaranteed hours is shown as behind.",
    )
    # A quality visit's weighted score (1 to 4) from which each rating applies; below the last,
    # Inadequate. A rating below "Approaching the standard" needs an action plan.
    quality_good_from = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("3.5"))
    quality_approaching_from = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("2.5"))
    quality_requires_improvement_from = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("1.5"))
    safeguarding_officer_name = models.CharField(max_length=200, blank=True)
    safeguarding_officer_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "version"], name="monitoring_policy_version_unique")
        ]


class ContractReturn(AuthorityOwned):
    """One period's return. Sessions, places and attendance come from the bookings of the
    contract's services; the provider adds hours, incidents, complaints and the amount claimed."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        SUBMITTED = "submitted", "Submitted, waiting for approval"
        APPROVED = "approved", "Approved and paid"
        QUERIED = "queried", "Queried: please correct and resubmit"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="returns")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    # From the platform, at submission:
    sessions_delivered = models.PositiveIntegerField(default=0)
    places_booked = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    cancellations = models.PositiveIntegerField(default=0)
    # From the provider:
    hours_delivered = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    incidents = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)
    amount_claimed = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    notes = models.TextField(blank=True, max_length=4000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    query_reason = models.CharField(max_length=1000, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period_start"], name="one_return_per_contract_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="return_period_ordered"),
            models.CheckConstraint(condition=Q(amount_claimed__gte=0), name="return_claim_not_negative"),
        ]

    @property
    def attendance_percent(self) -> Decimal | None:
        return (
            (Decimal(self.attended) * 100 / self.places_booked).quantize(Decimal("0.1")) if self.places_booked else None
        )


class Payment(AuthorityOwned):
    """Money paid to a provider under a contract: for an approved return, a milestone, set-up
    costs or a quality-linked payment."""

    class Kind(models.TextChoices):
        RETURN = "return", "Delivered activity (return)"
        MILESTONE = "milestone", "Milestone payment"
        SET_UP = "set_up", "Set-up costs"
        QUALITY = "quality", "Quality-linked payment"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    contract_return = models.OneToOneField(
        ContractReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    description = models.CharField(max_length=300)
    paid_on = models.DateField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A payment recorded on a page carries the page's key, so a retried submission pays once.
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.UniqueConstraint(
                fields=["approved_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="payment_key_once",
            ),
        ]


class KPI(AuthorityOwned):
    class Measure(models.TextChoices):
        ATTENDANCE = "attendance", "Attendance (% of places booked)"
        SESSIONS = "sessions", "Sessions delivered"
        HOURS = "hours", "Place-hours delivered (one child for one hour)"
        INCIDENTS = "incidents", "Incidents"
        COMPLAINTS = "complaints", "Complaints"

    LOWER_IS_BETTER = {Measure.INCIDENTS, Measure.COMPLAINTS}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    measure = models.CharField(max_length=12, choices=Measure.choices)
    target = models.DecimalField(
        max_digits=9, decimal_places=2, help_text="Per return period; at most, for incidents and complaints."
    )

    class Meta:
        ordering = ["measure"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "measure"], name="one_kpi_per_measure"),
            models.CheckConstraint(condition=Q(target__gte=0), name="kpi_target_not_negative"),
        ]


class Milestone(AuthorityOwned):
    """A planned milestone (a grant's or any contract's), paid once the council agrees it is met."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=300)
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="milestone")

    class Meta:
        ordering = ["due_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="milestone_amount_positive")]
