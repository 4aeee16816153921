"""Membership of dynamic lists and frameworks, call-offs and mini-competition bids (sealed until
the call-off's deadline)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.directory.models import Organisation

from .opportunities import Lot, Opportunity
from .submissions import Submission


class Membership(AuthorityOwned):
    """A provider on a dynamic list (or appointed to a framework) for a lot: admitted against
    the published criteria, removed only by them, with reasons either way."""

    class Status(models.TextChoices):
        ADMITTED = "admitted", "On the list"
        REFUSED = "refused", "Not admitted"
        REMOVED = "removed", "Removed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="memberships")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(max_length=20, choices=Status.choices)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["lot__number", "organisation__name"]


class CallOff(AuthorityOwned):
    """Buying under a framework: a direct award to a member on the framework's terms, or a
    mini-competition among the lot's members on price, re-ranked with their framework quality
    scores."""

    class Method(models.TextChoices):
        DIRECT = "direct", "Direct award on the framework's terms"
        MINI = "mini", "Mini-competition among the members"

    class Status(models.TextChoices):
        OPEN = "open", "Open for prices"
        AWARDED = "awarded", "Awarded"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    framework = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="call_offs")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="call_offs")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    method = models.CharField(max_length=10, choices=Method.choices)
    justification = models.TextField(blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    awarded_to = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    awarded_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # What the council means to spend and the period bought: the call-off's contract runs for
    # these dates (a family's call-off, which has none, runs for a year from its award).
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # A family's own call-off with their child's budget (the seeds' "called off by parents").
    child = models.ForeignKey("families.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="call_off_period_ordered",
            ),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gt=0), name="call_off_value_positive"),
        ]

    @property
    def state(self) -> str:
        """What the call-off is waiting for, as pages say it: an open mini-competition takes
        prices only until its deadline; a direct award never does."""
        if self.status == self.Status.AWARDED:
            return "Awarded"
        if self.method == self.Method.DIRECT:
            return "Waiting for the award"
        if self.deadline and timezone.now() >= self.deadline:
            return "Prices closed, waiting for the award"
        return "Open for prices"


class CallOffBid(AuthorityOwned):
    """A member's price in a mini-competition: sealed until the call-off's deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="bids")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=12, decimal_places=2)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call_off", "organisation"], name="one_bid_per_member"),
            models.CheckConstraint(condition=Q(price__gt=0), name="call_off_price_positive"),
        ]
