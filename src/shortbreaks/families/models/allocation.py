"""Resource allocation: a published, versioned rule turns an assessment into an annual
allocation of money and hours, and every allocation keeps the lines that explain it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned

from .families import Child


class AllocationRule(AuthorityOwned):
    """One version of an authority's rule. The spec (questions, answers and points; bands) is
    JSON validated by families/rules.py; a published version is never edited, a new draft is."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "In force"
        RETIRED = "retired", "Retired"

    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    spec = models.JSONField()
    annual_budget = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="The money available for allocations in a year."
    )
    family_contributions_allowed = models.BooleanField(
        default=False, help_text="Families may add their own money to a child's budget account."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "version"], name="allocation_rule_version_unique"),
            models.UniqueConstraint(
                fields=["authority"], condition=Q(status="published"), name="one_allocation_rule_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Assessment(AuthorityOwned):
    """A child's answers to the rule's questions, recorded by an officer or social worker."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="assessments")
    rule = models.ForeignKey(AllocationRule, on_delete=models.PROTECT, related_name="assessments")
    answers = models.JSONField(help_text="Question code to answer code.")
    assessed_on = models.DateField()
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]


class Allocation(AuthorityOwned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Current"
        SUPERSEDED = "superseded", "Replaced"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="allocations")
    rule = models.ForeignKey(AllocationRule, on_delete=models.PROTECT, related_name="allocations")
    total_points = models.IntegerField()
    band_code = models.CharField(max_length=50)
    band_name = models.CharField(max_length=200)
    tier = models.CharField(max_length=20)
    annual_amount = models.DecimalField(max_digits=10, decimal_places=2)
    annual_hours = models.PositiveIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    # The lines a family reads: each question, the answer given and the points it earned.
    explanation = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(status="active"), name="one_active_allocation"),
            models.CheckConstraint(condition=Q(annual_amount__gte=0), name="allocation_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="allocation_period_ordered"
            ),
        ]
