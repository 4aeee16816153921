"""Opportunities as the public, the open data and providers see them."""

from django.db.models import Q, QuerySet

from ..models import Opportunity
from ..routes import routes_where


def _advertised(authority, shown: Q) -> QuerySet[Opportunity]:
    """Competed opportunities (never spot purchases or in-house agreements) with their awards."""
    return (
        Opportunity.objects.filter(shown, authority=authority)
        .filter(route__in=routes_where(advertised=True))
        .prefetch_related(
            "lots__award__submission__organisation",
            "lots__award__contract__lot",
            "lots__award__contract__organisation",
            "lots__award__contract__payments",
            "lots__award__contract__variations",
            "call_offs__contract__payments",
            "call_offs__contract__variations",
            "call_offs__contract__organisation",
            "call_offs__awarded_to",
            "call_offs__lot",
        )
    )


def public_opportunities(*, authority) -> QuerySet[Opportunity]:
    return _advertised(authority, Q(published_at__isnull=False))


def open_data_opportunities(*, authority) -> QuerySet[Opportunity]:
    """Published, or announced ahead of publication: what the OCDS output covers."""
    return _advertised(authority, Q(published_at__isnull=False) | Q(announced_at__isnull=False))


def open_opportunities(*, authority, now) -> QuerySet[Opportunity]:
    return public_opportunities(authority=authority).filter(
        Q(submission_deadline__gt=now) | Q(route__in=routes_where(deadline=False)), status=Opportunity.Status.OPEN
    )


def published_clarifications(opportunity: Opportunity):
    """What everyone sees: questions and answers, never who asked."""
    return opportunity.clarifications.filter(published_at__isnull=False).only("question", "answer", "published_at")
