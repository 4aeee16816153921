"""Buying short breaks: one `Opportunity` per procurement, whatever the route, with its lots,
questions, clarifications and providers' submissions. A submission is sealed until the
deadline: only its own provider can read it before then (see selectors.readable_submissions)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from shortbreaks.core.downloads import stored_name
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
    # A block contract's guaranteed minimum volume (hours of break a year), which the council
    # pays for whether used or not.
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


class Submission(AuthorityOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="submissions")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="submissions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    price = models.DecimalField("price (£, including VAT)", max_digits=12, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The opportunity changed after this was submitted: the provider must confirm or resubmit.
    needs_confirmation = models.BooleanField(default=False)
    # Two-stage tenders: the council's decision on the selection stage, with its reasons.
    shortlisted = models.BooleanField(null=True, blank=True)
    shortlist_reasons = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lot", "organisation"], name="one_submission_per_lot_and_provider"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="submission_price_not_negative"
            ),
        ]


class Answer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True, max_length=20000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="one_answer_per_question")]


class Evaluator(AuthorityOwned):
    """Someone on an opportunity's evaluation: an officer, or a parent or young person on a
    panel. A moderator agrees the final scores."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    panel = models.CharField(max_length=20, choices=Question.Panel.choices)
    is_moderator = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opportunity", "user"], name="one_evaluator_role_per_user")]


class ConflictDeclaration(AuthorityOwned):
    """Declared before an evaluator sees anything of a lot; a conflict keeps them off it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="declarations")
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="+")
    has_conflict = models.BooleanField()
    details = models.CharField(max_length=1000, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluator", "lot"], name="one_declaration_per_lot")]


class Score(AuthorityOwned):
    """One evaluator's own score of one answer, with the reason; changes are audited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluator = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="scores")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="scores")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    justification = models.TextField(max_length=4000)
    moderated = models.BooleanField(default=False, help_text="The agreed score, recorded by the moderator.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "submission", "question", "moderated"], name="one_score_per_evaluator_answer"
            ),
            models.UniqueConstraint(
                fields=["submission", "question"], condition=Q(moderated=True), name="one_agreed_score_per_answer"
            ),
            models.CheckConstraint(condition=Q(score__lte=10), name="score_out_of_ten"),
        ]


class Award(AuthorityOwned):
    class Status(models.TextChoices):
        STANDSTILL = "standstill", "In the standstill period"
        CONFIRMED = "confirmed", "Confirmed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="award")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="awards")
    total = models.DecimalField(max_digits=6, decimal_places=2)
    # The smallest change of one weight (percentage points) that would change the winner, and
    # which weight; null when no change of one weight would.
    sensitivity_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    sensitivity_basis = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.STANDSTILL)
    # A grant offer's conditions (what the money is for, reporting, clawback).
    conditions = models.TextField(blank=True)
    standstill_ends_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)


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
    # A family's own call-off with their child's budget (the seeds' "called off by parents").
    child = models.ForeignKey("families.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


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


def _document_path(instance, filename: str) -> str:
    return stored_name(f"procurement/{instance.authority_id}", filename)


class ProcurementDocument(AuthorityOwned):
    """A document of the opportunity (public once published) or of a bid (sealed with it).
    Checked for type and size on upload and always served as a download."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_document_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    original_filename = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]


class JointArrangement(AuthorityOwned):
    """Regional commissioning: the lead authority (`authority`) runs the framework; the
    participating authorities call off from it and monitor their own contracts. The record of
    what they agreed (governance, costs, who monitors what) is kept here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    framework = models.OneToOneField(Opportunity, on_delete=models.PROTECT, related_name="joint")
    terms = models.TextField(
        max_length=8000,
        help_text="What the authorities agreed: governance, sharing the procurement's costs, monitoring, leaving.",
    )
    agreed_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class JointParticipant(models.Model):
    arrangement = models.ForeignKey(JointArrangement, on_delete=models.CASCADE, related_name="participants")
    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField()
    signed_for_by = models.CharField(max_length=200, help_text="Who signed the agreement for this authority.")

    class Meta:
        ordering = ["authority__name"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "authority"], name="one_participation_each")]
