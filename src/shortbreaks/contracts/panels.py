"""Contracts' parts of earlier apps' pages (see core/panels.py), registered in apps.py: moderated
reviews on a service's public page, the contracts-and-money summary on the provider's home
page (their own organisation only), and the way to give feedback on the young person's own
page."""

from django.db.models import Sum
from django.utils import timezone

from shortbreaks.core.years import financial_year, year_of
from shortbreaks.procurement.models import CallOff
from shortbreaks.procurement.selectors import open_opportunities
from shortbreaks.procurement.selectors.frameworks import member_call_offs

from .models import Contract, ContractReturn, Feedback, Payment
from .selectors import policy_for, provider_feedback, public_reviews
from .selectors.ratings import latest_ratings


def service_reviews(service):
    return {"reviews": public_reviews(service)[:10]}


def young_person_feedback(child, user, authority):
    return {"given": Feedback.objects.filter(authority=authority, given_by=user).count()}


def provider_summary(organisation):
    today = timezone.localdate()
    contracts = list(Contract.objects.filter(organisation=organisation).prefetch_related("kpis"))
    live = [c for c in contracts if c.status == Contract.Status.ACTIVE]
    policy = policy_for(organisation.authority)
    latest = latest_ratings(live, policy)
    start, end = financial_year(year_of(today))
    feedback = provider_feedback(services=organisation.services.all())
    return {
        "offered": [c for c in contracts if c.status == Contract.Status.OFFERED],
        "ratings": [(c, latest[c.pk]) for c in live if c.pk in latest],
        "returns_due": ContractReturn.objects.filter(
            contract__in=live, status__in=[ContractReturn.Status.DUE, ContractReturn.Status.QUERIED]
        )
        .select_related("contract")
        .order_by("due_on"),
        "paid_this_year": Payment.objects.filter(
            contract__organisation=organisation, paid_on__range=(start, end)
        ).aggregate(total=Sum("amount"))["total"],
        "recent_payments": Payment.objects.filter(contract__organisation=organisation).select_related("contract")[:5],
        "feedback_count": feedback.count(),
        "unreplied": feedback.filter(reply="").count(),
        "call_offs": member_call_offs([organisation]).filter(
            method=CallOff.Method.MINI, status=CallOff.Status.OPEN, deadline__gt=timezone.now()
        ),
        "opportunities": open_opportunities(authority=organisation.authority, now=timezone.now()).count(),
        "today": today,
    }
