"""Evaluation and award: evaluators declare conflicts before they see a lot, score on their
own with reasons, a moderator records the agreed scores, totals come from the weights and the
price formula, and the award names the winner with how robust the decision is and when the
standstill period ends (working days, skipping bank holidays)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from govuk_bank_holidays.bank_holidays import BankHolidays

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from .models import Award, ConflictDeclaration, Evaluator, Lot, Opportunity, Question, Score, Submission
from .services import policy_for

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
    evaluator = Evaluator.objects.create(
        authority=opportunity.authority, opportunity=opportunity, user=user, panel=panel, is_moderator=is_moderator
    )
    audit_record(
        authority=opportunity.authority,
        actor=added_by,
        action="procurement.evaluator",
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
        action="procurement.declared",
        target=declaration,
        summary=f"{'A conflict' if has_conflict else 'No conflict'} declared for lot {lot.number}",
    )
    return declaration


def may_see(evaluator: Evaluator, lot: Lot) -> bool:
    """Declared, without a conflict, and the submissions have been opened."""
    return (
        evaluator.opportunity.opened_at is not None
        and ConflictDeclaration.objects.filter(evaluator=evaluator, lot=lot, has_conflict=False).exists()
    )


def _check_scoring(evaluator: Evaluator, submission: Submission, question: Question, score: int, reason: str) -> None:
    opportunity = Opportunity.objects.get(pk=evaluator.opportunity_id)
    evaluator.opportunity = opportunity
    if opportunity.status != Opportunity.Status.CLOSED:
        raise NotAllowed("Scoring is open only between opening the submissions and the award.")
    if submission.opportunity_id != opportunity.pk or question.opportunity_id != opportunity.pk:
        raise NotAllowed("That answer is not part of this evaluation.")
    if submission.status != Submission.Status.SUBMITTED:
        raise NotAllowed("Only submitted bids are scored.")
    if not may_see(evaluator, submission.lot):
        raise NotAllowed("Declare whether you have a conflict of interest first; with one, you cannot score this lot.")
    if not 0 <= score <= 10:
        raise NotAllowed("Score from 0 to 10.")
    if question.kind == Question.Kind.SELECTION and score not in (0, 10):
        raise NotAllowed("A selection question is pass (10) or fail (0).")
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
        action="procurement.scored",
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
        action="procurement.agreed",
        target=record,
        summary=f"Agreed score for question {question.number}: {score}"
        + (f" (was {before})" if before is not None else ""),
        details={"before": before, "after": score},
    )
    return record


@dataclass
class BidResult:
    submission: Submission
    passed: bool  # every selection question passed
    quality: Decimal  # 0..100 before the quality weight
    price_score: Decimal  # 0..100 before the price weight
    total: Decimal
    missing: int  # answers without an agreed score
    marks: dict  # question id -> agreed score out of 10, for award questions
    rank: int | None = None


def lot_results(lot: Lot) -> list[BidResult]:
    """Ranked results from the agreed scores: quality is the weighted share of the award
    questions' marks; price is lowest price / bid price; total = quality x quality weight +
    price x price weight. A bid failing a selection question is not ranked."""
    opportunity = lot.opportunity
    questions = list(opportunity.questions.all())
    bids = list(lot.submissions.filter(status=Submission.Status.SUBMITTED).select_related("organisation"))
    agreed = {
        (s.submission_id, s.question_id): s.score for s in Score.objects.filter(submission__in=bids, moderated=True)
    }
    priced = [b.price for b in bids if b.price]
    lowest = min(priced) if priced else None
    results = []
    for bid in bids:
        missing = sum(1 for q in questions if (bid.pk, q.pk) not in agreed)
        passed = all(agreed.get((bid.pk, q.pk)) == 10 for q in questions if q.kind == Question.Kind.SELECTION)
        quality = sum(
            (
                Decimal(q.weight) * agreed.get((bid.pk, q.pk), 0) / 10
                for q in questions
                if q.kind == Question.Kind.AWARD
            ),
            Decimal("0"),
        )
        price_score = price_marks(opportunity, lowest, bid.price)
        quality_weight = Decimal(opportunity.quality_weight if opportunity.price_formula != "none" else 100)
        total = (quality * quality_weight + price_score * (100 - quality_weight)) / 100
        marks = {q.pk: agreed.get((bid.pk, q.pk), 0) for q in questions if q.kind == Question.Kind.AWARD}
        results.append(
            BidResult(
                bid,
                passed,
                quality.quantize(Decimal("0.01")),
                price_score.quantize(Decimal("0.01")),
                total.quantize(Decimal("0.01")),
                missing,
                marks,
            )
        )
    ranked = sorted((r for r in results if r.passed), key=lambda r: (-r.total, r.submission.submitted_at))
    for n, result in enumerate(ranked, start=1):
        result.rank = n
    return ranked + [r for r in results if not r.passed]


def price_marks(opportunity: Opportunity, lowest: Decimal | None, price: Decimal | None) -> Decimal:
    """Out of 100, by the published formula."""
    if opportunity.price_formula == Opportunity.PriceFormula.NONE or not lowest or not price:
        return Decimal("0")
    if opportunity.price_formula == Opportunity.PriceFormula.BANDS:
        above = (price - lowest) * 100 / lowest
        for within, marks in opportunity.price_bands:
            if above <= Decimal(str(within)):
                return Decimal(marks)
        return Decimal("0")
    return Decimal("100") * lowest / price


def sensitivity(results: list[BidResult], opportunity: Opportunity) -> tuple[Decimal | None, str]:
    """The smallest change of one weight, in percentage points, that would put another ranked
    bid ahead of the winner, and which weight it is: the quality:price split (price taking the
    rest), or one award question's weight (the other questions sharing the rest in their
    published proportions). (None, "") if no such change would."""
    ranked = [r for r in results if r.rank]
    if len(ranked) < 2:
        return None, ""
    winner, candidates = ranked[0], []
    for other in ranked[1:]:
        # total(w) = w*Q + (100-w)*P, per hundred; find w where the two totals are equal.
        slope = (winner.quality - winner.price_score) - (other.quality - other.price_score)
        if slope:
            crossing = Decimal(100) * (other.price_score - winner.price_score) / slope
            if 0 <= crossing <= 100:
                candidates.append((abs(crossing - opportunity.quality_weight), "the quality:price split"))
    scored = opportunity.price_formula != Opportunity.PriceFormula.NONE
    quality_share = Decimal(opportunity.quality_weight if scored else 100) / 100
    award_questions = [q for q in opportunity.questions.all() if q.kind == Question.Kind.AWARD]
    total_weight = sum(q.weight for q in award_questions)
    for question in award_questions:
        rest = total_weight - question.weight
        if not rest:
            continue

        def slope(result: BidResult, question=question, rest=rest) -> Decimal:
            # d(total)/d(weight of this question): its marks in, the other questions' average out.
            others = sum(Decimal(q.weight) * result.marks[q.pk] for q in award_questions if q.pk != question.pk)
            return quality_share * (result.marks[question.pk] - others / rest) / 10

        for other in ranked[1:]:
            difference = slope(winner) - slope(other)
            if difference:
                change = (other.total - winner.total) / difference
                if -question.weight <= change <= rest:
                    candidates.append((abs(change), f"the weight of award question {question.number}"))
    if not candidates:
        return None, ""
    points, basis = min(candidates, key=lambda c: c[0])
    return points.quantize(Decimal("0.01")), basis


def standstill_end(start: dt.date, working_days: int) -> dt.date:
    """Working days in England and Wales, skipping weekends and bank holidays (bundled data)."""
    holidays = BankHolidays(use_cached_holidays=True)
    day = start
    for _ in range(working_days):
        day = holidays.get_next_work_day(division=BankHolidays.ENGLAND_AND_WALES, date=day)
    return day


@transaction.atomic(durable=True)
def award_decide(*, lot: Lot, decided_by, conditions: str = "") -> Award:
    lot = Lot.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=lot.pk)
    opportunity = lot.opportunity
    if opportunity.route == Opportunity.Route.GRANT and not conditions.strip():
        raise NotAllowed("A grant offer needs its conditions: what the money is for, reporting and clawback.")
    if opportunity.status != Opportunity.Status.CLOSED:
        raise NotAllowed("Award after the submissions are opened and scored.")
    if Award.objects.filter(lot=lot).exists():
        raise NotAllowed(f"Lot {lot.number} is already awarded.")
    results = lot_results(lot)
    if missing := sum(r.missing for r in results):
        raise NotAllowed(f"{missing} answer(s) on lot {lot.number} have no agreed score yet.")
    ranked = [r for r in results if r.rank]
    if not ranked:
        raise NotAllowed(f"No bid on lot {lot.number} passed selection: nothing can be awarded.")
    winner = ranked[0]
    points, basis = sensitivity(results, opportunity)
    award = Award.objects.create(
        authority=lot.authority,
        lot=lot,
        submission=winner.submission,
        total=winner.total,
        conditions=conditions.strip(),
        sensitivity_points=points,
        sensitivity_basis=basis,
        decided_by=decided_by,
        standstill_ends_on=standstill_end(timezone.localdate(), policy_for(lot.authority).standstill_working_days),
    )
    if opportunity.route in (Opportunity.Route.FRAMEWORK, Opportunity.Route.BLOCK):
        from .frameworks import appoint_members

        appoint_members(lot=lot, results=results, decided_by=decided_by)
    if not opportunity.lots.filter(award__isnull=True).exists():
        Opportunity.objects.filter(pk=opportunity.pk).update(
            status=Opportunity.Status.AWARDED, award_date=timezone.localdate()
        )
    audit_record(
        authority=lot.authority,
        actor=decided_by,
        action="procurement.awarded",
        target=award,
        summary=f"Lot {lot.number} of {opportunity.reference} awarded to {winner.submission.organisation}",
        details={"total": str(winner.total), "standstill_ends_on": str(award.standstill_ends_on)},
    )
    for result in results:
        email_after_commit(
            to=[result.submission.organisation.email],
            subject=f"Outcome: {opportunity.reference} lot {lot.number}",
            body=assessment_summary(result, winner, award),
            why=f"{result.submission.organisation.name} bid for lot {lot.number} of {opportunity.reference}",
            authority=opportunity.authority,
        )
    return award


def assessment_summary(result: BidResult, winner: BidResult, award: Award) -> str:
    """What each bidder is told: their scores and the winner's, with the agreed reasons."""
    lot, won = award.lot, result.submission.pk == winner.submission.pk
    lines = [
        f"{'You have been selected' if won else 'You have not been selected'} for lot {lot.number}: {lot.title}.",
        f"Your total: {result.total} out of 100{'' if result.passed else ' (a selection question was not passed)'}. "
        f"The winning total: {winner.total}.",
        "",
    ]
    agreed = {
        (s.submission_id, s.question_id): s
        for s in Score.objects.filter(submission__in=[result.submission, winner.submission], moderated=True)
    }
    for question in lot.opportunity.questions.all():
        mine, theirs = agreed.get((result.submission.pk, question.pk)), agreed.get((winner.submission.pk, question.pk))
        lines.append(
            f"{question.get_kind_display()} question {question.number}: you scored {mine.score if mine else '-'}"
            + ("" if won else f", the winner {theirs.score if theirs else '-'}")
            + (f". Why: {mine.justification}" if mine else "")
        )
    if won and award.conditions:
        lines += ["", f"The grant is offered on these conditions: {award.conditions}"]
    lines += [
        "",
        f"Price score: yours {result.price_score}, the winner's {winner.price_score}.",
        f"The standstill period ends on {award.standstill_ends_on:%A %d %B %Y}; "
        "the contract is not signed before then.",
    ]
    return "\n".join(lines) + "\n"
