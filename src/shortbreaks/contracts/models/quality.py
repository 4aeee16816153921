"""Quality visits: the council's officers score a contract's service against its standards;
the provider may correct facts in the draft for 14 days; a poor rating needs an action plan."""

import uuid

from django.conf import settings
from django.db import models

from shortbreaks.core.models import AuthorityOwned

from .contracts import Contract

# Each standard scored 1 to 4; the weighted mean gives the rating.
SCORES = {4: "Good", 3: "Approaching the standard", 2: "Requires improvement", 1: "Inadequate"}


def default_standards() -> list:
    return [
        ["Keeping children safe", 30],
        ["Staffing, training and continuity", 20],
        ["Activities, choice and fun", 20],
        ["Premises, equipment and transport", 15],
        ["Listening to children and families", 15],
    ]


class QualityVisit(AuthorityOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: with the provider to check the facts"
        FINAL = "final", "Final"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField()
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # [{"standard": ..., "weight": ..., "score": 1-4, "evidence": ...}]
    scores = models.JSONField()
    overall = models.DecimalField(max_digits=4, decimal_places=2)
    rating = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    facts_due_on = models.DateField()
    corrections = models.TextField(blank=True, max_length=4000)
    corrected_at = models.DateTimeField(null=True, blank=True)
    council_response = models.TextField(blank=True, max_length=4000)
    finalised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on"]

    @property
    def poor(self) -> bool:
        """Below "Approaching the standard", by the policy's bands when the visit was recorded."""
        return self.rating in (SCORES[2], SCORES[1])


class ActionPlanItem(AuthorityOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(QualityVisit, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(max_length=1000)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    provider_note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["due_on"]
