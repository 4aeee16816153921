"""Eligibility: a versioned, published policy in plain English; a family's application with
its evidence; the officer's decision with reasons; the eligibility it grants, with a code a
provider can check, which expires and is renewed each year."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from shortbreaks.core.downloads import stored_name
from shortbreaks.core.models import AuthorityOwned

from .families import Child

# Crockford's base32 without the easily confused I, L, O, U: 8 characters, 40 bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class EligibilityPolicy(AuthorityOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "In force"
        RETIRED = "retired", "Retired"

    class Automatic(models.TextChoices):
        NEVER = "never", "An officer decides every application"
        ALL_MET = "all_met", "Approve automatically when every criterion is met"
        ALL_MET_WITH_EHCP = (
            "all_met_with_ehcp",
            "Approve automatically when every criterion is met and the child has an EHC plan",
        )

    version = models.PositiveIntegerField()
    summary = models.TextField(help_text="Who targeted short breaks are for, in plain English.")
    # [{code, text, check, params}]: see families/eligibility.py for the checks.
    criteria = models.JSONField()
    automatic = models.CharField(max_length=30, choices=Automatic.choices, default=Automatic.ALL_MET_WITH_EHCP)
    valid_months = models.PositiveSmallIntegerField(default=12)
    reminder_days = models.PositiveSmallIntegerField(default=30)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "eligibility policies"
        constraints = [
            models.UniqueConstraint(fields=["authority", "version"], name="eligibility_policy_version_unique"),
            models.UniqueConstraint(
                fields=["authority"], condition=Q(status="published"), name="one_eligibility_policy_in_force"
            ),
        ]


class EligibilityApplication(AuthorityOwned):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Not approved"
        REVIEW_REQUESTED = "review_requested", "Review asked for"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="applications")
    policy = models.ForeignKey(EligibilityPolicy, on_delete=models.PROTECT, related_name="applications")
    declarations = models.JSONField(default=dict, help_text="Criterion code to what the family said.")
    checks = models.JSONField(default=list, help_text="Each criterion and whether the record meets it.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    review_reason = models.TextField(blank=True)
    reviewed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=["submitted", "review_requested"]),
                name="one_open_application_per_child",
            ),
        ]


def _evidence_path(instance, filename: str) -> str:
    return stored_name(f"evidence/{instance.application.authority_id}", filename)


class EvidenceDocument(models.Model):
    """Evidence a family uploads. Special category data: served only to the family and the
    authority's officers, always as a download."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(EligibilityApplication, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    original_filename = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Eligibility(AuthorityOwned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Eligible"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Ended"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="eligibilities")
    tier = models.CharField(max_length=20, default="targeted")
    policy = models.ForeignKey(EligibilityPolicy, on_delete=models.PROTECT, related_name="+")
    application = models.OneToOneField(
        EligibilityApplication, null=True, on_delete=models.SET_NULL, related_name="eligibility"
    )
    code = models.CharField(max_length=9, unique=True, default=new_code)
    valid_from = models.DateField()
    expires_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name_plural = "eligibilities"
        constraints = [
            models.UniqueConstraint(
                fields=["child", "tier"], condition=Q(status="active"), name="one_active_eligibility_per_tier"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("valid_from")), name="eligibility_period_ordered"
            ),
        ]
