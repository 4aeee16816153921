"""Authorities own every domain row; the audit log records who did what to which record."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models


class Authority(models.Model):
    """A local authority or health body. Every domain row belongs to exactly one."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        HEALTH_BODY = "health_body", "Health body"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.LOCAL_AUTHORITY)
    # Hostnames this authority's public site answers on (comma separated), e.g.
    # "shortbreaks.example.gov.uk". A request's host picks its authority.
    hostnames = models.CharField(max_length=500, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    # The council's own org-id identifier for open data (OCDS buyer, 360Giving funder), like
    # "GB-PPON-PMZV-7329-TQGH" or "GB-GOR-E10000014"; blank until it has one.
    org_identifier = models.CharField(
        "organisation identifier",
        max_length=60,
        blank=True,
        validators=[
            RegexValidator(
                r"^GB-(PPON|GOR|LAE|LAS|PLA|LANI)-[A-Za-z0-9-]+$",
                "Enter an org-id identifier from GB-PPON, GB-GOR, GB-LAE, GB-LAS, GB-PLA or GB-LANI, "
                "like GB-PPON-PMZV-7329-TQGH",
            )
        ],
    )
    # Where distance searches start when a family gives no postcode: the council's centre.
    centre_postcode = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def hostname_list(self) -> list[str]:
        return [h.strip().lower() for h in self.hostnames.split(",") if h.strip()]


class AuthorityOwned(models.Model):
    """Base for domain rows: each knows its authority, and selectors always filter by it."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing someone did, written in the same transaction as the change itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["authority", "target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.summary}"


class ThrottleHit(models.Model):
    """One attempt at something limited per hour (signing up, inviting, sending a link), kept
    in the database so every web server counts the same attempts. The key is a hash: no
    address or email is stored here."""

    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]


class SitePage(AuthorityOwned):
    """One of the pages every page's footer links to (privacy, accessibility, cookies, the open
    data publication policy), in the council's own words: Markdown, edited by its
    administrators (core/site_pages.py). Made with the authority, with sensible text to start
    from, so a GET never creates one."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", "How we use your information"
        ACCESSIBILITY = "accessibility", "Accessibility statement"
        COOKIES = "cookies", "Cookies"
        # What the council publishes as open data, when, and on what terms: the OCDS
        # publicationPolicy (procurement/ocds.py).
        PUBLICATION_POLICY = "publication_policy", "Open data publication policy"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "kind"], name="one_site_page_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.authority})"
