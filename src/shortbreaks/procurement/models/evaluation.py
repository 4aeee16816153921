"""Evaluators, their conflict declarations and scores, and the award."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned

from .opportunities import Lot, Opportunity, Question
from .submissions import Submission


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
    # A grant offer's conditions (what the money is for, reporting, clawback), and the amount the
    # council offers (the applicant's request is the bid's price).
    conditions = models.TextField(blank=True)
    amount_offered = models.DecimalField("amount offered (£)", max_digits=12, decimal_places=2, null=True, blank=True)
    standstill_ends_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
