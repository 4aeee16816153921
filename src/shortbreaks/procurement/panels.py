"""Procurement's parts of earlier apps' pages (see core/panels.py), registered in apps.py: on the
young person's own page, the evaluation panels they sit on (their own, in the request's
authority), each linking to its evaluation."""

from .models import Evaluator, Opportunity

UNDER_WAY = (Opportunity.Status.DRAFT, Opportunity.Status.OPEN, Opportunity.Status.CLOSED)


def young_person_panels(child, user, authority):
    return {
        "evaluators": Evaluator.objects.filter(
            authority=authority, user=user, opportunity__status__in=UNDER_WAY
        ).select_related("opportunity")[:20]
    }
