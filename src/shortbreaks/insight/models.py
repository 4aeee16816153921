"""Insight's own data: the authority's school holidays, so that demand and supply can be split
into term time and school holidays (policy data, per authority and year)."""

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
