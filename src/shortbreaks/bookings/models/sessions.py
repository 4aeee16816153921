"""Sessions families can book: a date and times at a service, with places, individual-support
staffing and transport seats, and the rules for booking and cancelling."""

import uuid

from django.db import models
from django.db.models import F, Q

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.directory.models import Location, Organisation, Service


class Scheme(AuthorityOwned):
    """Sessions from several providers booked through one coordinating organisation (the
    seeds' Halton Christmas scheme), who sees and manages every booking of the scheme."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    coordinator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="coordinated_schemes")
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class Session(AuthorityOwned):
    class Tier(models.TextChoices):
        UNIVERSAL = "universal", "Open to all"
        TARGETED = "targeted", "Needs targeted eligibility"
        SPECIALIST = "specialist", "Needs a specialist allocation"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="sessions")
    scheme = models.ForeignKey(Scheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    places = models.PositiveIntegerField()
    # Staff free for individual support: a 1:1 child uses one, a 2:1 child two.
    support_staff = models.PositiveIntegerField(default=0)
    transport_seats = models.PositiveIntegerField(default=0)
    minimum_age = models.PositiveSmallIntegerField(default=0)
    maximum_age = models.PositiveSmallIntegerField(default=25)
    tier = models.CharField(max_length=20, choices=Tier.choices, default=Tier.TARGETED)
    price = models.DecimalField(
        max_digits=8, decimal_places=2, default=0, help_text="Charged to the child's budget; 0 for free sessions."
    )
    booking_opens_at = models.DateTimeField()
    booking_closes_at = models.DateTimeField()
    cancellation_deadline = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "starts_at"]
        indexes = [models.Index(fields=["authority", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="session_has_places"),
            models.CheckConstraint(condition=Q(price__gte=0), name="session_price_not_negative"),
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=F("booking_opens_at")), name="session_booking_window"
            ),
            models.CheckConstraint(condition=Q(minimum_age__lte=F("maximum_age")), name="session_age_range"),
        ]

    def __str__(self) -> str:
        return f"{self.service.name}, {self.date:%-d %B %Y}"

    @property
    def venue(self):
        """Where the session happens: its own location, else the service's first; None for a
        service that comes to the family (prefetch service__service_at_locations__location)."""
        if self.location_id:
            return self.location
        return next((sal.location for sal in self.service.service_at_locations.all()), None)


class BookingPolicy(AuthorityOwned):
    """The authority's rules for cancellations, no-shows and waiting-list offers (policy as
    data, changed in the admin site; one per authority)."""

    late_cancellation_charged = models.BooleanField(
        default=True, help_text="A cancellation after the deadline is paid from the budget as if delivered."
    )
    no_show_charged = models.BooleanField(default=True)
    offer_hours = models.PositiveSmallIntegerField(default=24, help_text="How long a waiting-list offer stays open.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority"], name="one_booking_policy_per_authority")]
