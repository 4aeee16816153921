"""What a commissioner publishes for the market: commissioning intentions, strategy documents
and provider events; and the providers who follow news of opportunities."""

import uuid

from django.db import models
from django.db.models import F, Q

from shortbreaks.core.downloads import stored_name
from shortbreaks.core.models import AuthorityOwned

from .organisations import Organisation
from .taxonomy import TaxonomyTerm


class CommissioningIntention(AuthorityOwned):
    """What the council means to buy or grow, published so the market can prepare."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400)
    body = models.TextField()
    needs = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")
    break_kinds = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")
    estimated_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    expected_start = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


def _document_path(instance, filename: str) -> str:
    return stored_name(f"documents/{instance.authority_id}", filename)


class StrategyDocument(AuthorityOwned):
    """A strategy, market plan or needs analysis the commissioner publishes. Files are checked
    for type and size on upload and always served as downloads."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    file = models.FileField(upload_to=_document_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    original_filename = models.CharField(max_length=200)
    published_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class ProviderEvent(AuthorityOwned):
    """A provider day or briefing, with a limited number of places."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Open for registration"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10, blank=True)
    places = models.PositiveIntegerField()
    registration_closes_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(places__gte=1), name="event_has_places"),
        ]

    def __str__(self) -> str:
        return self.title


class EventRegistration(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(ProviderEvent, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="event_registrations")
    attendee_name = models.CharField(max_length=200)
    attendee_email = models.EmailField()
    access_needs = models.CharField(max_length=300, blank=True)
    registered_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "attendee_email"],
                condition=Q(cancelled_at__isnull=True),
                name="one_live_registration_per_attendee",
            ),
        ]


class OpportunitySubscription(AuthorityOwned):
    """A provider's wish to hear of new opportunities, intentions and events, by kind of break
    and need (none chosen means everything)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    needs = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")
    break_kinds = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="one_subscription_per_email"),
        ]
