import uuid

from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned


class Organisation(AuthorityOwned):
    """A provider of short breaks: voluntary, private, in-house council service or health.

    A provider registers its organisation itself (services/registrations.py); it stays hidden
    from the public until a commissioner approves the registration, and the database refuses
    to publish one that is not approved."""

    class Registration(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

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
    # Find a Tender's Public Procurement Organisation Number, like "PMZV-7329-TQGH".
    ppon = models.CharField("PPON", max_length=20, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    cqc_location_id = models.CharField("CQC location ID", max_length=16, blank=True)
    address_line = models.CharField("address", max_length=300, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    contact_name = models.CharField("main contact's name", max_length=200, blank=True)
    is_small = models.BooleanField(
        "small provider",
        default=False,
        help_text="Fewer than 50 staff: eligible for the council's support to small providers.",
    )
    # An organisation a provider registered is hidden from the public until approved.
    is_published = models.BooleanField(default=False)
    registration = models.CharField(max_length=10, choices=Registration.choices, default=Registration.PENDING)
    refusal_reason = models.TextField(blank=True)
    registered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["authority", "name"]),
            models.Index(fields=["authority", "registration"]),
        ]
        constraints = [
            # Nothing of an organisation is public until the council has approved it.
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(registration="approved"),
                name="organisation_published_only_when_approved",
            ),
        ]

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
