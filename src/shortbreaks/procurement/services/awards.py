"""The award: the winner from the agreed scores, how robust the decision is, the standstill end
(working days, skipping bank holidays), a framework's members, and every bidder's summary."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from govuk_bank_holidays.bank_holidays import BankHolidays

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.audit import Audit

from ..models import (
    Award,
    Lot,
    Opportunity,
    Score,
)
from ..routes import rules_for
from ..scoring import BidResult, lot_results, sensitivity
from .frameworks import appoint_members
from .opportunities import policy_for


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
    rules = rules_for(opportunity.route)
    if rules.award_conditions and not conditions.strip():
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
