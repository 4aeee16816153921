"""Regional commissioning. The lead authority records the arrangement on its framework and the
authorities joining it; each participant then calls off from the framework for itself (its
call-offs and contracts belong to it), and every party sees the joint monitoring picture:
totals per authority and provider, never a family or child."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import Authority

from .models import CallOff, JointArrangement, JointParticipant, Opportunity
from .routes import rules_for


@transaction.atomic(durable=True)
def arrangement_record(*, framework: Opportunity, terms: str, agreed_on: dt.date, recorded_by) -> JointArrangement:
    if not rules_for(framework.route).joint or framework.reopening_of_id:
        raise NotAllowed("Regional commissioning runs through a framework.")
    if not terms.strip():
        raise NotAllowed("Record what the authorities agreed.")
    arrangement, created = JointArrangement.objects.update_or_create(
        framework=framework,
        defaults={
            "authority": framework.authority,
            "terms": terms.strip(),
            "agreed_on": agreed_on,
            "created_by": recorded_by,
        },
    )
    audit_record(
        authority=framework.authority,
        actor=recorded_by,
        action="procurement.joint",
        target=arrangement,
        summary=f"Joint commissioning {'recorded' if created else 'changed'} for {framework.reference}",
    )
    return arrangement


@transaction.atomic(durable=True)
def participant_add(
    *, arrangement: JointArrangement, authority: Authority, signed_for_by: str, joined_on: dt.date, added_by
) -> JointParticipant:
    if authority.pk == arrangement.authority_id:
        raise NotAllowed("The lead authority takes part already.")
    if not signed_for_by.strip():
        raise NotAllowed("Say who signed the agreement for that authority.")
    if JointParticipant.objects.filter(arrangement=arrangement, authority=authority).exists():
        raise NotAllowed(f"{authority.name} has already joined.")
    participant = JointParticipant.objects.create(
        arrangement=arrangement, authority=authority, joined_on=joined_on, signed_for_by=signed_for_by.strip()
    )
    for side in (arrangement.authority, authority):
        audit_record(
            authority=side,
            actor=added_by,
            action="procurement.joint_participant",
            target=arrangement,
            summary=f"{authority.name} joins {arrangement.framework.reference} (led by "
            f"{arrangement.authority.name}), signed for by {participant.signed_for_by}",
        )
    return participant


def may_call_off(framework: Opportunity, authority: Authority) -> bool:
    return (
        framework.authority_id == authority.pk
        or JointParticipant.objects.filter(arrangement__framework=framework, authority=authority).exists()
    )


def joint_arrangements(authority: Authority):
    """Arrangements this authority leads or takes part in."""
    return (
        JointArrangement.objects.filter(Q(authority=authority) | Q(participants__authority=authority))
        .distinct()
        .select_related("framework", "authority")
        .prefetch_related("participants__authority", "framework__lots")
    )


def joint_monitoring(arrangement: JointArrangement) -> dict:
    """The shared picture: call-offs, contracted value, payments and returns per authority and
    per provider. Aggregates only; no family, child or family call-off's detail appears."""
    from shortbreaks.contracts.models import Contract, ContractReturn, Payment

    contracts = Contract.objects.filter(call_off__framework=arrangement.framework)
    parties = [arrangement.authority, *[p.authority for p in arrangement.participants.all()]]
    by_authority = {
        row["authority"]: row
        for row in contracts.values("authority").annotate(
            contracts=Count("pk"),
            active=Count("pk", filter=Q(status=Contract.Status.ACTIVE)),
            value=Sum("value"),
            families=Count("pk", filter=Q(call_off__child__isnull=False)),
        )
    }
    paid = dict(
        Payment.objects.filter(contract__in=contracts)
        .values("authority")
        .annotate(t=Sum("amount"))
        .values_list("authority", "t")
    )
    returns = dict(
        ContractReturn.objects.filter(contract__in=contracts, status=ContractReturn.Status.APPROVED)
        .values("authority")
        .annotate(n=Count("pk"))
        .values_list("authority", "n")
    )
    rows = []
    for authority in parties:
        row = by_authority.get(authority.pk, {})
        rows.append(
            {
                "authority": authority.name,
                "contracts": row.get("contracts", 0),
                "active": row.get("active", 0),
                "families": row.get("families", 0),
                "value": row.get("value") or Decimal(0),
                "paid": paid.get(authority.pk) or Decimal(0),
                "returns": returns.get(authority.pk, 0),
            }
        )
    providers = (
        contracts.values("organisation__name")
        .annotate(contracts=Count("pk"), value=Sum("value"), authorities=Count("authority", distinct=True))
        .order_by("organisation__name")
    )
    return {
        "authorities": rows,
        "providers": list(providers),
        "open_call_offs": CallOff.objects.filter(framework=arrangement.framework, status=CallOff.Status.OPEN).count(),
    }
