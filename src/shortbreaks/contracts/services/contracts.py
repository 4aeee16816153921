"""Creating contracts from awards (once the standstill period has passed), from call-offs and
for spot purchases and in-house agreements; the provider's acceptance; variations."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from shortbreaks.contracts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.models import Award, CallOff, Opportunity
from shortbreaks.procurement.routes import rules_for

from ..models import Contract, Variation
from ..selectors import policy_for
from .monitoring import paid_so_far

KIND = {
    Opportunity.Route.OPEN: Contract.Kind.SERVICE,
    Opportunity.Route.TWO_STAGE: Contract.Kind.SERVICE,
    Opportunity.Route.FRAMEWORK: Contract.Kind.FRAMEWORK,
    Opportunity.Route.BLOCK: Contract.Kind.BLOCK,
    Opportunity.Route.GRANT: Contract.Kind.GRANT,
    Opportunity.Route.SPOT: Contract.Kind.SPOT,
    Opportunity.Route.IN_HOUSE: Contract.Kind.IN_HOUSE,
    Opportunity.Route.DYNAMIC_LIST: Contract.Kind.SERVICE,
}


def _offer(contract: Contract, offered_by) -> Contract:
    contract.save()
    audit_record(
        authority=contract.authority,
        actor=offered_by,
        action=Audit.CONTRACT_OFFERED,
        target=contract,
        summary=f"{contract} offered to {contract.organisation}",
    )
    # The provider signs in on its own council's site: a joint framework's participant
    # contracts with the lead authority's providers.
    site = contract.organisation.authority
    email_after_commit(
        to=[contract.organisation.email],
        subject=f"Contract to accept: {contract.reference}",
        body=f"{contract.title} (£{contract.value:,.2f}, {contract.starts_on:%-d %B %Y} to "
        f"{contract.ends_on:%-d %B %Y}) is ready for you to read and then accept or decline:\n"
        f"{absolute(site, 'contracts:offer', contract.pk)}\n",
        why=f"{contract.authority.name} is offering {contract.organisation.name} this contract",
        authority=site,
    )
    return contract


@transaction.atomic(durable=True)
def award_confirm(*, award: Award, confirmed_by, today: dt.date | None = None) -> Contract:
    """After the standstill period, with no challenge recorded, the award stands: the contract
    is offered to the provider."""
    today = today or timezone.localdate()
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("lot__opportunity", "submission__organisation")
        .get(pk=award.pk)
    )
    if award.status != Award.Status.STANDSTILL:
        raise NotAllowed("This award is already confirmed.")
    opportunity, lot = award.lot.opportunity, award.lot
    # A grant has no standstill period: its agreement is offered at once (receivers.py).
    if rules_for(opportunity.route).standstill and today <= award.standstill_ends_on:
        raise NotAllowed(f"The standstill period runs until {award.standstill_ends_on:%-d %B %Y}.")
    award.status = Award.Status.CONFIRMED
    award.save(update_fields=["status"])
    starts = max(opportunity.contract_start or today, today)
    return _offer(
        Contract(
            authority=award.authority,
            reference=f"{opportunity.reference}-L{lot.number}",
            kind=KIND[opportunity.route],
            title=f"{opportunity.title}, lot {lot.number}: {lot.title}",
            organisation=award.submission.organisation,
            opportunity=opportunity,
            lot=lot,
            award=award,
            value=award.amount_offered or award.submission.price or lot.value,
            guaranteed_hours=lot.guaranteed_hours,
            conditions=award.conditions,
            starts_on=starts,
            ends_on=starts + relativedelta(months=opportunity.term_months or 12),
        ),
        confirmed_by,
    )


def confirm_due_awards(*, today: dt.date | None = None) -> int:
    """Daily: every award whose standstill period has passed becomes a contract offer."""
    today = today or timezone.localdate()
    due = Award.objects.filter(status=Award.Status.STANDSTILL, standstill_ends_on__lt=today)
    for award in due:
        award_confirm(award=award, confirmed_by=None, today=today)
    return len(due)


@transaction.atomic(durable=True)
def direct_contract_create(
    *, opportunity: Opportunity, organisation, value: Decimal, starts_on: dt.date, ends_on: dt.date, created_by
) -> Contract:
    """A spot purchase or in-house service level agreement: recorded, not competed (the
    justification stays on the opportunity, for council staff: it is not one of the contract's
    conditions, which the provider reads); offered to the provider like any contract and
    monitored the same way."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.route not in (Opportunity.Route.SPOT, Opportunity.Route.IN_HOUSE):
        raise NotAllowed("Only spot purchases and in-house agreements are recorded directly; others are competed.")
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("This agreement is already recorded.")
    if organisation.authority_id != opportunity.authority_id:
        raise NotAllowed("Choose a provider listed with the council.")
    if value is None or value <= 0:
        raise NotAllowed("Give the agreement's value in pounds.")
    if ends_on <= starts_on:
        raise NotAllowed("The end date must be after the start date.")
    opportunity.status, opportunity.award_date = Opportunity.Status.AWARDED, timezone.localdate()
    opportunity.save(update_fields=["status", "award_date"])
    return _offer(
        Contract(
            authority=opportunity.authority,
            reference=opportunity.reference,
            kind=KIND[opportunity.route],
            title=opportunity.title,
            organisation=organisation,
            opportunity=opportunity,
            lot=opportunity.lots.first(),
            value=value,
            starts_on=starts_on,
            ends_on=ends_on,
        ),
        created_by,
    )


