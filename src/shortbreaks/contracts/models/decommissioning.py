"""Planning to reduce or end a service around the children it affects: each needs an
alternative before the plan can be completed."""

import uuid

from django.conf import settings
from django.db import models

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.directory.models import Service
from shortbreaks.families.models import Child


class DecommissioningPlan(AuthorityOwned):
    class Change(models.TextChoices):
        REDUCE = "reduce", "Reduce the service"
        END = "end", "End the service"

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        COMPLETED = "completed", "Completed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="decommissioning_plans")
    change = models.CharField(max_length=10, choices=Change.choices)
    reasons = models.TextField(max_length=4000)
    communications = models.TextField(blank=True, max_length=4000, help_text="Who is told what, how and when.")
    families_told_by = models.DateField()
    last_day = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(families_told_by__lte=models.F("last_day")), name="families_told_before_the_last_day"
            )
        ]


class AffectedChild(AuthorityOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(DecommissioningPlan, on_delete=models.CASCADE, related_name="affected")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    alternative = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    alternative_notes = models.CharField(max_length=1000, blank=True)
    family_told_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["child__last_name", "child__first_name"]
        constraints = [models.UniqueConstraint(fields=["plan", "child"], name="one_entry_per_child_and_plan")]

    @property
    def has_alternative(self) -> bool:
        return self.alternative_id is not None or bool(self.alternative_notes.strip())
