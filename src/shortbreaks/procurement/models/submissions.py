"""Providers' submissions and their answers: sealed until the opening (procurement/selectors/sealing.py
is the only code that reads them)."""

import uuid

from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.directory.models import Organisation

from .opportunities import Lot, Opportunity, Question


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