@transaction.atomic(durable=True)
def contract_terms_set(*, contract: Contract, extensions_left_months: int, break_clause: str, set_by) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if extensions_left_months < 0 or extensions_left_months > 120:
        raise NotAllowed("Give the extension options left in months, from 0 to 120.")
    contract.extensions_left_months, contract.break_clause = extensions_left_months, break_clause.strip()
    contract.save(update_fields=["extensions_left_months", "break_clause"])
    audit_record(
        authority=contract.authority,
        actor=set_by,
        action=Audit.CONTRACTS_TERMS,
        target=contract,
        summary=f"{contract.reference}: {extensions_left_months} months of extensions left; break clause "
        f"{'recorded' if break_clause.strip() else 'none'}",
    )
    return contract


def call_off_contract(*, call_off: CallOff, offered_by) -> Contract:
    """Inside call_off_award's (or family_call_off's) transaction: the call-off's own contract,
    numbered under the framework's row lock, so call-offs awarded at once queue here instead of
    counting the same contracts and taking the same reference."""
    framework = Opportunity.objects.select_for_update(of=("self",)).get(pk=call_off.framework_id)
    today = timezone.localdate()
    # The call-off's own period; a family's call-off, which names none, runs a year from today.
    starts_on = call_off.starts_on or today
    ends_on = call_off.ends_on or starts_on + relativedelta(months=12)
    count = Contract.objects.filter(opportunity=framework, call_off__isnull=False).count() + 1
    return _offer(
        Contract(
            authority=call_off.authority,
            reference=f"{framework.reference}-C{count}",
            kind=Contract.Kind.CALL_OFF,
            title=call_off.title,
            organisation=call_off.awarded_to,
            opportunity=framework,
            lot=call_off.lot,
            call_off=call_off,
            value=call_off.awarded_price,
            starts_on=starts_on,
            ends_on=ends_on,
        ),
        offered_by,
    )


@transaction.atomic(durable=True)
def contract_answer(*, contract: Contract, answered_by, accept: bool, reason: str = "") -> Contract:
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("call_off__child", "organisation")
        .get(pk=contract.pk)
    )
    if contract.status != Contract.Status.OFFERED:
        raise NotAllowed("This contract has already been answered.")
    if not accept and not reason.strip():
        raise NotAllowed("Say why you are declining, so the council can respond.")
    contract.status = Contract.Status.ACTIVE if accept else Contract.Status.DECLINED
    contract.answered_at, contract.answered_by, contract.declined_reason = timezone.now(), answered_by, reason.strip()
    contract.save(update_fields=["status", "answered_at", "answered_by", "declined_reason"])
    if not accept:
        from .family import release_if_family

        release_if_family(contract, answered_by)
    audit_record(
        authority=contract.authority,
        actor=answered_by,
        action=Audit.CONTRACT_ANSWERED,
        target=contract,
        summary=f"{contract} {'accepted' if accept else 'declined'} by {contract.organisation}",
        details={"reason": reason},
    )
    return contract


VARIABLE = {Variation.Kind.PRICE: "value", Variation.Kind.VOLUME: "guaranteed_hours", Variation.Kind.TERM: "ends_on"}


def _change_percent(contract: Contract, kind: str, after) -> Decimal:
    before = getattr(contract, VARIABLE[kind])
    if kind == Variation.Kind.TERM:
        base, change = (contract.ends_on - contract.starts_on).days, (after - contract.ends_on).days
    else:
        base, change = before or 0, after - (before or 0)
    return (Decimal(change) * 100 / Decimal(base)).quantize(Decimal("0.01")) if base else Decimal("100")


