"""Open Contracting Data Standard 1.1 releases for opportunities, with the lots extension:
a planning release while a draft is announced, a tender release once published, then award
and contract releases; each call-off under a framework is its own process related to it."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import Opportunity
from .routes import ROUTES

METHOD = {route: rules.ocds_method for route, rules in ROUTES.items()}  # procurement/routes.py
TENDER_STATUS = {
    Opportunity.Status.DRAFT: "planning",
    Opportunity.Status.OPEN: "active",
    Opportunity.Status.CLOSED: "active",
    Opportunity.Status.AWARDED: "complete",
    Opportunity.Status.CANCELLED: "cancelled",
}


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def _value(amount) -> dict:
    return {"amount": float(amount), "currency": "GBP"}


def _buyer(authority) -> dict:
    return {"id": f"GB-LAE-{authority.slug}", "name": authority.name}


def tender_release(opportunity: Opportunity) -> dict:
    buyer = _buyer(opportunity.authority)
    lots = list(opportunity.lots.all())
    tender = {
        "id": opportunity.reference,
        "title": opportunity.title,
        "description": opportunity.description,
        "status": TENDER_STATUS[opportunity.status],
        "procurementMethod": METHOD[opportunity.route],
        "procurementMethodDetails": opportunity.get_route_display(),
        "mainProcurementCategory": "services",
        "value": _value(sum((lot.value for lot in lots), 0)),
        "lots": [
            {
                "id": str(lot.number),
                "title": lot.title,
                "description": (lot.description or lot.title)
                + (
                    f" Guaranteed minimum volume: {lot.guaranteed_hours} place-hours a year (one child for one hour)."
                    if lot.guaranteed_hours
                    else ""
                ),
                "value": _value(lot.value),
                "status": TENDER_STATUS[opportunity.status],
            }
            for lot in lots
        ],
        "procuringEntity": {"id": buyer["id"], "name": buyer["name"]},
    }
    if opportunity.submission_deadline:
        tender["tenderPeriod"] = {
            "startDate": _iso(opportunity.published_at),
            "endDate": _iso(opportunity.submission_deadline),
        }
    if opportunity.clarification_deadline:
        tender["enquiryPeriod"] = {
            "startDate": _iso(opportunity.published_at),
            "endDate": _iso(opportunity.clarification_deadline),
        }
    return {
        "ocid": opportunity.ocid,
        "id": f"{opportunity.ocid}-tender-{int(opportunity.published_at.timestamp())}",
        "date": _iso(opportunity.published_at),
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [{**buyer, "roles": ["buyer", "procuringEntity"]}],
        "tender": tender,
    }


def award_release(opportunity: Opportunity, awards: list) -> dict:
    """The awards so far (one per lot), each naming its supplier; the tender release stays as
    published. Standstill awards are "pending", confirmed ones "active"."""
    buyer = _buyer(opportunity.authority)
    suppliers = {}
    entries = []
    for award in awards:
        organisation = award.submission.organisation
        supplier = {"id": f"GB-SB-{organisation.pk}", "name": organisation.name}
        suppliers[supplier["id"]] = supplier
        entries.append(
            {
                "id": f"{opportunity.reference}-lot-{award.lot.number}",
                "title": f"Lot {award.lot.number}: {award.lot.title}",
                **({"description": f"Grant conditions: {award.conditions}"} if award.conditions else {}),
                "status": "pending" if award.status == award.Status.STANDSTILL else "active",
                "date": _iso(award.decided_at),
                # A grant's value is what the council offered, not what was asked for.
                "value": _value(award.amount_offered or award.submission.price or 0),
                "suppliers": [supplier],
                "relatedLots": [str(award.lot.number)],
            }
        )
    latest = max(award.decided_at for award in awards)
    return {
        "ocid": opportunity.ocid,
        "id": f"{opportunity.ocid}-award-{int(latest.timestamp())}",
        "date": _iso(latest),
        "tag": ["award"],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [
            {**buyer, "roles": ["buyer", "procuringEntity"]},
            *[{**supplier, "roles": ["supplier"]} for supplier in suppliers.values()],
        ],
        "awards": entries,
    }


def planning_release(opportunity: Opportunity) -> dict:
    """What the council announced it plans to buy, before the tender opens."""
    buyer = _buyer(opportunity.authority)
    lots = list(opportunity.lots.all())
    return {
        "ocid": opportunity.ocid,
        "id": f"{opportunity.ocid}-planning-{int(opportunity.announced_at.timestamp())}",
        "date": _iso(opportunity.announced_at),
        "tag": ["planning"],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [{**buyer, "roles": ["buyer"]}],
        "planning": {
            "rationale": opportunity.description,
            "budget": {"amount": _value(sum((lot.value for lot in lots), 0))},
        },
        "tender": {
            "id": opportunity.reference,
            "title": opportunity.title,
            "status": "planning",
            "procurementMethodDetails": opportunity.get_route_display(),
            "lots": [{"id": str(lot.number), "title": lot.title, "value": _value(lot.value)} for lot in lots],
        },
    }


def releases_for(opportunities) -> list[dict]:
    releases = []
    for opportunity in opportunities:
        if opportunity.announced_at:
            releases.append(planning_release(opportunity))
        if not opportunity.published_at:
            continue
        releases.append(tender_release(opportunity))
        awards = [lot.award for lot in opportunity.lots.all() if hasattr(lot, "award")]
        if awards:
            releases.append(award_release(opportunity, awards))
        contracts = [a.contract for a in awards if hasattr(a, "contract")]
        if contracts:
            releases.append(contract_release(opportunity, contracts))
        if paid := [c for c in contracts if c.payments.all()]:
            releases.append(implementation_release(opportunity, paid))
        releases += [call_off_release(opportunity, c) for c in opportunity.call_offs.all() if hasattr(c, "contract")]
    return releases


def call_off_release(framework: Opportunity, call_off) -> dict:
    """A call-off is its own contracting process, related to its framework (OCDS's guidance for
    frameworks): its award and contract in one release."""
    buyer, contract = _buyer(framework.authority), call_off.contract
    supplier = _supplier(call_off.awarded_to)
    paid = bool(contract.payments.all())
    ocid = f"{settings.OCDS_PREFIX}-{framework.authority_id}-{contract.reference}"
    award_id = f"{contract.reference}-award"
    return {
        "ocid": ocid,
        "id": f"{ocid}-{int(contract.offered_at.timestamp())}",
        "date": _iso(contract.offered_at),
        "tag": ["award", "contract"] + (["implementation"] if paid else []),
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [
            {**buyer, "roles": ["buyer", "procuringEntity"] + (["payer"] if paid else [])},
            {**supplier, "roles": ["supplier"] + (["payee"] if paid else [])},
        ],
        "relatedProcesses": [
            {
                "id": "framework",
                "relationship": ["framework"],
                "title": framework.title,
                "scheme": "ocid",
                "identifier": framework.ocid,
            }
        ],
        "tender": {
            "id": contract.reference,
            "title": call_off.title,
            "status": "complete",
            "procurementMethod": "selective" if call_off.method == "mini" else "limited",
            "procurementMethodDetails": f"Call-off from {framework.reference} lot {call_off.lot.number}: "
            f"{call_off.get_method_display().lower()}",
        },
        "awards": [
            {
                "id": award_id,
                "title": call_off.title,
                "status": "active",
                "date": _iso(contract.offered_at),
                "value": _value(call_off.awarded_price),
                "suppliers": [supplier],
            }
        ],
        "contracts": [
            {
                **_contract(contract, award_id),
                **({"implementation": {"transactions": _transactions(contract, buyer)}} if paid else {}),
            }
        ],
    }


CONTRACT_STATUS = {"offered": "pending", "active": "active", "declined": "cancelled"}


def contract_release(opportunity: Opportunity, contracts: list) -> dict:
    buyer = _buyer(opportunity.authority)
    latest = max(c.answered_at or c.offered_at for c in contracts)
    return {
        "ocid": opportunity.ocid,
        "id": f"{opportunity.ocid}-contract-{int(latest.timestamp())}",
        "date": _iso(latest),
        "tag": ["contract"],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [{**buyer, "roles": ["buyer"]}],
        "contracts": [_contract(c, f"{opportunity.reference}-lot-{c.lot.number}") for c in contracts],
    }


def _day(day: dt.date) -> str:
    return _iso(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC))


def _contract(contract, award_id: str) -> dict:
    """The contract as it stands; approved variations as amendments (values are the current ones)."""
    amendments = [
        {
            "id": str(v.pk),
            "date": _iso(v.decided_at),
            "rationale": v.reason,
            "description": f"{v.get_kind_display()} changed from {v.before} to {v.after}"
            + (f" under decision {v.decision_reference}" if v.decision_reference else ""),
        }
        for v in contract.variations.all()
        if v.status == "approved"
    ]
    return {
        "id": contract.reference,
        "awardID": award_id,
        "title": contract.title,
        "status": CONTRACT_STATUS[contract.status],
        "value": _value(contract.value),
        "period": {"startDate": _day(contract.starts_on), "endDate": _day(contract.ends_on)},
        **({"dateSigned": _iso(contract.answered_at)} if contract.status == "active" else {}),
        **({"amendments": amendments} if amendments else {}),
    }


def _transactions(contract, buyer: dict) -> list[dict]:
    payee = _supplier(contract.organisation)
    return [
        {
            "id": str(p.pk),
            "source": settings.SITE_URL,
            "date": _day(p.paid_on),
            "value": _value(p.amount),
            "payer": {"id": buyer["id"], "name": buyer["name"]},
            "payee": payee,
        }
        for p in contract.payments.all()
    ]


def _supplier(organisation) -> dict:
    return {"id": f"GB-SB-{organisation.pk}", "name": organisation.name}


def implementation_release(opportunity: Opportunity, contracts: list) -> dict:
    """Payments made under the contracts, as implementation transactions."""
    buyer = _buyer(opportunity.authority)
    latest = max(p.created_at for c in contracts for p in c.payments.all())
    payees = {c.organisation.pk: _supplier(c.organisation) for c in contracts}
    return {
        "ocid": opportunity.ocid,
        "id": f"{opportunity.ocid}-implementation-{int(latest.timestamp())}",
        "date": _iso(latest),
        "tag": ["implementation"],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [
            {**buyer, "roles": ["buyer", "payer"]},
            *[{**p, "roles": ["supplier", "payee"]} for p in payees.values()],
        ],
        "contracts": [
            {
                "id": c.reference,
                "awardID": f"{opportunity.reference}-lot-{c.lot.number}",
                "implementation": {"transactions": _transactions(c, buyer)},
            }
            for c in contracts
        ],
    }


def release_package(releases: list[dict], *, uri: str) -> dict:
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _iso(timezone.now()),
        "publisher": {"name": "Shortbreaks", "uri": settings.SITE_URL},
        "extensions": [
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
        ],
        "releases": releases,
    }
