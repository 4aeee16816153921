"""The authority's rules for keeping listings fresh, versioned: the newest row is in force."""

from django.db import models

from shortbreaks.core.models import AuthorityOwned


class ListingPolicy(AuthorityOwned):
    version = models.PositiveIntegerField(default=1)
    # The Open Referral UK profile expects a listing assured within the last 3 months.
    check_every_days = models.PositiveSmallIntegerField(
        default=90,
        help_text="A listing nobody has confirmed for this many days is out of date: flagged to commissioners, "
        "shown last in search and left out of the gap analysis's supply.",
    )
    remind_days_before = models.PositiveSmallIntegerField(
        default=14, help_text="Days before a listing falls out of date that its provider is reminded to check it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "listing policies"
        constraints = [
            models.UniqueConstraint(fields=["authority", "version"], name="listing_policy_version_unique"),
            models.CheckConstraint(
                condition=models.Q(remind_days_before__lt=models.F("check_every_days")),
                name="listing_policy_reminder_before_limit",
            ),
        ]
