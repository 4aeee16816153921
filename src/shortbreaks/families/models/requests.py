"""A family's request for a copy of everything the council holds about it (UK GDPR article 15):
a carer asks, an officer checks and releases it, and the family's carers download it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shortbreaks.core.models import AuthorityOwned

from .families import Family


class AccessRequest(AuthorityOwned):
    class Status(models.TextChoices):
        ASKED = "asked", "Waiting for the council"
        RELEASED = "released", "Ready to download"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="access_requests")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    # The law's answer time: one calendar month from the request.
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASKED)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"], condition=Q(status="asked"), name="one_open_access_request_per_family"
            )
        ]

    def __str__(self) -> str:
        return f"{self.family} asked {timezone.localtime(self.asked_at):%-d %B %Y}"
