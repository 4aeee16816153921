"""Every insight table as CSV or XLSX (openpyxl), and grants as 360Giving data. A table is a
title, headers and rows built from the same selectors the pages use."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from shortbreaks.contracts.models import Contract, Payment, Variation
from shortbreaks.contracts.selectors import budget_figures
from shortbreaks.core.spreadsheets import csv_bytes, xlsx_bytes
from shortbreaks.directory.identifiers import (
    CHARITY_SCHEMES,
    COMPANY_SCHEME,
    authority_org_id,
    org_id,
    registered_identifiers,
)

from .selectors.gaps import Filters, gap_analysis


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


def gaps_table(authority, filters: Filters) -> Table:
    analysis = gap_analysis(authority=authority, filters=filters)
    return Table(
        f"Gap analysis {filters.year}-{filters.year + 1}",
        ["Need", "Area", "Children", "Places", "Booked", "Waiting", "Not met", "Places per child", "Shortfall"],
        [
            [
                analysis.needs.get(c.need, c.need),
                c.area,
                c.children,
                c.places,
                c.booked,
                c.waiting,
                c.unmet,
                c.places_per_child,
                c.shortfall,
            ]
            for c in analysis.rows
        ],
    )


def budget_table(authority, filters: Filters) -> Table:
    return Table(
        f"Budget {filters.year}-{filters.year + 1}",
        ["Line", "Budget", "Committed", "Spent", "Forecast"],
        [
            [f.label, f.budget, f.committed, f.spent, f.forecast]
            for f in budget_figures(authority=authority, year=filters.year)
        ],
    )


def contracts_table(authority, filters: Filters) -> Table:
    return Table(
        "Contracts",
        ["Reference", "Title", "Kind", "Provider", "Value", "Starts", "Ends", "Status"],
        [
            [
                c.reference,
                c.title,
                c.get_kind_display(),
                c.organisation.name,
                c.value,
                c.starts_on,
                c.ends_on,
                c.get_status_display(),
            ]
            for c in Contract.objects.filter(authority=authority).select_related("organisation")
        ],
    )


def payments_table(authority, filters: Filters) -> Table:
    start, end = filters.span
    return Table(
        f"Payments {filters.year}-{filters.year + 1}",
        ["Paid on", "Contract", "Provider", "Kind", "For", "Amount"],
        [
            [
                p.paid_on,
                p.contract.reference,
                p.contract.organisation.name,
                p.get_kind_display(),
                p.description,
                p.amount,
            ]
            for p in Payment.objects.filter(authority=authority, paid_on__range=(start, end)).select_related(
                "contract__organisation"
            )
        ],
    )


def costs_table(by: str):
    def build(authority, filters: Filters) -> Table:
        from .selectors.analysis import unit_costs

        start, end = filters.span
        return Table(
            f"Cost per hour by {by} {filters.year}-{filters.year + 1}",
            [by.capitalize(), "Places", "Booked", "Utilisation %", "Place-hours", "Paid", "Per hour"],
            [
                [r["name"], r["places"], r["bookings"], r["utilisation"], r["hours"], r["paid"], r["per_hour"]]
                for r in unit_costs(authority, start, end, by)
            ],
        )

    return build


def equality_table(authority, filters: Filters) -> Table:
    from .selectors.analysis import equality_of_access

    start, end = filters.span
    figures = equality_of_access(authority, start, end)
    return Table(
        f"Equality of access {filters.year}-{filters.year + 1}",
        ["Dimension", "Group", "Children", "Had a break", "Uptake %"],
        [
            [dimension, r["group"], r["total"], r["used"], r["rate"]]
            for dimension in ("age", "sex", "ethnicity", "need")
            for r in figures[dimension]
        ],
    )


def trends_table(authority, filters: Filters) -> Table:
    from .selectors.analysis import monthly_bookings

    return Table(
        "Bookings by month",
        ["Month", "Bookings"],
        [[month.strftime("%Y-%m"), n] for month, n in monthly_bookings(authority, 24, timezone.localdate())],
    )


TABLES = {
    "gaps": gaps_table,
    "trends": trends_table,
    "budget": budget_table,
    "contracts": contracts_table,
    "payments": payments_table,
    "costs-kind": costs_table("kind"),
    "costs-provider": costs_table("provider"),
    "equality": equality_table,
}


def as_csv(table: Table) -> bytes:
    return csv_bytes(table.headers, table.rows)


def as_xlsx(table: Table) -> bytes:
    return xlsx_bytes(table.title, table.headers, table.rows)


# The 360Giving package's schema version, as major.minor (the package schema allows no more).
THREESIXTY_VERSION = "1.4"


def _stamp(moment: dt.datetime) -> str:
    """In the council's time, so its date is the day the award date counts in."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def three_sixty_giving(authority) -> dict:
    """The authority's grant agreements (offered or running) as a 360Giving Data Standard 1.4
    grants package, or None when it has none: a package holds at least one grant.

    Recipients and the funder carry org-id identifiers from what they registered
    (directory/identifiers.py); a grant was awarded when the council offered it; its
    dateModified is its last real change, the agreement's own or an approved variation's. Grant
    ids start with the council's 360Giving publisher prefix, THREESIXTY_PREFIX ("360G-" and
    what 360Giving registers for it), or one made from the council's slug until it has one."""
    prefix = getattr(settings, "THREESIXTY_PREFIX", f"360G-{authority.slug}")
    funder = {"id": authority_org_id(authority), "name": authority.name}
    contracts = (
        Contract.objects.filter(
            authority=authority,
            kind=Contract.Kind.GRANT,
            status__in=[Contract.Status.ACTIVE, Contract.Status.OFFERED],
        )
        .select_related("organisation", "opportunity")
        .annotate(varied_at=Max("variations__decided_at", filter=Q(variations__status=Variation.Status.APPROVED)))
        .order_by("offered_at", "reference")
    )
    grants = []
    for contract in contracts:
        organisation = contract.organisation
        recipient = {"id": org_id(organisation), "name": organisation.name}
        for identifier in registered_identifiers(organisation):
            # The number within its register ("100002" for Northern Ireland's NIC100002).
            if identifier.scheme in CHARITY_SCHEMES:
                recipient["charityNumber"] = identifier.identifier
            elif identifier.scheme == COMPANY_SCHEME:
                recipient["companyNumber"] = identifier.identifier
        modified = max(moment for moment in (contract.updated_at, contract.varied_at) if moment)
        grant = {
            "id": f"{prefix}-{contract.reference}",
            "title": contract.title,
            "description": contract.conditions or f"{authority.name}'s grant to {organisation.name}: {contract.title}.",
            "currency": "GBP",
            "amountAwarded": float(contract.value),
            "awardDate": timezone.localtime(contract.offered_at).date().isoformat(),
            "plannedDates": [{"startDate": contract.starts_on.isoformat(), "endDate": contract.ends_on.isoformat()}],
            "recipientOrganization": [recipient],
            "fundingOrganization": [funder],
            "dateModified": _stamp(modified),
        }
        if contract.opportunity:
            grant["grantProgramme"] = [{"code": contract.opportunity.reference, "title": contract.opportunity.title}]
        grants.append(grant)
    if not grants:
        return None
    return {
        "version": THREESIXTY_VERSION,
        "title": f"{authority.name}: grants for short breaks",
        "publisher": {"name": authority.name, "identifier": funder["id"]},
        "license": settings.OPEN_DATA_LICENSE,
        "modified": max(grant["dateModified"] for grant in grants),
        "grants": grants,
    }
