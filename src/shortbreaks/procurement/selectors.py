"""Reads for procurement. Sealing lives here: `readable_submissions` is the only way the
council's pages, exports and APIs reach submissions, and before the opportunity has been opened
after its deadline it gives them nothing (a provider always sees its own)."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import dateformat, timezone

from shortbreaks.core.roles import Role
from shortbreaks.directory.selectors.listings import organisations_for

from .models import Evaluator, Opportunity, Submission

STAFF = {Role.COMMISSIONER, Role.PROCUREMENT_OFFICER}


def _advertised(authority, shown: Q) -> QuerySet[Opportunity]:
    """Competed opportunities (never spot purchases or in-house agreements) with their awards."""
    return (
        Opportunity.objects.filter(shown, authority=authority)
        .exclude(route__in=[Opportunity.Route.SPOT, Opportunity.Route.IN_HOUSE])
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
        Q(submission_deadline__gt=now) | Q(route=Opportunity.Route.DYNAMIC_LIST), status=Opportunity.Status.OPEN
    )


def readable_submissions(*, user, authority, opportunity: Opportunity) -> QuerySet[Submission]:
    submissions = Submission.objects.filter(authority=authority, opportunity=opportunity)
    roles = user.roles_in(authority) if user.is_authenticated else frozenset()
    visible = Q(pk__in=[])
    if Role.PROVIDER in roles:
        visible |= Q(organisation__in=organisations_for(user=user, authority=authority))
    # A dynamic list is not a competition: applications are read as they arrive. Anything
    # competed is sealed until opened after its deadline.
    if roles & STAFF and (opportunity.opened_at is not None or opportunity.route == Opportunity.Route.DYNAMIC_LIST):
        visible |= Q(
            status__in=[Submission.Status.SUBMITTED, Submission.Status.WITHDRAWN]
            if opportunity.route == Opportunity.Route.DYNAMIC_LIST
            else [Submission.Status.SUBMITTED]
        )
    return submissions.filter(visible).select_related("lot", "organisation")


def published_clarifications(opportunity: Opportunity):
    """What everyone sees: questions and answers, never who asked."""
    return opportunity.clarifications.filter(published_at__isnull=False).only("question", "answer", "published_at")


def selection_stage_responses(*, user, authority, opportunity: Opportunity, now):
    """For shortlisting a two-stage tender: after the selection deadline, council staff read the
    responses' selection answers (never a price or an award answer before the final opening)."""
    from .models import Answer, Question

    roles = user.roles_in(authority) if user.is_authenticated else frozenset()
    if not (
        roles & STAFF
        and opportunity.route == Opportunity.Route.TWO_STAGE
        and opportunity.selection_deadline
        and now >= opportunity.selection_deadline
    ):
        return []
    responses = list(
        Submission.objects.filter(
            opportunity=opportunity, authority=authority, submitted_at__lt=opportunity.selection_deadline
        )
        .exclude(status=Submission.Status.WITHDRAWN)
        .select_related("organisation", "lot")
    )
    answers = Answer.objects.filter(submission__in=responses, question__kind=Question.Kind.SELECTION).select_related(
        "question"
    )
    by_submission = {}
    for answer in answers:
        by_submission.setdefault(answer.submission_id, []).append(answer)
    return [(response, by_submission.get(response.pk, [])) for response in responses]


def without_sealed_events(events):
    """Audit events about bids that are still sealed (submissions before the opening, their
    documents, mini-competition prices before the deadline) taken out of a list of events."""
    from django.utils import timezone

    from .models import CallOffBid, ProcurementDocument

    sealed = Submission.objects.filter(opportunity__opened_at__isnull=True).exclude(
        opportunity__route=Opportunity.Route.DYNAMIC_LIST
    )
    sealed_ids = sealed.values_list("pk", flat=True)
    documents = ProcurementDocument.objects.filter(submission__in=sealed).values_list("pk", flat=True)
    bids = CallOffBid.objects.filter(call_off__deadline__gt=timezone.now()).values_list("pk", flat=True)
    return events.exclude(
        Q(target_type=Submission._meta.label_lower, target_id__in=[str(pk) for pk in sealed_ids])
        | Q(target_type=ProcurementDocument._meta.label_lower, target_id__in=[str(pk) for pk in documents])
        | Q(target_type=CallOffBid._meta.label_lower, target_id__in=[str(pk) for pk in bids])
    )


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
