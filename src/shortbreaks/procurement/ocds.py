"""Open Contracting Data Standard 1.1 releases for opportunities, with the lots extension:
a planning release while a draft is announced, a tender release once published, a
tenderAmendment release for each change made to it after that, then award and contract
releases; each call-off under a framework is its own process related to it.

Organisations are named by their org-id identifiers (directory/identifiers.py): the council by
the one it set, suppliers by a PPON, charity or company number where they registered one. Every
release of a process gives each party all the roles it has anywhere in that process, so a
record compiled from the releases keeps them all."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone

from shortbreaks.core.models import AuditEvent
from shortbreaks.core.sites import site_url
from shortbreaks.directory.identifiers import authority_org_id, org_id, registered_identifiers

from .audit import Audit
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
    """The council as an organisation reference: its org-id identifier and name."""
    return {"id": authority_org_id(authority), "name": authority.name}


def _buyer_party(authority) -> dict:
    party = _buyer(authority)
    if authority.org_identifier:  # "GB-LAE-ABC": the list's code is the first two parts
        scheme, _, number = authority.org_identifier.partition("-")[2].partition("-")
        party["identifier"] = {"scheme": f"GB-{scheme}", "id": number, "legalName": authority.name}
    return party


def _supplier(organisation) -> dict:
    """An organisation reference: the best identifier it registered (GB-SB-<uuid> if none)."""
    return {"id": org_id(organisation), "name": organisation.name}


def _supplier_party(organisation) -> dict:
    """The organisation in parties: its identifier first, the other registered ones after."""
    party = _supplier(organisation)
    found = [
        {"scheme": i.scheme, "id": i.identifier, "legalName": organisation.name}
        for i in registered_identifiers(organisation)
    ]
    if found:
        party["identifier"] = found[0]
    if found[1:]:
        party["additionalIdentifiers"] = found[1:]
    return party


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
        "parties": [{**_buyer_party(opportunity.authority), "roles": ["buyer", "procuringEntity"]}],
        "tender": tender,
    }


def tender_changes(opportunity: Opportunity) -> list[dict]:
    """What changed in the tender after it was published, oldest first, as OCDS amendments.
    The records are the ones the changes leave: the audit trail's change of the notice (its
    deadlines, title, description...), each document added, each clarification answered."""
    published = opportunity.published_at
    changes = []
    events = AuditEvent.objects.filter(
        authority_id=opportunity.authority_id,
        action=Audit.PROCUREMENT_CHANGED,
        target_type=Opportunity._meta.label_lower,
        target_id=str(opportunity.pk),
        created_at__gt=published,
    ).order_by("created_at", "id")
    for event in events:
        names = event.details.get("changed") or []
        what = ", ".join(_field_label(name) for name in names) or "the notice"
        reason = event.details.get("deadline_brought_forward_because")
        changes.append(
            {
                "id": f"change-{event.pk}",
                "date": _iso(event.created_at),
                "rationale": reason or "The council changed the published notice.",
                "description": f"Changed: {what}.",
            }
        )
    for document in opportunity.documents.all():
        if document.submission_id is None and document.uploaded_at > published:
            changes.append(
                {
                    "id": f"document-{document.pk}",
                    "date": _iso(document.uploaded_at),
                    "rationale": "The council added a document to the tender.",
                    "description": f"Document added: {document.title}.",
                }
            )
    for clarification in opportunity.clarifications.all():
        if clarification.published_at:
            changes.append(
                {
                    "id": f"clarification-{clarification.pk}",
                    "date": _iso(clarification.published_at),
                    "rationale": "A clarification question was answered, for every provider to read.",
                    "description": f"Q: {clarification.question} A: {clarification.answer}",
                }
            )
    return sorted(changes, key=lambda change: (change["date"], change["id"]))


def _field_label(name: str) -> str:
    try:
        return str(Opportunity._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field since removed
        return name.replace("_", " ")


def tender_amendment_releases(opportunity: Opportunity, tender: dict) -> list[dict]:
    """One tenderAmendment release per change, each listing the amendments so far; the tender
    as it now stands (the model keeps current values only)."""
    buyer = _buyer(opportunity.authority)
    changes = tender_changes(opportunity)
    releases = []
    for n, change in enumerate(changes, start=1):
        releases.append(
            {
                "ocid": opportunity.ocid,
                "id": f"{opportunity.ocid}-amendment-{n}-{change['id']}",
                "date": change["date"],
                "tag": ["tenderAmendment"],
                "initiationType": "tender",
                "language": "en",
                "buyer": {"id": buyer["id"], "name": buyer["name"]},
                "parties": [{**_buyer_party(opportunity.authority), "roles": ["buyer", "procuringEntity"]}],
                "tender": {**tender, "amendments": changes[:n]},
            }
        )
    return releases


def award_release(opportunity: Opportunity, awards: list) -> dict:
    """The awards so far (one per lot), each naming its supplier; the tender release stays as
    published. Standstill awards are "pending", confirmed ones "active"."""
    buyer = _buyer(opportunity.authority)
    suppliers = {}
    entries = []
    for award in awards:
        organisation = award.submission.organisation
        supplier = _supplier(organisation)
        suppliers[supplier["id"]] = _supplier_party(organisation)
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
            {**_buyer_party(opportunity.authority), "roles": ["buyer", "procuringEntity"]},
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
        "parties": [{**_buyer_party(opportunity.authority), "roles": ["buyer"]}],
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
        tender = tender_release(opportunity)
        releases.append(tender)
        releases += tender_amendment_releases(opportunity, tender["tender"])
        awards = [lot.award for lot in opportunity.lots.all() if hasattr(lot, "award")]
        if awards:
            releases.append(award_release(opportunity, awards))
        contracts = [a.contract for a in awards if hasattr(a, "contract")]
        if contracts:
            releases.append(contract_release(opportunity, contracts))
        if paid := [c for c in contracts if c.payments.all()]:
            releases.append(implementation_release(opportunity, paid))
        releases += [call_off_release(opportunity, c) for c in opportunity.call_offs.all() if hasattr(c, "contract")]
    return with_every_role(releases)


ROLE_ORDER = ["buyer", "procuringEntity", "supplier", "tenderer", "payer", "payee"]


def with_every_role(releases: list[dict]) -> list[dict]:
    """Each party of a process with the union of its roles across the process's releases: a
    compiled record takes a party's roles from its latest release, which may name fewer."""
    roles: dict[tuple[str, str], set] = {}
    for release in releases:
        for party in release.get("parties", []):
            roles.setdefault((release["ocid"], party["id"]), set()).update(party["roles"])
    for release in releases:
        for party in release.get("parties", []):
            every = roles[(release["ocid"], party["id"])]
            party["roles"] = sorted(
                every, key=lambda role: (ROLE_ORDER.index(role) if role in ROLE_ORDER else 99, role)
            )
    return releases


