"""Open Contracting Data Standard 1.1 releases for opportunities, with the lots extension:
a planning release while a draft is announced, a tender release once published. Awards and
contracts join as those stages are built."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import Opportunity

METHOD = {
    Opportunity.Route.OPEN: "open", Opportunity.Route.TWO_STAGE: "selective",
    Opportunity.Route.FRAMEWORK: "open", Opportunity.Route.DYNAMIC_LIST: "open", Opportunity.Route.BLOCK: "open",
    Opportunity.Route.GRANT: "open", Opportunity.Route.SPOT: "direct", Opportunity.Route.IN_HOUSE: "direct",
}
TENDER_STATUS = {
    Opportunity.Status.DRAFT: "planning", Opportunity.Status.OPEN: "active", Opportunity.Status.CLOSED: "active",
    Opportunity.Status.AWARDED: "complete", Opportunity.Status.CANCELLED: "cancelled",
}


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z") if value else None


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
        "lots": [{"id": str(lot.number), "title": lot.title, "description": lot.description or lot.title,
                  "value": _value(lot.value), "status": TENDER_STATUS[opportunity.status]} for lot in lots],
        "procuringEntity": {"id": buyer["id"], "name": buyer["name"]},
    }
    if opportunity.submission_deadline:
        tender["tenderPeriod"] = {"startDate": _iso(opportunity.published_at), "endDate": _iso(opportunity.submission_deadline)}
    if opportunity.clarification_deadline:
        tender["enquiryPeriod"] = {"startDate": _iso(opportunity.published_at), "endDate": _iso(opportunity.clarification_deadline)}
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


def releases_for(opportunities) -> list[dict]:
    return [tender_release(o) for o in opportunities if o.published_at]


def release_package(releases: list[dict], *, uri: str) -> dict:
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _iso(timezone.now()),
        "publisher": {"name": "Shortbreaks", "uri": settings.SITE_URL},
        "extensions": ["https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json"],
        "releases": releases,
    }
