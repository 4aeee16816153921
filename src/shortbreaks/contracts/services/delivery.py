"""Which of the provider's services a contract is delivered through (returns count their
sessions, bookings and attendance)."""

from django.db import transaction

from shortbreaks.contracts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed

from ..models import Contract


@transaction.atomic(durable=True)
def contract_services_set(*, contract: Contract, services, set_by) -> Contract:
    """The services delivered under the contract: only the contract's own provider's, in its
    authority. Replaces what was there."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    chosen = list(services)
    if any(s.authority_id != contract.authority_id or s.organisation_id != contract.organisation_id for s in chosen):
        raise NotAllowed("Choose from this provider's own services.")
    before = set(contract.services.values_list("pk", flat=True))
    contract.services.set(chosen)
    after = {s.pk for s in chosen}
    audit_record(
        authority=contract.authority,
        actor=set_by,
        action=Audit.CONTRACTS_SERVICES,
        target=contract,
        summary=f"{contract.reference}: delivered through {len(after)} service{'s' if len(after) != 1 else ''}",
        details={
            "added": sorted(str(pk) for pk in after - before),
            "removed": sorted(str(pk) for pk in before - after),
        },
    )
    return contract
