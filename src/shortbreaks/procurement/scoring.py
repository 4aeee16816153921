"""Pure reads that evaluation, awards and frameworks share: each lot's results from the agreed
scores, price marks from the price formula, and the sensitivity of the decision."""

from dataclasses import dataclass
from decimal import Decimal

from .models import (
    Lot,
    Opportunity,
    Question,
    Score,
    Submission,
)
from .selectors.sealing import opened_bids

# A selection (pass or fail) question's agreed score: pass is kept as 10 and fail as 0, so the
# scores table holds one scale; nobody chooses these numbers (forms/evaluate.py: Pass or Fail).
PASS, FAIL = 10, 0


@dataclass
class BidResult:
    submission: Submission
    passed: bool  # no selection question agreed as failed
    quality: Decimal  # 0..100 before the quality weight
    price_score: Decimal  # 0..100 before the price weight
    total: Decimal
    missing: int  # answers without an agreed score
    marks: dict  # question id -> agreed score out of 10, for award questions
    rank: int | None = None


def lot_results(lot: Lot) -> list[BidResult]:
    """Ranked results from the agreed scores: quality is the weighted share of the award
    questions' marks; price marks come from price_marks (the published formula); total =
    quality x quality weight + price marks x price weight. A bid failing a selection question
    is not ranked. This total is the one every page and the award use (services/awards.py
    stores the winner's)."""
    opportunity = lot.opportunity
    questions = list(opportunity.questions.all())
    bids = opened_bids(lot)  # nothing before the opening
    agreed = {
        (s.submission_id, s.question_id): s.score for s in Score.objects.filter(submission__in=bids, moderated=True)
    }
    # Selection questions are gates: a bid fails only on an agreed fail (not while its selection
    # answers wait for their agreed score); a bid that failed needs no more marks, and its price
    # does not set the lowest price the others are marked against.
    selection = [q for q in questions if q.kind == Question.Kind.SELECTION]
    failed = failed_selection(agreed, questions)
    priced = [b.price for b in bids if b.price and b.pk not in failed]
    lowest = min(priced) if priced else None
    # The published quality : price weights (checked to add up to 100 when price is scored), as
    # a framework's mini-competition uses them; with price not scored, quality is everything.
    scored = opportunity.price_formula != Opportunity.PriceFormula.NONE
    quality_weight = Decimal(opportunity.quality_weight if scored else 100)
    price_weight = Decimal(opportunity.price_weight if scored else 0)
    results = []
    for bid in bids:
        passed = bid.pk not in failed
        missing = sum(1 for q in (questions if passed else selection) if (bid.pk, q.pk) not in agreed)
        quality = sum(
            (
                Decimal(q.weight) * agreed.get((bid.pk, q.pk), 0) / 10
                for q in questions
                if q.kind == Question.Kind.AWARD
            ),
            Decimal("0"),
        )
        price_score = price_marks(opportunity, lowest, bid.price)
        total = (quality * quality_weight + price_score * price_weight) / 100
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


def failed_selection(agreed: dict[tuple[int, int], int], questions) -> set[int]:
    """The bids that failed selection, from the agreed scores ({(submission id, question id):
    score}): an agreed fail on any selection question. Such a bid is not ranked, and its award
    questions are not scored (views/evaluate.py, services/evaluation.py)."""
    selection = {q.pk for q in questions if q.kind == Question.Kind.SELECTION}
    return {submission for (submission, question), score in agreed.items() if question in selection and score == FAIL}


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
