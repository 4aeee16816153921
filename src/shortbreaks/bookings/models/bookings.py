import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.families.models import Child

from .sessions import Session

LIVE = ("confirmed", "attended")  # bookings that hold a place
# Places taken and paid for: live ones, and those charged although the child did not come (a
# no-show, a late cancellation). Returns, block use and the insight figures count these.
CHARGED = (*LIVE, "no_show", "cancelled_late")


class BookingGroup(AuthorityOwned):
    """One submission by a parent (several children, several sessions), booked all or none.
    Its idempotency key makes a retried or double-clicked submission book once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booked_by", "idempotency_key"], name="booking_key_once")]


class Booking(AuthorityOwned):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        CANCELLED_LATE = "cancelled_late", "Cancelled late"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not come"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(BookingGroup, on_delete=models.PROTECT, related_name="bookings")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    staff_units = models.PositiveSmallIntegerField(default=0)
    with_transport = models.BooleanField(default=False)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session__date", "session__starts_at"]
        indexes = [models.Index(fields=["session", "status"])]
        constraints = [
            # A child holds at most one place in a session, whatever the code does.
            models.UniqueConstraint(
                fields=["session", "child"], condition=Q(status__in=LIVE), name="one_live_booking_per_child_and_session"
            ),
        ]


class WaitingListEntry(AuthorityOwned):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered a place"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Offer ran out"
        LEFT = "left", "Left the list"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="waiting_list")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="waiting")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    with_transport = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "child"],
                condition=Q(status__in=["waiting", "offered"]),
                name="one_waiting_entry_per_child",
            ),
        ]
