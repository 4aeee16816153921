"""Feedback from parents and children on a break they went to, with the outcomes they report.
A child who says they felt unsafe raises an alert to the named safeguarding officer at once;
what the council does about it is a list of steps over time, the last closing it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from shortbreaks.bookings.models import Session
from shortbreaks.core.models import AuthorityOwned
from shortbreaks.directory.models import Service
from shortbreaks.families.models import Child

# The outcomes families report: the child's, then the carer's (fields of Feedback below).
OUTCOMES = {
    "had_fun": "Had fun",
    "made_friends": "Made friends",
    "learned_something": "Learned something new",
    "carer_had_break": "Carer had a real break",
    "carer_less_stressed": "Carer feels less stressed",
}
CHILD_OUTCOMES = ("had_fun", "made_friends", "learned_something")


class Feedback(AuthorityOwned):
    class Enjoyed(models.TextChoices):
        GREAT = "great", "Great"
        OKAY = "okay", "Okay"
        NOT_GOOD = "not_good", "Not good"

    class Safe(models.TextChoices):
        YES = "yes", "Yes"
        NOT_SURE = "not_sure", "Not sure"
        NO = "no", "No"

    class Review(models.TextChoices):
        PRIVATE = "private", "Not for publishing"
        PENDING = "pending", "Waiting for moderation"
        PUBLISHED = "published", "Published on the service's page"
        REJECTED = "rejected", "Not published"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="feedback")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_child = models.BooleanField(default=False, help_text="Given by the child or young person themselves.")
    enjoyed = models.CharField(max_length=10, choices=Enjoyed.choices)
    felt_safe = models.CharField(max_length=10, choices=Safe.choices, blank=True)
    # Outcomes: for the child, and (from parents) for the carer. None: not answered.
    had_fun = models.BooleanField(null=True)
    made_friends = models.BooleanField(null=True)
    learned_something = models.BooleanField(null=True)
    carer_had_break = models.BooleanField(null=True)
    carer_less_stressed = models.BooleanField(null=True)
    comment = models.TextField(blank=True, max_length=2000)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PRIVATE)
    reply = models.TextField(blank=True, max_length=2000)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["service", "created_at"])]


class AlertQuerySet(models.QuerySet):
    def open(self):
        """Open until a "closed with outcome" step: the status is the steps', never stored."""
        return self.exclude(
            Exists(SafeguardingStep.objects.filter(alert=OuterRef("pk"), kind=SafeguardingStep.CLOSING))
        )


class SafeguardingAlert(AuthorityOwned):
    """Raised when a child (or a parent for them) says they did not feel safe. Officers record
    what they do as steps; it is open until one closes it with the outcome."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feedback = models.OneToOneField(Feedback, on_delete=models.PROTECT, related_name="alert")
    sent_to = models.CharField(max_length=500)
    raised_at = models.DateTimeField(auto_now_add=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]


class SafeguardingStep(AuthorityOwned):
    """One thing done about an alert, when and by whom: the steps are its record over time."""

    class Kind(models.TextChoices):
        CONTACTED_FAMILY = "contacted_family", "Contacted the family"
        CONTACTED_PROVIDER = "contacted_provider", "Contacted the provider"
        REFERRED = "referred", "Referred on"
        CLOSED = "closed", "Closed with outcome"

    CLOSING = Kind.CLOSED

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(SafeguardingAlert, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(max_length=4000)
    # Empty only for a step carried over from before steps were kept, with no one recorded.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField()
    # The page's key: a double click or a retried post records the step once.
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["taken_at"]
        constraints = [
            # Closed once: a closed alert takes no more steps, and never a second closing.
            models.UniqueConstraint(fields=["alert"], condition=Q(kind="closed"), name="safeguarding_closed_once"),
            models.UniqueConstraint(
                fields=["taken_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="safeguarding_step_once_per_key",
            ),
        ]
