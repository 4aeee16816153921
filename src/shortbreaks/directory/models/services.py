"""Services, where and when they run, what they cost, and who to contact: the Open Referral UK
(HSDS 3.0) shape, with the Local Offer questions councils must answer for families."""

import uuid

from django.db import models
from django.db.models import F, Q

from shortbreaks.core.models import AuthorityOwned

from .organisations import Organisation
from .taxonomy import TaxonomyTerm


class Service(AuthorityOwned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    class Registration(models.TextChoices):
        NONE = "", "Not registered"
        OFSTED = "ofsted", "Ofsted"
        CQC = "cqc", "Care Quality Commission"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    minimum_age = models.PositiveSmallIntegerField(default=0)
    maximum_age = models.PositiveSmallIntegerField(default=18)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Children it can take at one time.")
    is_free = models.BooleanField(default=False)
    fees = models.CharField(max_length=300, blank=True)
    registration = models.CharField(max_length=10, choices=Registration.choices, blank=True, default=Registration.NONE)
    registration_number = models.CharField(max_length=20, blank=True, help_text="Ofsted URN or CQC location ID.")
    accreditations = models.CharField(max_length=300, blank=True)
    # The SEND Local Offer questions.
    send_support = models.TextField("how the service supports children with SEND", blank=True)
    staff_training = models.TextField("staff training and experience", blank=True)
    accessibility = models.TextField("accessibility", blank=True)
    how_to_contact = models.TextField("how to get in touch or refer", blank=True)
    needs = models.ManyToManyField(TaxonomyTerm, related_name="services_by_need", blank=True)
    break_kinds = models.ManyToManyField(TaxonomyTerm, related_name="services_by_kind", blank=True)
    # A provider's new service stays off the public directory until a commissioner approves it.
    is_published = models.BooleanField(default=False)
    # Listing freshness (services/freshness.py): the day someone last confirmed the listing is
    # still right, and who. The published assurer is the organisation's (or council's) address,
    # never the person's own: open data is no place for a member of staff's email.
    assured_on = models.DateField("last checked", null=True, blank=True, db_index=True)
    assured_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assurer_email = models.EmailField(blank=True)
    # The reminder for the current confirmation went out (cleared by the next confirmation).
    freshness_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["authority", "is_published", "status"]),
            models.Index(fields=["authority", "name"]),
            # The search's filters and order, read from the index alone on PostgreSQL (a
            # service's row is wide with its texts): see docs/architecture.md, Search.
            models.Index(
                fields=["authority", "name", "id"],
                include=["organisation", "status", "assured_on", "minimum_age", "maximum_age", "is_free"],
                condition=Q(is_published=True),
                name="service_public_listing",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(minimum_age__lte=F("maximum_age")), name="service_age_range_ordered"),
            models.CheckConstraint(condition=Q(maximum_age__lte=25), name="service_age_at_most_25"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.is_published and self.organisation.is_published


class Location(AuthorityOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    address_1 = models.CharField("address line 1", max_length=200)
    address_2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField("town or city", max_length=100)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10)
    # From the postcode's centroid, so distance searches need no network call.
    latitude = models.FloatField()
    longitude = models.FloatField()
    accessibility = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        # A distance search first takes the locations inside its radius's bounding box.
        indexes = [models.Index(fields=["authority", "latitude", "longitude"], name="location_bounding_box")]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")]


class Schedule(models.Model):
    """When a service runs, as an RFC 5545 recurrence (the HSDS schedule shape)."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=10, choices=Freq.choices, default=Freq.WEEKLY)
    interval = models.PositiveSmallIntegerField(default=1)
    byday = models.CharField(max_length=30, blank=True, help_text="e.g. SA,SU")
    dtstart = models.DateField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(interval__gte=1), name="schedule_interval_positive"),
        ]

    @property
    def days(self) -> list[str]:
        return [d for d in self.byday.split(",") if d]

    def rrule(self) -> str:
        parts = [f"FREQ={self.freq}", f"INTERVAL={self.interval}"]
        if self.byday:
            parts.append(f"BYDAY={self.byday}")
        if self.valid_to:
            parts.append(f"UNTIL={self.valid_to:%Y%m%d}")
        return ";".join(parts)


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    amount_description = models.CharField(max_length=200, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["amount"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative"),
        ]


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)


class ServiceArea(models.Model):
    """A postcode district a service covers, e.g. for breaks delivered in the family home."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    district = models.CharField(max_length=4, db_index=True)

    class Meta:
        ordering = ["district"]
        constraints = [models.UniqueConstraint(fields=["service", "district"], name="service_area_unique")]
