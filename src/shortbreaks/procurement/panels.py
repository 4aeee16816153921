"""Procurement's parts of earlier apps' pages (see core/panels.py), registered in apps.py: on the
young person's own page and on the family's home, the evaluation panels the person sits on
(their own, in the request's authority), each linking to its evaluation; and in a member of
staff's menu, "Your evaluations" while they evaluate anything under way."""

from django.utils import timezone

from .models import Evaluator, Opportunity
from .selectors import evaluations_of

UNDER_WAY = (Opportunity.Status.DRAFT, Opportunity.Status.OPEN, Opportunity.Status.CLOSED)


def young_person_panels(child, user, authority):
    return {
        "evaluators": Evaluator.objects.filter(
            authority=authority, user=user, opportunity__status__in=UNDER_WAY
        ).select_related("opportunity")[:20]
    }


def family_home_evaluations(user, authority):
    """A parent on a panel: the evaluations still under way, with what they can do now."""
    return {
        "evaluations": [
            (evaluator, state)
            for evaluator, state in evaluations_of(user=user, authority=authority, now=timezone.now())
            if evaluator.opportunity.status in UNDER_WAY
        ][:20]
    }


def staff_navigation(user, authority):
    """One EXISTS, for staff pages only (the template asks for it only for staff)."""
    evaluating = Evaluator.objects.filter(authority=authority, user=user, opportunity__status__in=UNDER_WAY).exists()
    return {"evaluating": evaluating}
