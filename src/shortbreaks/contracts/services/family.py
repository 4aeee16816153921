"""Parents calling off from a framework with their child's budget: they choose a member of a
framework lot and agree the price; the call-off's contract is offered to the provider and the
money is committed on the child's budget account in the same transaction (released if the
provider declines)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shortbreaks.contracts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.idempotency import once
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.families.models import LedgerEntry
from shortbreaks.families.services.budget import account_for, post_entry
from shortbreaks.procurement.models import CallOff, Lot, Opportunity
from shortbreaks.procurement.routes import rules_for
from shortbreaks.procurement.selectors.frameworks import members, standstill_until
from shortbreaks.procurement.selectors.joint import may_call_off

from ..models import Contract
from .contracts import call_off_contract


def family_call_off(
    *, lot: Lot, organisation, child, title: str, price: Decimal, requested_by, idempotency_key: str = ""
) -> Contract:
    """The caller has checked the child is the parent's own. The page's key makes a retried
    submission return the contract it made, not commit the child's money twice."""
    return once(
        lambda: _family_call_off(
            lot=lot,
            organisation=organisation,
            child=child,
            title=title,
            price=price,
            requested_by=requested_by,
            idempotency_key=idempotency_key,
        ),
        done_before=lambda: (
            Contract.objects.filter(requested_by=requested_by, idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        ),
    )


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def _family_call_off(*, lot, organisation, child, title, price, requested_by, idempotency_key) -> Contract:
    framework = lot.opportunity
    if (
        not rules_for(framework.route).family_call_offs
        or framework.status != Opportunity.Status.AWARDED
        or framework.reopening_of_id
    ):
        raise NotAllowed("Families call off only from an awarded framework.")
    if until := standstill_until([lot], timezone.localdate()):
        raise NotAllowed(f"Families can buy from this framework from {until + dt.timedelta(days=1):%-d %B %Y}.")
    if not members(lot).filter(organisation=organisation).exists():
        raise NotAllowed("Choose a provider on this part of the framework.")
    if not title.strip():
        raise NotAllowed("Say what you are buying, for example 'Saturday sessions, spring term'.")
    if price is None or price <= 0:
        raise NotAllowed("Give the price you agreed with the provider.")
    if not may_call_off(framework, child.authority):
        raise NotAllowed("Your council is not a party to this framework.")
    # The family's own words (they may name the child) stay in the description, which only the
    # family's pages show; the council and the open data see a neutral title.
    call_off = CallOff.objects.create(
        authority=child.authority,
        framework=framework,
        lot=lot,
        title=f"Bought by a family: {lot.title}",
        description=title.strip(),
        method=CallOff.Method.DIRECT,
        justification="Chosen by the family with their child's budget",
        status=CallOff.Status.AWARDED,
        awarded_to=organisation,
        awarded_price=price,
        child=child,
        created_by=requested_by,
    )
    contract = call_off_contract(call_off=call_off, offered_by=requested_by)
    # Before the money moves: the same key at the same moment stops here (unique per parent).
    contract.requested_by, contract.idempotency_key = requested_by, idempotency_key
    contract.save(update_fields=["requested_by", "idempotency_key"])
    post_entry(
        account=account_for(child),
        kind=LedgerEntry.Kind.BOOKING_COMMITTED,
        amount=price,
        actor=requested_by,
        description=f"{title.strip()} from {organisation.name}"[:300],
        reference=contract.reference,
    )
    audit_record(
        authority=child.authority,
        actor=requested_by,
        action=Audit.CONTRACTS_FAMILY_CALL_OFF,
        target=contract,
        summary=f"A family called off {contract.reference} from {framework.reference} lot {lot.number}",
    )
    return contract


def release_if_family(contract: Contract, actor) -> None:
    """Inside contract_answer: a declined family call-off gives the money back to the budget."""
    call_off = contract.call_off
    if call_off is not None and call_off.child_id:
        post_entry(
            account=account_for(call_off.child),
            kind=LedgerEntry.Kind.BOOKING_RELEASED,
            amount=call_off.awarded_price,
            actor=actor,
            reference=contract.reference,
            description=f"{call_off.description}: declined by {contract.organisation.name}"[:300],
        )
