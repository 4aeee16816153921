"""Insight's own data: the authority's school holidays, so that demand and supply can be split
into term time and school holidays (policy data, per authority and year); its published
statements; and the sections of the market position statement the council writes itself."""

from django.db import models
from django.db.models import F, Q

from shortbreaks.core.models import AuthorityOwned


class SchoolHoliday(AuthorityOwned):
    name = models.CharField(max_length=100, help_text="For example, 'Summer holiday 2027'.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="holiday_period_ordered")]

    def __str__(self) -> str:
        return self.name


def _statement_path(instance, filename: str) -> str:
    return f"statements/{instance.authority_id}/{instance.kind}-v{instance.version}-{filename}"


class Statement(AuthorityOwned):
    """A published statement: the live figures frozen at publication (content), with a version
    history and a review date. Its PDFs are made by the worker after publication."""

    class Kind(models.TextChoices):
        MARKET_POSITION = "market_position", "Market position statement"
        SERVICES = "services", "Short Breaks Services Statement"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField()
    content = models.JSONField()
    # The charts of the content (SVG data URIs), drawn once at publication: the public pages and
    # the PDFs show these rather than drawing them again for every visitor.
    charts = models.JSONField(default=dict)
    summary_of_changes = models.CharField(max_length=500, blank=True)
    review_by = models.DateField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    pdf = models.FileField(upload_to=_statement_path, blank=True, max_length=300)
    easy_read_pdf = models.FileField(upload_to=_statement_path, blank=True, max_length=300)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "kind", "version"], name="statement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.version}"


class StatementSection(AuthorityOwned):
    """A section of the market position statement in the council's own words ("Our vision",
    "What we want from providers"), placed among the live figures. It is a draft: publishing
    copies the sections into the new version's content, so a later edit never changes a
    published version."""

    class Place(models.TextChoices):  # in the order they come in the statement
        START = "start", "At the start, before the figures"
        NEEDS = "needs", "After ‘What families need’"
        SUPPLY = "supply", "After ‘What there is, and the gaps’"
        MONEY = "money", "After ‘The money’"
        END = "end", "At the end, after ‘What we intend to commission’"

    place = models.CharField(max_length=10, choices=Place.choices, default=Place.START)
    position = models.PositiveSmallIntegerField(default=1, help_text="Its order among the sections in the same place.")
    heading = models.CharField(max_length=120)
    body = models.TextField(help_text="Plain text; a blank line between paragraphs.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(heading=""), name="statement_section_has_heading"),
            models.CheckConstraint(condition=~Q(body=""), name="statement_section_has_body"),
        ]

    def __str__(self) -> str:
        return self.heading
