"""Opportunities on every route, with their lots, questions and clarifications, and the
authority's procurement policy."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.directory.models import Organisation

# The light-touch regime threshold for social and other specific services, including VAT, from
# 1 January 2026 (Procurement Act 2023 thresholds as amended).
LIGHT_TOUCH_THRESHOLD = Decimal("663540")


def default_price_bands() -> list:
    return [[0, 100], [5, 90], [10, 75], [20, 50], [30, 25]]


class ProcurementPolicy(AuthorityOwned):
    """The authority's own rules: its tender threshold and the light-touch threshold it applies."""

    tender_threshold = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("100000"),
        help_text="Above this (including VAT) the council's rules need a tender.",
    )
    light_touch_threshold = models.DecimalField(max_digits=12, decimal_places=2, default=LIGHT_TOUCH_THRESHOLD)
    standstill_working_days = models.PositiveSmallIntegerField(default=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority"], name="one_procurement_policy_per_authority")]


class Opportunity(AuthorityOwned):
    class Route(models.TextChoices):
        OPEN = "open", "Open tender (single stage)"
        TWO_STAGE = "two_stage", "Two-stage tender (selection first)"
        FRAMEWORK = "framework", "Framework agreement"
        DYNAMIC_LIST = "dynamic_list", "Dynamic list of approved providers"
        BLOCK = "block", "Block contract"
        GRANT = "grant", "Grant call"
        SPOT = "spot", "Spot purchase"
        IN_HOUSE = "in_house", "In-house service level agreement"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for submissions"
        CLOSED = "closed", "Closed: submissions opened"
        AWARDED = "awarded", "Awarded"
        CANCELLED = "cancelled", "Cancelled"

    class PriceFormula(models.TextChoices):
        LOWEST = "lowest", "Lowest price over the bid's price, times the price weight"
        BANDS = "bands", "Price bands: marks by how far a bid is above the lowest price"
        NONE = "none", "Price not scored (grants, fixed-price)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField()
    route = models.CharField(max_length=20, choices=Route.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    justification = models.TextField(
        blank=True, help_text="Why this route: needed for spot purchases and in-house SLAs."
    )
    quality_weight = models.PositiveSmallIntegerField(default=60)
    price_weight = models.PositiveSmallIntegerField(default=40)
    price_formula = models.CharField(max_length=20, choices=PriceFormula.choices, default=PriceFormula.LOWEST)
    # For price bands: [[percent above the lowest price, marks out of 100], ...], widest last; a
    # bid beyond the last band gets 0.
    price_bands = models.JSONField(default=default_price_bands, blank=True)
    # The share of the quality marks each panel of parents or young people sets its own criteria
    # and weights for, e.g. {"parents": 30}.
    panel_shares = models.JSONField(default=dict, blank=True)
    clarification_deadline = models.DateTimeField(null=True, blank=True)
    # Two-stage tenders: selection answers are due by this time; only those shortlisted then
    # write the full tender, due by the submission deadline.
    selection_deadline = models.DateTimeField(null=True, blank=True)
    submission_deadline = models.DateTimeField(null=True, blank=True)
    award_date = models.DateField(null=True, blank=True)
    contract_start = models.DateField(null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # An open framework re-opens to new members on this schedule (Procurement Act 2023 s49: at
    # least once in its first three years, then at least every five).
    reopens_every_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # A re-opening of an open framework: a competition on the framework's terms whose winners
    # join the framework's own lots (see frameworks.appoint_members).
    reopening_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reopenings")
    # A draft announced ahead of publication (a prior information notice): OCDS planning.
    announced_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="opportunity_reference_unique"),
            models.CheckConstraint(
                condition=Q(quality_weight__lte=100) & Q(price_weight__lte=100), name="opportunity_weights_percent"
            ),
            models.CheckConstraint(
                condition=Q(clarification_deadline__isnull=True)
                | Q(submission_deadline__isnull=True)
                | Q(clarification_deadline__lt=F("submission_deadline")),
                name="clarifications_close_before_submissions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def ocid(self) -> str:
        return f"{settings.OCDS_PREFIX}-{self.authority_id}-{self.reference}"

    @property
    def estimated_value(self) -> Decimal:
        return sum((lot.value for lot in self.lots.all()), Decimal("0"))


class Lot(AuthorityOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    value = models.DecimalField("estimated value (£, including VAT)", max_digits=12, decimal_places=2)
    # Frameworks and dynamic lists appoint several providers per lot; a tender one.
    max_providers = models.PositiveSmallIntegerField(default=1)
    # A block contract's guaranteed minimum volume (place-hours a year: one child for one
    # hour), which the council pays for whether used or not.
    guaranteed_hours = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="lot_number_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="lot_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"


class Question(AuthorityOwned):
    class Kind(models.TextChoices):
        SELECTION = "selection", "Selection (pass or fail)"
        AWARD = "award", "Award (scored 0 to 10)"

    class Panel(models.TextChoices):
        OFFICERS = "officers", "Council officers"
        PARENTS = "parents", "Parents' panel"
        YOUNG_PEOPLE = "young_people", "Young people's panel"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    guidance = models.TextField(
        blank=True, help_text="What a good answer shows; score descriptors for award questions."
    )
    weight = models.PositiveSmallIntegerField(default=0, help_text="Share of the quality marks, in percent.")
    panel = models.CharField(max_length=20, choices=Panel.choices, default=Panel.OFFICERS)

    class Meta:
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "kind", "number"], name="question_number_unique"),
            models.CheckConstraint(condition=Q(weight__lte=100), name="question_weight_percent"),
        ]


class Clarification(AuthorityOwned):
    """A provider's question and the council's answer, published to everyone without saying
    who asked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="clarifications")
    asked_by = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    question = models.TextField(max_length=2000)
    answer = models.TextField(blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]