@transaction.atomic(durable=True)
def variation_propose(*, contract: Contract, kind: str, after, reason: str, proposed_by) -> Variation:
    """`after`: the new value (Decimal), guaranteed hours (int) or end date."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != Contract.Status.ACTIVE:
        raise NotAllowed("Only an active contract can be varied.")
    if kind not in VARIABLE:
        raise NotAllowed("Choose what the variation changes: price, volume or term.")
    if not reason.strip():
        raise NotAllowed("Say why the contract needs to change.")
    if contract.variations.filter(status=Variation.Status.PROPOSED).exists():
        raise NotAllowed("A variation of this contract is already waiting for approval.")
    before = getattr(contract, VARIABLE[kind])
    if after == before:
        raise NotAllowed("That is what the contract already says.")
    if kind == Variation.Kind.PRICE and after < paid_so_far(contract):
        raise NotAllowed("The value cannot fall below what has already been paid.")
    if kind == Variation.Kind.TERM and after <= max(contract.starts_on, timezone.localdate()):
        raise NotAllowed("The new end date must be after today and after the start.")
    if kind != Variation.Kind.TERM and after < 0:
        raise NotAllowed("The new figure cannot be negative.")
    change = _change_percent(contract, kind, after)
    variation = Variation.objects.create(
        authority=contract.authority,
        contract=contract,
        kind=kind,
        before=str(before or 0),
        after=str(after),
        change_percent=change,
        reason=reason.strip(),
        proposed_by=proposed_by,
        needs_decision=abs(change) > policy_for(contract.authority).variation_tolerance_percent,
    )
    audit_record(
        authority=contract.authority,
        actor=proposed_by,
        action=Audit.CONTRACTS_VARIATION_PROPOSED,
        target=variation,
        summary=f"{contract.reference}: {variation.get_kind_display()} from {before} to {after} ({change:+}%) proposed",
    )
    return variation


@transaction.atomic(durable=True)
def variation_decide(
    *, variation: Variation, decided_by, approve: bool, decision_reference: str = "", note: str = ""
) -> Variation:
    """Someone other than the proposer approves; beyond the tolerance, only with the reference
    of the formal decision (for example, a cabinet member's decision notice)."""
    variation = Variation.objects.select_for_update().get(pk=variation.pk)
    contract = (
        Contract.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=variation.contract_id)
    )
    if variation.status != Variation.Status.PROPOSED:
        raise NotAllowed("This variation has already been decided.")
    if variation.proposed_by_id == decided_by.pk:
        raise NotAllowed("Someone other than the person who proposed it must approve a variation.")
    if approve and variation.needs_decision and not decision_reference.strip():
        raise NotAllowed(
            f"A change of {variation.change_percent:+}% is beyond the council's tolerance: record the "
            "reference of the formal decision that approved it."
        )
    if not approve and not note.strip():
        raise NotAllowed("Say why the variation is rejected.")
    variation.status = Variation.Status.APPROVED if approve else Variation.Status.REJECTED
    variation.decided_by, variation.decided_at = decided_by, timezone.now()
    variation.decision_reference, variation.decision_note = decision_reference.strip(), note.strip()
    variation.save()
    if approve:
        field = VARIABLE[variation.kind]
        value = {"value": Decimal, "guaranteed_hours": int, "ends_on": dt.date.fromisoformat}[field](variation.after)
        if field == "ends_on" and value <= contract.starts_on:
            raise NotAllowed("The new end date must be after the start.")
        setattr(contract, field, value)
        contract.save(update_fields=[field])
    audit_record(
        authority=contract.authority,
        actor=decided_by,
        action=Audit.CONTRACTS_VARIATION_DECIDED,
        target=variation,
        summary=f"{contract.reference}: {variation.get_kind_display()} to {variation.after_shown} "
        + (
            "approved" + (f" under decision {variation.decision_reference}" if variation.decision_reference else "")
            if approve
            else f"rejected: {variation.decision_note}"
        ),
    )
    if approve and contract.organisation.email:
        email_after_commit(
            to=[contract.organisation.email],
            subject=f"Contract varied: {contract.reference}",
            body=f"{variation.get_kind_display()} changes from {variation.before_shown} to {variation.after_shown}. "
            f"Reason: {variation.reason}\n\n"
            f"{absolute(contract.organisation.authority, 'contracts:provider-contract', contract.pk)}\n",
            why=f"{contract.organisation.name} holds contract {contract.reference} with {contract.authority.name}",
            authority=contract.organisation.authority,
        )
    return variation
