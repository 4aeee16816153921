"""Regional commissioning's shared picture (procurement/joint.py records the arrangement): the
call-offs' contracts, payments and returns per authority and per provider, shown to every party
on the arrangement's page through contracts' panel. Aggregates only; no family, child or family
call-off's detail appears."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from shortbreaks.procurement.models import CallOff, JointArrangement

from ..models import Contract, ContractReturn, Payment


def joint_monitoring(arrangement: JointArrangement) -> dict:
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


def joint_monitoring_panel(arrangement: JointArrangement) -> dict:
    """The panel's context (registered in apps.py for "procurement.joint-arrangement")."""
    return {"monitoring": joint_monitoring(arrangement)}
