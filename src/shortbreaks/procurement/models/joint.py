"""Regional commissioning: a framework shared by several councils."""

import uuid

from django.conf import settings
from django.db import models

from shortbreaks.core.models import AuthorityOwned

from .opportunities import Opportunity


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