def call_off_release(framework: Opportunity, call_off) -> dict:
    """A call-off is its own contracting process, related to its framework (OCDS's guidance for
    frameworks): its award and contract in one release."""
    buyer, contract = _buyer(framework.authority), call_off.contract
    supplier = _supplier(call_off.awarded_to)
    supplier_party = _supplier_party(call_off.awarded_to)
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
            {**_buyer_party(framework.authority), "roles": ["buyer", "procuringEntity"] + (["payer"] if paid else [])},
            {**supplier_party, "roles": ["supplier"] + (["payee"] if paid else [])},
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
        "parties": [
            {**_buyer_party(opportunity.authority), "roles": ["buyer"]},
            *[
                {**party, "roles": ["supplier"]}
                for party in {c.organisation.pk: _supplier_party(c.organisation) for c in contracts}.values()
            ],
        ],
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
            "source": site_url(contract.authority),
            "date": _day(p.paid_on),
            "value": _value(p.amount),
            "payer": {"id": buyer["id"], "name": buyer["name"]},
            "payee": payee,
        }
        for p in contract.payments.all()
    ]


def implementation_release(opportunity: Opportunity, contracts: list) -> dict:
    """Payments made under the contracts, as implementation transactions."""
    buyer = _buyer(opportunity.authority)
    latest = max(p.created_at for c in contracts for p in c.payments.all())
    payees = {c.organisation.pk: _supplier_party(c.organisation) for c in contracts}
    return {
        "ocid": opportunity.ocid,
        "id": f"{opportunity.ocid}-implementation-{int(latest.timestamp())}",
        "date": _iso(latest),
        "tag": ["implementation"],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [
            {**_buyer_party(opportunity.authority), "roles": ["buyer", "payer"]},
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


def release_package(releases: list[dict], *, uri: str, authority) -> dict:
    """The council publishes its releases: it is the publisher, on the Open Government Licence,
    under the publication policy it writes itself (a site page, core/site_pages.py)."""
    home = site_url(authority)
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _iso(timezone.now()),
        "publisher": {"name": authority.name, "uri": authority.website or home},
        "license": settings.OPEN_DATA_LICENSE,
        "publicationPolicy": home + reverse("core:publication-policy"),
        "extensions": [
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
        ],
        "releases": releases,
    }
