"""The award: the winner from the agreed scores, how robust the decision is, the standstill end
(working days, skipping bank holidays), a framework's members, and every bidder's summary."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import dateformat, timezone
from govuk_bank_holidays.bank_holidays import BankHolidays

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.audit import Audit

from ..models import (
    Award,
    Lot,
    Opportunity,
    Question,
    Score,
)
from ..routes import rules_for
from ..scoring import PASS, BidResult, lot_results, sensitivity
from ..signals import award_made
from .frameworks import appoint_members
from .opportunities import policy_for


def standstill_end(start: dt.date, working_days: int) -> dt.date:
    """Working days in England and Wales, skipping weekends and bank holidays (bundled data)."""
    holidays = BankHolidays(use_cached_holidays=True)
    day = start
    for _ in range(working_days):
        day = holidays.get_next_work_day(division=BankHolidays.ENGLAND_AND_WALES, date=day)
    return day


@dataclass
class AwardOutlook:
    """What awarding a lot now would do, from the same calculation award_decide makes: shown on
    the confirmation page before the commissioner awards."""

    lot: Lot
    results: list[BidResult]
    winner: BidResult
    sensitivity_points: Decimal | None
    sensitivity_basis: str
    standstill_ends_on: dt.date | None  # None: no standstill on this route
    members: list[BidResult]  # who joins, on a route that appoints members


def award_outlook(*, lot: Lot, today: dt.date | None = None) -> AwardOutlook:
    """The winner, the decision's sensitivity and the standstill end if the lot were awarded
    today; NotAllowed saying why it cannot be awarded yet."""
    opportunity = lot.opportunity
    rules = rules_for(opportunity.route)
    if opportunity.status != Opportunity.Status.CLOSED:
        raise NotAllowed("Award after the submissions are opened and scored.")
    if Award.objects.filter(lot=lot).exists():
        raise NotAllowed(f"Lot {lot.number} is already awarded.")
    results = lot_results(lot)
    if missing := sum(r.missing for r in results):
        raise NotAllowed(
            f"{missing} {'answer' if missing == 1 else 'answers'} on lot {lot.number} "
            f"{'has' if missing == 1 else 'have'} no agreed score yet."
        )
    ranked = [r for r in results if r.rank]
    if not ranked:
        raise NotAllowed(f"No bid on lot {lot.number} passed selection: nothing can be awarded.")
    points, basis = sensitivity(results, opportunity)
    today = today or timezone.localdate()
    return AwardOutlook(
        lot=lot,
        results=results,
        winner=ranked[0],
        sensitivity_points=points,
        sensitivity_basis=basis,
        standstill_ends_on=standstill_end(today, policy_for(lot.authority).standstill_working_days)
        if rules.standstill
        else None,
        members=ranked[: max(1, lot.max_providers)] if rules.members else [],
    )


def _check_amount_offered(winner: BidResult, amount: Decimal | None) -> None:
    requested = winner.submission.price
    if amount is None or amount <= 0:
        raise NotAllowed("Give the amount offered: what the council will pay, in pounds.")
    if requested is not None and amount > requested:
        raise NotAllowed(f"The amount offered cannot be more than the {money(requested)} requested.")


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


@transaction.atomic(durable=True)
def award_decide(*, lot: Lot, decided_by, conditions: str = "", amount_offered: Decimal | None = None) -> Award:
    """The award, from the one calculation (award_outlook). A grant states its conditions and
    the amount offered, and has no standstill: it takes effect at once (signals.award_made lets
    the contracts app offer the agreement on commit)."""
    lot = Lot.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=lot.pk)
    opportunity = lot.opportunity
    rules = rules_for(opportunity.route)
    if rules.award_conditions and not conditions.strip():
        raise NotAllowed("A grant offer needs its conditions: what the money is for, reporting and clawback.")
    outlook = award_outlook(lot=lot)  # re-checked under the lock
    results, winner = outlook.results, outlook.winner
    if rules.award_conditions:
        _check_amount_offered(winner, amount_offered)
    else:
        amount_offered = None
    points, basis = outlook.sensitivity_points, outlook.sensitivity_basis
    award = Award.objects.create(
        authority=lot.authority,
        lot=lot,
        submission=winner.submission,
        total=winner.total,
        conditions=conditions.strip(),
        amount_offered=amount_offered,
        sensitivity_points=points,
        sensitivity_basis=basis,
        decided_by=decided_by,
        standstill_ends_on=outlook.standstill_ends_on or timezone.localdate(),
    )
    if rules.members:
        appoint_members(lot=lot, results=results, decided_by=decided_by)
    if not opportunity.lots.filter(award__isnull=True).exists():
        Opportunity.objects.filter(pk=opportunity.pk).update(
            status=Opportunity.Status.AWARDED, award_date=timezone.localdate()
        )
    audit_record(
        authority=lot.authority,
        actor=decided_by,
        action=Audit.PROCUREMENT_AWARDED,
        target=award,
        summary=f"Lot {lot.number} of {opportunity.reference} awarded to {winner.submission.organisation}",
        details={
            "total": str(winner.total),
            "standstill_ends_on": str(award.standstill_ends_on) if rules.standstill else None,
            "amount_offered": str(amount_offered) if amount_offered is not None else None,
        },
    )
    transaction.on_commit(lambda: award_made.send(sender=Award, award=award))
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
        if question.kind == Question.Kind.SELECTION:  # a gate, not marks
            lines.append(
                f"Selection question {question.number} (pass or fail): "
                + ("not decided" if mine is None else "you passed" if mine.score == PASS else "you did not pass")
                + (f". Why: {mine.justification}" if mine else "")
            )
            continue
        lines.append(
            f"Award question {question.number}: you scored {mine.score if mine else '-'} out of 10"
            + ("" if won else f", the winner {theirs.score if theirs else '-'}")
            + (f". Why: {mine.justification}" if mine else "")
        )
    if won and award.amount_offered is not None:
        requested = result.submission.price
        lines += [
            "",
            f"The council offers {money(award.amount_offered)}"
            + (f" (you requested {money(requested)})." if requested is not None else "."),
        ]
    if won and award.conditions:
        lines += ["", f"The grant is offered on these conditions: {award.conditions}"]
    if lot.opportunity.price_formula != Opportunity.PriceFormula.NONE:
        lines += ["", f"Price score: yours {result.price_score}, the winner's {winner.price_score}."]
    else:
        lines.append("")
    if rules_for(lot.opportunity.route).standstill:
        lines.append(
            f"The standstill period ends on {dateformat.format(award.standstill_ends_on, 'l j F Y')}; "
            "the contract is not signed before then."
        )
    else:
        lines.append(
            f"There is no standstill period on a {lot.opportunity.get_route_display().lower()}: "
            "the award takes effect at once."
        )
    return "\n".join(lines) + "\n"
