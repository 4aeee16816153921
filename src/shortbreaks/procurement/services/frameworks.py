"""Frameworks (and block contracts): the award appoints the best-ranked bids on each lot (up to
the lot's number of providers) as members; later the council calls off, directly on the
framework's terms or by a mini-competition on price among the lot's members, re-ranked with
their framework quality. For a block contract, call-offs buy volume beyond the guaranteed
minimum from the lot's block providers."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.audit import Audit

from ..models import (
    CallOff,
    CallOffBid,
    Lot,
    Membership,
    Opportunity,
    Question,
)
from ..routes import rules_for
from ..selectors.frameworks import members, mini_competition_ranking, standstill_until
from ..selectors.joint import may_call_off
from .submissions import when


def appoint_members(*, lot: Lot, results, decided_by) -> list[Membership]:
    """Inside award_decide's transaction, for a framework: the top-ranked bids join. The winners
    of a re-opening join the framework's own lot of the same number."""
    ranked = [r for r in results if r.rank][: max(1, lot.max_providers)]
    now = timezone.now()
    if lot.opportunity.reopening_of_id:
        lot = Lot.objects.get(opportunity_id=lot.opportunity.reopening_of_id, number=lot.number)
    return [
        Membership.objects.create(
            authority=lot.authority,
            opportunity=lot.opportunity,
            lot=lot,
            organisation=r.submission.organisation,
            submission=r.submission,
            status=Membership.Status.ADMITTED,
            decided_by=decided_by,
            decided_at=now,
            reasons=f"Ranked {r.rank} with {r.total} out of 100",
        )
        for r in ranked
    ]


def framework_ends_on(framework: Opportunity) -> dt.date | None:
    start = framework.contract_start or framework.award_date
    return start + relativedelta(months=framework.term_months) if start and framework.term_months else None


def reopening_due(framework: Opportunity, today: dt.date) -> dt.date | None:
    """When an open framework must next re-open: its schedule counted from its own award or
    its latest re-opening's publication."""
    if not rules_for(framework.route).reopens or not framework.reopens_every_months or not framework.award_date:
        return None
    opened = [r.published_at.date() for r in framework.reopenings.all() if r.published_at]
    return max([framework.award_date, *opened]) + relativedelta(months=framework.reopens_every_months)


@transaction.atomic(durable=True)
def framework_reopen(*, framework: Opportunity, reopened_by, today: dt.date | None = None) -> Opportunity:
    """An open framework re-opens to new providers on its own terms: a draft competition with
    the same lots, questions, weights and price formula, running to the framework's end. Its
    winners join the framework (appoint_members); the existing members stay."""
    today = today or timezone.localdate()
    framework = Opportunity.objects.select_for_update().get(pk=framework.pk)
    if not rules_for(framework.route).reopens or not framework.reopens_every_months:
        raise NotAllowed("Only an open framework (one with a re-opening schedule) re-opens to new members.")
    if framework.status != Opportunity.Status.AWARDED:
        raise NotAllowed("Re-open the framework once its first competition is awarded.")
    ends_on = framework_ends_on(framework)
    if ends_on and ends_on <= today:
        raise NotAllowed(f"The framework ended on {ends_on:%-d %B %Y}.")
    if framework.reopenings.exclude(status__in=[Opportunity.Status.AWARDED, Opportunity.Status.CANCELLED]).exists():
        raise NotAllowed("A re-opening is already under way: finish it first.")
    number = framework.reopenings.count() + 1
    months_left = None
    if ends_on:
        left = relativedelta(ends_on, today)
        months_left = max(1, left.years * 12 + left.months)
    reopening = Opportunity.objects.create(
        authority=framework.authority,
        reference=f"{framework.reference}-R{number}",
        title=f"{framework.title} (re-opening {number})",
        description=framework.description,
        route=Opportunity.Route.FRAMEWORK,
        reopening_of=framework,
        quality_weight=framework.quality_weight,
        price_weight=framework.price_weight,
        price_formula=framework.price_formula,
        price_bands=framework.price_bands,
        panel_shares=framework.panel_shares,
        term_months=months_left,
        created_by=reopened_by,
    )
    for lot in framework.lots.all():
        Lot.objects.create(
            authority=lot.authority,
            opportunity=reopening,
            number=lot.number,
            title=lot.title,
            description=lot.description,
            value=lot.value,
            max_providers=lot.max_providers,
            guaranteed_hours=lot.guaranteed_hours,
        )
    for question in framework.questions.all():
        Question.objects.create(
            authority=question.authority,
            opportunity=reopening,
            kind=question.kind,
            number=question.number,
            text=question.text,
            guidance=question.guidance,
            weight=question.weight,
            panel=question.panel,
        )
    audit_record(
        authority=framework.authority,
        actor=reopened_by,
        action=Audit.PROCUREMENT_REOPENED,
        target=reopening,
        summary=f"{framework.reference} re-opens to new members as {reopening.reference}",
    )
    return reopening


