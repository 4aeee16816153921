"""The one sealing rule. This module alone decides whether anyone can read a submission, its
answers, its price or its documents, a mini-competition's prices, or even how many there are.
Before an opportunity has been opened after its deadline (an audited event) the council's pages,
exports and APIs get nothing from here; a provider always reads its own. A dynamic list is not a
competition: its applications are read as they arrive."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shortbreaks.core.lookups import object_or_404
from shortbreaks.core.roles import Role
from shortbreaks.directory.selectors.listings import organisations_for

from ..models import (
    Answer,
    CallOff,
    CallOffBid,
    ConflictDeclaration,
    Evaluator,
    Lot,
    Opportunity,
    ProcurementDocument,
    Question,
    Submission,
)
from ..routes import routes_where, rules_for

STAFF = {Role.COMMISSIONER, Role.PROCUREMENT_OFFICER}


def readable_submissions(*, user, authority, opportunity: Opportunity) -> QuerySet[Submission]:
    submissions = Submission.objects.filter(authority=authority, opportunity=opportunity)
    roles = user.roles_in(authority) if user.is_authenticated else frozenset()
    visible = Q(pk__in=[])
    if Role.PROVIDER in roles:
        visible |= Q(organisation__in=organisations_for(user=user, authority=authority))
    # A dynamic list is not a competition: applications are read as they arrive. Anything
    # competed is sealed until opened after its deadline.
    sealed = rules_for(opportunity.route).sealed
    if roles & STAFF and (opportunity.opened_at is not None or not sealed):
        visible |= Q(
            status__in=[Submission.Status.SUBMITTED, Submission.Status.WITHDRAWN]
            if not sealed
            else [Submission.Status.SUBMITTED]
        )
    return submissions.filter(visible).select_related("lot", "organisation")


def selection_stage_responses(*, user, authority, opportunity: Opportunity, now):
    """For shortlisting a two-stage tender: after the selection deadline, council staff read the
    responses' selection answers (never a price or an award answer before the final opening)."""

    roles = user.roles_in(authority) if user.is_authenticated else frozenset()
    if not (
        roles & STAFF
        and rules_for(opportunity.route).selection_stage
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
        opportunity__route__in=routes_where(sealed=False)
    )
    sealed_ids = sealed.values_list("pk", flat=True)
    documents = ProcurementDocument.objects.filter(submission__in=sealed).values_list("pk", flat=True)
    bids = CallOffBid.objects.filter(call_off__deadline__gt=timezone.now()).values_list("pk", flat=True)
    return events.exclude(
        Q(target_type=Submission._meta.label_lower, target_id__in=[str(pk) for pk in sealed_ids])
        | Q(target_type=ProcurementDocument._meta.label_lower, target_id__in=[str(pk) for pk in documents])
        | Q(target_type=CallOffBid._meta.label_lower, target_id__in=[str(pk) for pk in bids])
    )


def _counted(lot: Lot) -> QuerySet[Submission]:
    """The bids on a lot that count: submitted, and confirmed by their bidder after any change to
    the opportunity (a bid never confirmed is shown to the council as such, never evaluated)."""
    return Submission.objects.filter(lot=lot, status=Submission.Status.SUBMITTED, needs_confirmation=False)


def opened_bids(lot: Lot) -> list[Submission]:
    """The bids on a lot that count, once its opportunity has been opened after the deadline;
    nothing before. What scoring ranks (results, awards, summaries)."""
    if lot.opportunity.opened_at is None:
        return []
    return list(_counted(lot).select_related("organisation"))


def may_see(evaluator: Evaluator, lot: Lot) -> bool:
    """Declared, without a conflict, and the submissions have been opened."""
    return (
        evaluator.opportunity.opened_at is not None
        and ConflictDeclaration.objects.filter(evaluator=evaluator, lot=lot, has_conflict=False).exists()
    )


def bids_for_evaluator(evaluator: Evaluator, lot: Lot) -> list[tuple[Submission, dict]]:
    """(bid, {question id: answer}) in a fixed order, for the evaluator to label "Bid A", "Bid B";
    nothing unless they may see the lot. The bidder's name is not for the page to show."""
    if not may_see(evaluator, lot):
        return []
    bids = list(_counted(lot).order_by("pk").prefetch_related("answers"))
    return [(bid, {a.question_id: a.text for a in bid.answers.all()}) for bid in bids]


def scorable_bids(evaluator: Evaluator, lot: Lot) -> QuerySet[Submission]:
    """The bids an evaluator may name in a scoring form: none unless they may see the lot."""
    if not may_see(evaluator, lot):
        return Submission.objects.none()
    return _counted(lot)


def bid_for_evaluator(evaluator: Evaluator, lot: Lot, pk) -> Submission:
    """The bid an evaluator scores, named by an id from a form: a 404 unless they may see it."""
    if not may_see(evaluator, lot):
        raise Http404("No such bid.")
    return object_or_404(scorable_bids(evaluator, lot), pk)


def own_submission(*, lot: Lot, organisation) -> Submission | None:
    """A provider's own submission on a lot (drafts included), with its answers."""
    return Submission.objects.filter(lot=lot, organisation=organisation).prefetch_related("answers").first()


def answers_of(submission: Submission | None) -> dict:
    """{question id: text} of a submission already read through this module."""
    return {a.question_id: a.text for a in submission.answers.all()} if submission else {}


def decidable_submissions(*, user, authority, opportunity: Opportunity, now) -> QuerySet[Submission]:
    """The submissions council staff decide on before any opening: a dynamic list's
    applications, or a two-stage tender's selection-stage responses once the selection deadline
    has passed (for a form's choice of row)."""
    if rules_for(opportunity.route).decided_one_by_one:
        allowed = {s.pk for s in readable_submissions(user=user, authority=authority, opportunity=opportunity)}
    else:
        allowed = {
            r.pk for r, _ in selection_stage_responses(user=user, authority=authority, opportunity=opportunity, now=now)
        }
    return Submission.objects.filter(pk__in=allowed).select_related("organisation", "lot")


def decidable_submission(*, user, authority, opportunity: Opportunity, pk, now) -> Submission:
    """One of decidable_submissions, named by an id from a form: a 404 if it is not one."""
    return object_or_404(decidable_submissions(user=user, authority=authority, opportunity=opportunity, now=now), pk)


def call_off_sealed(call_off: CallOff, now=None) -> bool:
    return bool(call_off.deadline and (now or timezone.now()) < call_off.deadline)


def call_off_prices(call_off: CallOff) -> list[CallOffBid]:
    """A mini-competition's prices: none until its deadline has passed."""
    if call_off_sealed(call_off):
        return []
    return list(CallOffBid.objects.filter(call_off=call_off).select_related("organisation"))


def call_off_bid_count(call_off: CallOff) -> int | None:
    """Sealed means not even how many: None before the deadline."""
    if call_off_sealed(call_off):
        return None
    return CallOffBid.objects.filter(call_off=call_off).count()


def own_call_off_bid(call_off: CallOff, organisation) -> CallOffBid | None:
    """A member's own price on a mini-competition."""
    return CallOffBid.objects.filter(call_off=call_off, organisation=organisation).first()


def bidder_emails(opportunity: Opportunity) -> set[str]:
    """Where a service's email to everyone bidding goes (a published clarification): addresses
    only, never shown on a page, and nothing about any bid."""
    return set(
        Submission.objects.filter(opportunity=opportunity).values_list("organisation__email", flat=True).distinct()
    )
