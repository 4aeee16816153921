"""Evaluation: evaluators added to their panels, conflicts declared per lot before anything is
shown, scores with reasons, and the moderator's agreed scores."""

from django.db import transaction

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.audit import Audit

from ..models import (
    Award,
    ConflictDeclaration,
    Evaluator,
    Lot,
    Opportunity,
    Question,
    Score,
    Submission,
)
from ..scoring import failed_selection
from ..selectors.sealing import may_see

PANEL_ROLES = {
    Question.Panel.OFFICERS: {Role.OFFICER, Role.COMMISSIONER, Role.PROCUREMENT_OFFICER},
    Question.Panel.PARENTS: {Role.PANEL_MEMBER},
    Question.Panel.YOUNG_PEOPLE: {Role.PANEL_MEMBER, Role.YOUNG_PERSON},
}


@transaction.atomic(durable=True)
def evaluator_add(*, opportunity: Opportunity, user, panel: str, is_moderator: bool, added_by) -> Evaluator:
    if not user.roles_in(opportunity.authority) & PANEL_ROLES[panel]:
        raise NotAllowed(
            f"{user.display_name} does not hold a role that can sit on the {Question.Panel(panel).label.lower()}."
        )
    if is_moderator and panel != Question.Panel.OFFICERS:
        raise NotAllowed("The moderator is a council officer.")
    if Evaluator.objects.filter(opportunity=opportunity, user=user).exists():
        raise NotAllowed(f"{user.display_name} is already an evaluator.")
    if (
        is_moderator
        and not Evaluator.objects.filter(opportunity=opportunity, panel=Question.Panel.OFFICERS)
        .exclude(user=user)
        .exists()
    ):
        # The moderator agrees the officers' scores: they cannot be the only officer giving them.
        raise NotAllowed(
            f"{user.display_name} would be the only council officer evaluating, and the moderator agrees "
            "the evaluators' scores, so cannot also be the only one giving them. Add another officer to "
            "the council officers' panel first, then the moderator."
        )
    evaluator = Evaluator.objects.create(
        authority=opportunity.authority, opportunity=opportunity, user=user, panel=panel, is_moderator=is_moderator
    )
    audit_record(
        authority=opportunity.authority,
        actor=added_by,
        action=Audit.PROCUREMENT_EVALUATOR,
        target=evaluator,
        summary=(
            f"{user.display_name} joins the evaluation of {opportunity.reference} ({evaluator.get_panel_display()})"
        ),
    )
    email_after_commit(
        to=[user.email],
        subject=f"You are invited to evaluate {opportunity.reference}",
        body=f"{added_by.display_name} has asked you to help evaluate {opportunity.title} on the "
        f"{evaluator.get_panel_display().lower()}{' as the moderator' if is_moderator else ''}.\n\n"
        "Before you see anything, you will be asked whether you have a conflict of interest with any "
        "provider on each lot. Bids are shown without the providers' names.\n\n"
        f"Start here: {absolute(opportunity.authority, 'procurement:evaluate', opportunity.pk)}\n",
        why=f"{added_by.display_name} added you to the evaluation panel for {opportunity.reference}",
        authority=opportunity.authority,
    )
    return evaluator


@transaction.atomic(durable=True)
def conflict_declare(*, evaluator: Evaluator, lot: Lot, has_conflict: bool, details: str) -> ConflictDeclaration:
    if lot.opportunity_id != evaluator.opportunity_id:
        raise NotAllowed("That lot is not part of this evaluation.")
    if ConflictDeclaration.objects.filter(evaluator=evaluator, lot=lot).exists():
        raise NotAllowed("You have already declared for this lot.")
    if has_conflict and not details.strip():
        raise NotAllowed("Say what the conflict is.")
    declaration = ConflictDeclaration.objects.create(
        authority=evaluator.authority, evaluator=evaluator, lot=lot, has_conflict=has_conflict, details=details.strip()
    )
    audit_record(
        authority=evaluator.authority,
        actor=evaluator.user,
        action=Audit.PROCUREMENT_DECLARED,
        target=declaration,
        summary=f"{'A conflict' if has_conflict else 'No conflict'} declared for lot {lot.number}",
    )
    return declaration


