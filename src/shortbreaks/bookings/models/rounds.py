"""Request rounds: instead of first come, first served, families ask for a scheme's sessions in
order of preference during a window, then the platform shares the places out fairly."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.families.models import Child, Family

from .sessions import Scheme, Session


def default_need_weights() -> dict:
    # Keyed by the child's eligibility: a specialist allocation, targeted eligibility, neither.
    return {"specialist": 3, "targeted": 2, "universal": 1}


class RequestRound(AuthorityOwned):
    class Status(models.TextChoices):
        COLLECTING = "collecting", "Taking requests"
        ALLOCATING = "allocating", "Sharing out places"
        ALLOCATED = "allocated", "Places shared out, not yet confirmed"
        CONFIRMED = "confirmed", "Confirmed and families told"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    max_sessions_per_child = models.PositiveSmallIntegerField(default=3)
    max_choices = models.PositiveSmallIntegerField(default=6)
    need_weights = models.JSONField(default=default_need_weights)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COLLECTING)
    # What the solver reported: requests, granted, seconds, gap, satisfaction, and first come,
    # first served on the same requests for comparison.
    result = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    allocated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="round_window_ordered"),
            models.CheckConstraint(condition=Q(max_sessions_per_child__gte=1), name="round_cap_positive"),
            # One round at a time per scheme: its sessions are not bookable first come, first
            # served until the round is confirmed.
            models.UniqueConstraint(
                fields=["scheme"], condition=~Q(status="confirmed"), name="one_live_round_per_scheme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} requests ({timezone.localtime(self.opens_at):%-d %B %Y})"

    def is_open(self, now) -> bool:
        return self.status == self.Status.COLLECTING and self.opens_at <= now < self.closes_at


class FamilyRequest(AuthorityOwned):
    """One family's requests in a round, changed as often as they like until it closes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(RequestRound, on_delete=models.CASCADE, related_name="family_requests")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="scheme_requests")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    siblings_together = models.BooleanField(default=True)
    with_transport = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "family"], name="one_request_per_family_and_round")]


class PlaceRequest(AuthorityOwned):
    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting for the allocation"
        GRANTED = "granted", "Place given"
        NOT_GRANTED = "not_granted", "No place this time"
        NOT_ELIGIBLE = "not_eligible", "Could not be considered"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family_request = models.ForeignKey(FamilyRequest, on_delete=models.CASCADE, related_name="places")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="place_requests")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="place_requests")
    rank = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["child__first_name", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["family_request", "child", "session"], name="one_request_per_child_session"
            ),
            models.UniqueConstraint(fields=["family_request", "child", "rank"], name="one_session_per_child_rank"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="request_rank_positive"),
        ]
