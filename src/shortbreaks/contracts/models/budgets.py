"""The authority's short breaks budget per financial year, split into lines. Only the budget is
typed in: committed, spent and forecast come from contracts, payments and the ledger."""

from django.db import models
from django.db.models import Q

from shortbreaks.core.models import AuthorityOwned


class BudgetLine(AuthorityOwned):
    class Kind(models.TextChoices):
        PROCURED = "procured", "Procured services"
        DIRECT_PAYMENTS = "direct_payments", "Personal budgets and direct payments"
        GRANTS = "grants", "Grants"

    year = models.PositiveSmallIntegerField(help_text="The financial year starting in April of this year.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year", "kind"], name="one_budget_line_per_year_and_kind"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]
