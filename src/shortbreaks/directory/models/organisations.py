import uuid

from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned


class Organisation(AuthorityOwned):
    """A provider of short breaks: voluntary, private, in-house council service or health."""

    class Kind(models.TextChoices):
        VOLUNTARY = "voluntary", "Voluntary or community"
        PRIVATE = "private", "Private"
        IN_HOUSE = "in_house", "In-house council service"
        HEALTH = "health", "NHS or health"
        SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    is_small = models.BooleanField(
        "small provider",
        default=False,
        help_text="Fewer than 50 staff: eligible for the council's support to small providers.",
    )
    # An organisation a provider registered is hidden from the public until approved.
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["authority", "name"])]

    def __str__(self) -> str:
        return self.name


class ProviderSupport(AuthorityOwned):
    """Support the council gives a (usually small) provider to grow the market: training
    places, capacity-building funding, premises at a peppercorn rent."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training places"
        FUNDING = "funding", "Capacity-building funding"
        PREMISES = "premises", "Premises"
        ADVICE = "advice", "Business or tendering advice"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="support")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    given_on = models.DateField()
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0) | Q(value__isnull=True), name="provider_support_value_not_negative"
            ),
        ]
