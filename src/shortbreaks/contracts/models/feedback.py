"""Feedback from parents and children on a service or session, at any time, with the outcomes
they report. A child who says they felt unsafe raises an alert to the named safeguarding
officer at once."""

import uuid

from django.conf import settings
from django.db import models

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


class SafeguardingAlert(AuthorityOwned):
    """Raised when a child says they felt unsafe; stays open until an officer records what
    was done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feedback = models.OneToOneField(Feedback, on_delete=models.PROTECT, related_name="alert")
    sent_to = models.CharField(max_length=500)
    raised_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action_taken = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["handled_at", "-raised_at"]