@transaction.atomic(durable=True)
def call_off_create(
    *,
    framework: Opportunity,
    lot: Lot,
    title: str,
    description: str,
    method: str,
    justification: str,
    deadline: dt.datetime | None,
    value: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    created_by,
    authority=None,
) -> CallOff:
    """`authority`: who is buying (the framework's own, or a participant in a joint
    arrangement); the call-off and its contract belong to it. Its specification (the
    description), value and dates are its own: its contract runs for those dates."""
    authority = authority or framework.authority
    today = timezone.localdate()
    if not may_call_off(framework, authority):
        raise NotAllowed("Your council is not a party to this framework.")
    if not rules_for(framework.route).call_offs or framework.status != Opportunity.Status.AWARDED:
        raise NotAllowed("Call off only from an awarded framework, or for extra volume from awarded block contracts.")
    if framework.reopening_of_id:
        raise NotAllowed("Call off from the framework itself: the re-opening's winners are its members.")
    if lot.opportunity_id != framework.pk:
        raise NotAllowed("That lot is not part of the framework.")
    if until := standstill_until([lot], today):
        raise NotAllowed(
            f"Call off from {until + dt.timedelta(days=1):%-d %B %Y}: the framework's standstill period "
            f"runs until {until:%-d %B %Y}, and the award could still be challenged until then."
        )
    if not members(lot).exists():
        raise NotAllowed(f"Lot {lot.number} has no members to call off from.")
    if not description.strip():
        raise NotAllowed("Say what is being bought: the call-off's specification.")
    if value is None or value <= 0:
        raise NotAllowed("Give the call-off's estimated value in pounds.")
    if ends_on <= starts_on:
        raise NotAllowed("The end date must be after the start date.")
    if starts_on < today:
        raise NotAllowed("The call-off cannot start in the past.")
    if (framework_end := framework_ends_on(framework)) and starts_on >= framework_end:
        raise NotAllowed(f"The framework ends on {framework_end:%-d %B %Y}: start the call-off before then.")
    if method == CallOff.Method.DIRECT and not justification.strip():
        raise NotAllowed(
            "Say why a direct award is right (for example, the framework's ranking or the family's choice)."
        )
    if method == CallOff.Method.MINI and (deadline is None or deadline <= timezone.now()):
        raise NotAllowed("Give the mini-competition a deadline in the future.")
    call_off = CallOff.objects.create(
        authority=authority,
        framework=framework,
        lot=lot,
        title=title,
        description=description.strip(),
        method=method,
        justification=justification.strip(),
        value=value,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline if method == CallOff.Method.MINI else None,
        created_by=created_by,
    )
    audit_record(
        authority=authority,
        actor=created_by,
        action=Audit.PROCUREMENT_CALL_OFF,
        target=call_off,
        summary=f"Call-off {title} under {framework.reference} lot {lot.number} ({call_off.get_method_display()})",
    )
    if method == CallOff.Method.MINI:
        for membership in members(lot):
            # Members price on the framework's own site, whichever council is buying.
            email_after_commit(
                to=[membership.organisation.email],
                subject=f"Mini-competition: {title}",
                body=f"As a member of {framework.reference} lot {lot.number}, you are invited to price "
                f"{title} ({starts_on:%-d %B %Y} to {ends_on:%-d %B %Y}, estimated at £{value:,.2f}) by "
                f"{when(deadline)}:\n"
                f"{absolute(framework.authority, 'procurement:call-off-price', call_off.pk)}\n",
                why=f"{membership.organisation.name} is a member of {framework.reference} lot {lot.number}, "
                f"which {authority.name} is buying from",
                authority=framework.authority,
            )
    return call_off


@transaction.atomic(durable=True)
def call_off_bid(*, call_off: CallOff, organisation, price: Decimal, submitted_by) -> CallOffBid:
    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    if (
        call_off.method != CallOff.Method.MINI
        or call_off.status != CallOff.Status.OPEN
        or timezone.now() >= call_off.deadline
    ):
        raise NotAllowed("This mini-competition is not taking prices.")
    if not members(call_off.lot).filter(organisation=organisation).exists():
        raise NotAllowed("Only members of the framework lot can price this call-off.")
    if price <= 0:
        raise NotAllowed("Give a price of more than £0.")
    bid, _ = CallOffBid.objects.update_or_create(
        call_off=call_off, organisation=organisation, defaults={"authority": call_off.authority, "price": price}
    )
    audit_record(
        authority=call_off.authority,
        actor=submitted_by,
        action=Audit.PROCUREMENT_CALL_OFF_BID,
        target=bid,
        summary=f"A price was received for {call_off.title}",
    )
    return bid


def call_off_award_record(*, call_off: CallOff, decided_by, organisation=None, price: Decimal | None = None) -> CallOff:
    """Inside contracts' call_off_award transaction, which then offers the call-off's contract
    and tells the provider. Direct: to the member named, at the price named. Mini-competition:
    to the best ranked (the prices are read through the sealing rule)."""
    call_off = CallOff.objects.select_for_update(of=("self",)).select_related("framework", "lot").get(pk=call_off.pk)
    if call_off.status != CallOff.Status.OPEN:
        raise NotAllowed("This call-off is already awarded.")
    if call_off.method == CallOff.Method.MINI:
        ranking = mini_competition_ranking(call_off)
        if not ranking:
            raise NotAllowed("Award after the deadline, once prices are in.")
        organisation, price, _ = ranking[0]
    elif organisation is None or not members(call_off.lot).filter(organisation=organisation).exists():
        raise NotAllowed("Choose a member of the framework lot.")
    elif price is None or price <= 0:
        raise NotAllowed("Give the price agreed on the framework's terms.")
    call_off.status, call_off.awarded_to, call_off.awarded_price = CallOff.Status.AWARDED, organisation, price
    call_off.save(update_fields=["status", "awarded_to", "awarded_price"])
    audit_record(
        authority=call_off.authority,
        actor=decided_by,
        action=Audit.PROCUREMENT_CALL_OFF_AWARDED,
        target=call_off,
        summary=f"{call_off.title} awarded to {organisation} at £{price:,.2f}",
    )
    return call_off
