"""Creating contracts from awards (once the standstill period has passed) and from call-offs,
and the provider's acceptance."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.models import Award, CallOff, Opportunity

from .models import Contract

KIND = {
    Opportunity.Route.OPEN: Contract.Kind.SERVICE, Opportunity.Route.TWO_STAGE: Contract.Kind.SERVICE,
    Opportunity.Route.FRAMEWORK: Contract.Kind.FRAMEWORK, Opportunity.Route.BLOCK: Contract.Kind.BLOCK,
    Opportunity.Route.GRANT: Contract.Kind.GRANT, Opportunity.Route.SPOT: Contract.Kind.SPOT,
    Opportunity.Route.IN_HOUSE: Contract.Kind.IN_HOUSE, Opportunity.Route.DYNAMIC_LIST: Contract.Kind.SERVICE,
}


def _offer(contract: Contract, offered_by) -> Contract:
    contract.save()
    audit_record(authority=contract.authority, actor=offered_by, action="contract.offered", target=contract,
                 summary=f"{contract} offered to {contract.organisation}")
    email_after_commit(to=[contract.organisation.email], subject=f"Contract to accept: {contract.reference}",
                       body=f"{contract.title} (£{contract.value:,.2f}, {contract.starts_on:%d %B %Y} to "
                            f"{contract.ends_on:%d %B %Y}) is ready for you to accept or decline under 'Your contracts'.\n")
    return contract


@transaction.atomic(durable=True)
def award_confirm(*, award: Award, confirmed_by, today: dt.date | None = None) -> Contract:
    """After the standstill period, with no challenge recorded, the award stands: the contract
    is offered to the provider."""
    today = today or timezone.localdate()
    award = Award.objects.select_for_update().select_related("lot__opportunity", "submission__organisation").get(
        pk=award.pk)
    if award.status != Award.Status.STANDSTILL:
        raise NotAllowed("This award is already confirmed.")
    if today <= award.standstill_ends_on:
        raise NotAllowed(f"The standstill period runs until {award.standstill_ends_on:%d %B %Y}.")
    award.status = Award.Status.CONFIRMED
    award.save(update_fields=["status"])
    opportunity, lot = award.lot.opportunity, award.lot
    starts = max(opportunity.contract_start or today, today)
    return _offer(Contract(
        authority=award.authority, reference=f"{opportunity.reference}-L{lot.number}", kind=KIND[opportunity.route],
        title=f"{opportunity.title}, lot {lot.number}: {lot.title}", organisation=award.submission.organisation,
        opportunity=opportunity, lot=lot, award=award, value=award.submission.price or lot.value,
        guaranteed_hours=lot.guaranteed_hours, conditions=award.conditions, starts_on=starts,
        ends_on=starts + relativedelta(months=opportunity.term_months or 12)), confirmed_by)


def confirm_due_awards(*, today: dt.date | None = None) -> int:
    """Daily: every award whose standstill period has passed becomes a contract offer."""
    today = today or timezone.localdate()
    due = Award.objects.filter(status=Award.Status.STANDSTILL, standstill_ends_on__lt=today)
    for award in due:
        award_confirm(award=award, confirmed_by=None, today=today)
    return len(due)


def call_off_contract(*, call_off: CallOff, offered_by) -> Contract:
    """Inside call_off_award's transaction: the call-off's own contract under the framework."""
    framework = call_off.framework
    today = timezone.localdate()
    count = Contract.objects.filter(opportunity=framework, call_off__isnull=False).count() + 1
    return _offer(Contract(
        authority=call_off.authority, reference=f"{framework.reference}-C{count}", kind=Contract.Kind.CALL_OFF,
        title=call_off.title, organisation=call_off.awarded_to, opportunity=framework, lot=call_off.lot,
        call_off=call_off, value=call_off.awarded_price, starts_on=today, ends_on=today + relativedelta(months=12)),
        offered_by)


@transaction.atomic(durable=True)
def contract_answer(*, contract: Contract, answered_by, accept: bool, reason: str = "") -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != Contract.Status.OFFERED:
        raise NotAllowed("This contract has already been answered.")
    if not accept and not reason.strip():
        raise NotAllowed("Say why you are declining, so the council can respond.")
    contract.status = Contract.Status.ACTIVE if accept else Contract.Status.DECLINED
    contract.answered_at, contract.answered_by, contract.declined_reason = timezone.now(), answered_by, reason.strip()
    contract.save(update_fields=["status", "answered_at", "answered_by", "declined_reason"])
    audit_record(authority=contract.authority, actor=answered_by, action="contract.answered", target=contract,
                 summary=f"{contract} {'accepted' if accept else 'declined'} by {contract.organisation}",
                 details={"reason": reason})
    return contract
