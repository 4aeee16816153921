"""The council awarding a call-off under a framework: one transaction records the award
(procurement's call_off_award_record: the call-off locked, still open, the member and price
checked or the mini-competition's best ranked taken through the sealing rule) and offers the
call-off's contract (call_off_contract, numbered under the framework's lock); the provider is
told once it has committed. A family's own call-off is family.py's."""

from decimal import Decimal

from django.db import transaction

from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.models import CallOff
from shortbreaks.procurement.services import call_off_award_record

from .contracts import call_off_contract


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def call_off_award(*, call_off: CallOff, decided_by, organisation=None, price: Decimal | None = None) -> CallOff:
    """Direct: to the member named, at the price named. Mini-competition: to the best ranked."""
    call_off = call_off_award_record(call_off=call_off, decided_by=decided_by, organisation=organisation, price=price)
    call_off_contract(call_off=call_off, offered_by=decided_by)
    organisation, price = call_off.awarded_to, call_off.awarded_price
    email_after_commit(
        to=[organisation.email],
        subject=f"Call-off awarded: {call_off.title}",
        body=f"You have been awarded {call_off.title} under {call_off.framework.reference} at £{price:,.2f}.\n",
        why=f"{organisation.name} is a member of {call_off.framework.reference}, under which "
        f"{call_off.authority.name} awarded this call-off",
        authority=organisation.authority,
    )
    return call_off