def _check_scoring(evaluator: Evaluator, submission: Submission, question: Question, score: int, reason: str) -> None:
    opportunity = Opportunity.objects.get(pk=evaluator.opportunity_id)
    evaluator.opportunity = opportunity
    if opportunity.status != Opportunity.Status.CLOSED:
        raise NotAllowed("Scoring is open only between opening the submissions and the award.")
    if submission.opportunity_id != opportunity.pk or question.opportunity_id != opportunity.pk:
        raise NotAllowed("That answer is not part of this evaluation.")
    if submission.status != Submission.Status.SUBMITTED:
        raise NotAllowed("Only submitted bids are scored.")
    if Award.objects.filter(lot_id=submission.lot_id).exists():
        # The award's total is the results' total: its scores no longer change.
        raise NotAllowed("This lot is awarded: its scores are final.")
    if not may_see(evaluator, submission.lot):
        raise NotAllowed("Declare whether you have a conflict of interest first; with one, you cannot score this lot.")
    if not 0 <= score <= 10:
        raise NotAllowed("Score from 0 to 10.")
    if question.kind == Question.Kind.SELECTION and score not in (0, 10):
        raise NotAllowed("A selection question is pass (10) or fail (0).")
    if question.kind == Question.Kind.AWARD:
        agreed = {
            (s.submission_id, s.question_id): s.score
            for s in Score.objects.filter(submission=submission, moderated=True)
        }
        if submission.pk in failed_selection(agreed, opportunity.questions.all()):
            raise NotAllowed("This bid failed selection: it is not scored further.")
    if not reason.strip():
        raise NotAllowed("Give the reason for the score.")


@transaction.atomic(durable=True)
def score_record(
    *, evaluator: Evaluator, submission: Submission, question: Question, score: int, justification: str
) -> Score:
    _check_scoring(evaluator, submission, question, score, justification)
    if question.panel != evaluator.panel and not evaluator.is_moderator:
        raise NotAllowed(f"This question is scored by the {question.get_panel_display().lower()}.")
    existing = (
        Score.objects.select_for_update()
        .filter(evaluator=evaluator, submission=submission, question=question, moderated=False)
        .first()
    )
    before = existing.score if existing else None
    record, _ = Score.objects.update_or_create(
        evaluator=evaluator,
        submission=submission,
        question=question,
        moderated=False,
        defaults={"authority": evaluator.authority, "score": score, "justification": justification.strip()},
    )
    audit_record(
        authority=evaluator.authority,
        actor=evaluator.user,
        action=Audit.PROCUREMENT_SCORED,
        target=record,
        summary=f"Question {question.number} scored {score}" + (f" (was {before})" if before is not None else ""),
        details={"before": before, "after": score},
    )
    return record


@transaction.atomic(durable=True)
def score_agree(
    *, moderator: Evaluator, submission: Submission, question: Question, score: int, rationale: str
) -> Score:
    if not moderator.is_moderator:
        raise NotAllowed("Only the moderator records agreed scores.")
    _check_scoring(moderator, submission, question, score, rationale)
    existing = (
        Score.objects.select_for_update().filter(submission=submission, question=question, moderated=True).first()
    )
    before = existing.score if existing else None
    record, _ = Score.objects.update_or_create(
        submission=submission,
        question=question,
        moderated=True,
        defaults={
            "authority": moderator.authority,
            "evaluator": moderator,
            "score": score,
            "justification": rationale.strip(),
        },
    )
    audit_record(
        authority=moderator.authority,
        actor=moderator.user,
        action=Audit.PROCUREMENT_AGREED,
        target=record,
        summary=f"Agreed score for question {question.number}: {score}"
        + (f" (was {before})" if before is not None else ""),
        details={"before": before, "after": score},
    )
    return record
