"""The commissioner's home page: budget, block contracts' use, the biggest gaps, performance
ratings, what families say, and the deadlines coming up, each from the records."""

import datetime as dt
from collections import Counter

from django.db.models import Count, Q

from shortbreaks.assistants.models import Assistant
from shortbreaks.assistants.selectors import WARN_DAYS
from shortbreaks.contracts.models import Contract, ContractReturn, Feedback, SafeguardingAlert
from shortbreaks.contracts.selectors import block_standing, budget_figures, outcomes_for, policy_for
from shortbreaks.contracts.selectors.ratings import LABELS, RATINGS, latest_ratings
from shortbreaks.core.years import year_of
from shortbreaks.directory.models import ListingChange, Organisation
from shortbreaks.procurement.models import Opportunity

from .gaps import Filters, gap_analysis


def home_figures(*, authority, today: dt.date) -> dict:
    year = year_of(today)
    figures = budget_figures(authority=authority, year=year)
    active = list(
        Contract.objects.filter(authority=authority, status=Contract.Status.ACTIVE)
        .select_related("organisation")
        .prefetch_related("kpis")
    )
    policy = policy_for(authority)
    block = []
    for contract in active:
        if contract.kind == Contract.Kind.BLOCK and contract.guaranteed_hours:
            if standing := block_standing(contract, today, policy):
                block.append((contract, standing))
    # A return approved without KPIs to rate leaves the contract unrated, not in a band.
    ratings = Counter(rating.overall for rating in latest_ratings(active, policy).values() if rating.overall)
    recent = Feedback.objects.filter(authority=authority, created_at__date__gte=today - dt.timedelta(days=90))
    analysis = gap_analysis(authority=authority, filters=Filters(year=year))
    soon = today + dt.timedelta(days=WARN_DAYS)
    return {
        "year": year,
        "budget": figures,
        "budget_total": {
            name: sum(getattr(f, name) for f in figures) for name in ("budget", "committed", "spent", "forecast")
        },
        "block_contracts": block,
        "gaps": [c for c in analysis.rows if c.shortfall][:5],
        "needs": analysis.needs,
        "ratings": [(LABELS[r], ratings.get(r, 0)) for r in RATINGS],
        "unrated": len(active) - sum(ratings.values()),
        "feedback": recent.aggregate(
            total=Count("pk"),
            great=Count("pk", filter=Q(enjoyed="great")),
            okay=Count("pk", filter=Q(enjoyed="okay")),
            not_good=Count("pk", filter=Q(enjoyed="not_good")),
        ),
        "outcomes": outcomes_for(recent),
        "alerts_open": SafeguardingAlert.objects.open().filter(authority=authority).count(),
        "tenders_closing": Opportunity.objects.filter(
            authority=authority,
            status=Opportunity.Status.OPEN,
            submission_deadline__date__range=(today, today + dt.timedelta(days=30)),
        ).order_by("submission_deadline"),
        "returns": ContractReturn.objects.filter(
            authority=authority, status__in=[ContractReturn.Status.DUE, ContractReturn.Status.QUERIED]
        ).aggregate(
            due=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=14))),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
        ),
        "to_approve": ContractReturn.objects.filter(
            authority=authority, status=ContractReturn.Status.SUBMITTED
        ).count(),
        "registrations": Organisation.objects.filter(
            authority=authority, registration=Organisation.Registration.PENDING
        ).count(),
        "unchecked_listings": analysis.unchecked_listings,
        "listing_changes": ListingChange.objects.filter(
            authority=authority, status=ListingChange.Status.PENDING
        ).count(),
        "ending": [c for c in active if c.ends_on <= today + dt.timedelta(days=90)],
        "checks": Assistant.objects.filter(authority=authority)
        .filter(Q(dbs_renew_by__lte=soon) | Q(training__expires_on__lte=soon))
        .distinct()
        .count(),
        "today": today,
    }
