"""An evaluator's own list of what they evaluate, and what they can do now."""

import datetime as dt

from django.utils import dateformat, timezone

from ..models import Evaluator, Opportunity


def evaluations_of(*, user, authority, now: dt.datetime) -> list[tuple[Evaluator, str]]:
    """Every opportunity this person evaluates at this council, with its state in their words:
    those still to do first, by deadline; finished ones last."""
    evaluators = Evaluator.objects.filter(user=user, authority=authority).select_related("opportunity")
    done = (Opportunity.Status.AWARDED, Opportunity.Status.CANCELLED)
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    ordered = sorted(
        evaluators,
        key=lambda e: (
            e.opportunity.status in done,
            e.opportunity.submission_deadline or far,
            e.opportunity.reference,
        ),
    )
    return [(evaluator, evaluation_state(evaluator, now)) for evaluator in ordered]


def _day(moment: dt.datetime, now: dt.datetime) -> str:
    moment = timezone.localtime(moment)
    return dateformat.format(moment, "j F" if moment.year == timezone.localtime(now).year else "j F Y")


def evaluation_state(evaluator: Evaluator, now: dt.datetime) -> str:
    """What an evaluator can do now (procurement/views/evaluate.py): while a draft, a panel
    with a share of the marks sets its criteria; bids are sealed until the deadline and the
    council opens them; scoring runs until the award."""
    opportunity = evaluator.opportunity
    deadline = opportunity.submission_deadline
    if opportunity.status == Opportunity.Status.DRAFT:
        if (opportunity.panel_shares or {}).get(evaluator.panel):
            return "Not open for bids yet: you can set your panel's criteria now"
        return "Not open for bids yet"
    if opportunity.status == Opportunity.Status.OPEN:
        if deadline is None:
            return "Open for bids"
        if now < deadline:
            return f"Open for bids until {_day(deadline, now)}"
        return f"Bids closed on {_day(deadline, now)}: the council will open them for you to score"
    if opportunity.status == Opportunity.Status.CLOSED:
        return "Ready for you to score"
    if opportunity.status == Opportunity.Status.AWARDED:
        return "Scoring finished"
    return "Cancelled: there is nothing to score"
