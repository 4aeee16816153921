"""Provider edits wait for a commissioner. A ListingChange holds a whole snapshot of the record
as proposed and as it stood when the provider started; approved changes are the record's
history (who, when, what changed) and any of them can be restored."""

import uuid

from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned

from .organisations import Organisation
from .services import Service


class ListingChange(AuthorityOwned):
    class Subject(models.TextChoices):
        SERVICE = "service", "Service"
        ORGANISATION = "organisation", "Organisation"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned to provider"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SUPERSEDED = "superseded", "Replaced by a later change"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="changes")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    proposed = models.JSONField()
    # The record as it stood when the change was drafted: the "before" of the side-by-side view,
    # and how approval notices that someone else changed the record meanwhile.
    original = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    restored_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["authority", "status", "submitted_at"])]
        constraints = [
            # One pending change per record at a time: a newer draft supersedes the older one.
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(status="pending", service__isnull=False),
                name="one_pending_change_per_service",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending", subject="organisation"),
                name="one_pending_change_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(subject="organisation", service__isnull=True) | Q(subject="service"),
                name="organisation_change_has_no_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} change to {self.proposed.get('name', '')}"
