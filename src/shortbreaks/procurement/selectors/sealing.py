"""The one sealing rule. This module alone decides whether anyone can read a submission, its
answers, its price or its documents, a mini-competition's prices, or even how many there are.
Before an opportunity has been opened after its deadline (an audited event) the council's pages,
exports and APIs get nothing from here; a provider always reads its own. A dynamic list is not a
competition: its applications are read as they arrive."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from shortbreaks.core.roles import Role
from shortbreaks.directory.selectors.listings import organisations_for

from ..models import Answer, CallOffBid, Opportunity, ProcurementDocument, Question, Submission

STAFF = {Role.COMMISSIONER, Role.PROCUREMENT_OFFICER}


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


def selection_stage_responses(*, user, authority, opportunity: Opportunity, now):
    """For shortlisting a two-stage tender: after the selection deadline, council staff read the
    responses' selection answers (never a price or an award answer before the final opening)."""

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
