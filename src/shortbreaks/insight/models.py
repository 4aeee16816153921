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
