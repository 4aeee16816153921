"""A whole service or organisation as plain JSON: what a provider proposes, what approval
applies, and what history shows and restores."""

import datetime as dt
from decimal import Decimal

from shortbreaks.core.postcodes import district_of

from ..models import (
    Contact,
    CostOption,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

SERVICE_FIELDS = [
    "name",
    "description",
    "status",
    "url",
    "email",
    "phone",
    "minimum_age",
    "maximum_age",
    "capacity",
    "is_free",
    "fees",
    "registration",
    "registration_number",
    "accreditations",
    "send_support",
    "staff_training",
    "accessibility",
    "how_to_contact",
]
ORGANISATION_FIELDS = [
    "name",
    "description",
    "kind",
    "email",
    "phone",
    "website",
    "charity_number",
    "company_number",
    "ppon",
    "ofsted_urn",
    "cqc_location_id",
    "address_line",
    "town",
    "postcode",
    "contact_name",
    "is_small",
]

# How each part of a snapshot is named on the side-by-side comparison.
SERVICE_LABELS = {
    "name": "Name",
    "description": "Description",
    "status": "Status",
    "url": "Website",
    "email": "Email",
    "phone": "Telephone",
    "minimum_age": "Youngest age",
    "maximum_age": "Oldest age",
    "capacity": "Places at a time",
    "is_free": "Free",
    "fees": "Fees",
    "registration": "Registered with",
    "registration_number": "Registration number",
    "accreditations": "Accreditations",
    "send_support": "How it supports children with SEND",
    "staff_training": "Staff training",
    "accessibility": "Accessibility",
    "how_to_contact": "How to get in touch",
    "needs": "Needs supported",
    "break_kinds": "Kinds of break",
    "areas": "Postcode areas served",
    "locations": "Locations",
    "schedules": "When it runs",
    "costs": "Costs",
    "contacts": "Contacts",
}
ORGANISATION_LABELS = {
    "name": "Name",
    "description": "Description",
    "kind": "Kind of organisation",
    "email": "Email",
    "phone": "Telephone",
    "website": "Website",
    "charity_number": "Charity number",
    "company_number": "Company number",
    "ppon": "PPON",
    "ofsted_urn": "Ofsted URN",
    "cqc_location_id": "CQC location ID",
    "address_line": "Address",
    "town": "Town or city",
    "postcode": "Postcode",
    "contact_name": "Main contact",
    "is_small": "Small provider",
}


def _time(value) -> str:
    return value.strftime("%H:%M") if isinstance(value, dt.time) else str(value)


def service_snapshot(service: Service) -> dict:
    data = {name: getattr(service, name) for name in SERVICE_FIELDS}
    data.update(
        {
            "needs": sorted(t.code for t in service.needs.all()),
            "break_kinds": sorted(t.code for t in service.break_kinds.all()),
            "areas": sorted(a.district for a in service.service_areas.all()),
            "locations": sorted(str(sal.location_id) for sal in service.service_at_locations.all()),
            "schedules": [
                {
                    "freq": s.freq,
                    "interval": s.interval,
                    "byday": s.byday,
                    "opens_at": _time(s.opens_at),
                    "closes_at": _time(s.closes_at),
                    "description": s.description,
                }
                for s in service.schedules.all()
            ],
            "costs": [
                {"option": c.option, "amount": str(c.amount), "amount_description": c.amount_description}
                for c in service.cost_options.all()
            ],
            "contacts": [
                {"name": c.name, "title": c.title, "email": c.email, "phone": c.phone} for c in service.contacts.all()
            ],
        }
    )
    return data


def organisation_snapshot(organisation: Organisation) -> dict:
    return {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}


def organisation_matches(organisation: Organisation, snapshot: dict) -> bool:
    """Whether the live organisation is still as the snapshot has it, in every part the snapshot
    holds (one taken before the address and registration numbers were kept lacks them)."""
    current = organisation_snapshot(organisation)
    return all(current.get(name) == value for name, value in snapshot.items())


def service_apply_snapshot(*, service: Service, snapshot: dict) -> None:
    """Make the live service match the snapshot. Runs inside the caller's transaction."""
    for name in SERVICE_FIELDS:
        setattr(service, name, snapshot[name])
    service.full_clean(exclude=["organisation", "authority"])
    service.save()
    terms = TaxonomyTerm.objects.select_related("taxonomy")
    service.needs.set(terms.filter(taxonomy__code="needs", code__in=snapshot["needs"]))
    service.break_kinds.set(terms.filter(taxonomy__code="break-kinds", code__in=snapshot["break_kinds"]))

    service.service_areas.exclude(district__in=snapshot["areas"]).delete()
    have = set(service.service_areas.values_list("district", flat=True))
    ServiceArea.objects.bulk_create(
        [ServiceArea(service=service, district=d) for d in snapshot["areas"] if d not in have]
    )

    locations = Location.objects.filter(organisation=service.organisation, pk__in=snapshot["locations"])
    service.service_at_locations.exclude(location__in=locations).delete()
    linked = set(service.service_at_locations.values_list("location_id", flat=True))
    ServiceAtLocation.objects.bulk_create(
        [ServiceAtLocation(service=service, location=loc) for loc in locations if loc.pk not in linked]
    )

    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        [
            Schedule(
                service=service,
                freq=s["freq"],
                interval=s["interval"],
                byday=s["byday"],
                opens_at=dt.time.fromisoformat(s["opens_at"]),
                closes_at=dt.time.fromisoformat(s["closes_at"]),
                description=s.get("description", ""),
            )
            for s in snapshot["schedules"]
        ]
    )
    service.cost_options.all().delete()
    CostOption.objects.bulk_create(
        [
            CostOption(
                service=service,
                option=c["option"],
                amount=Decimal(c["amount"]),
                amount_description=c["amount_description"],
            )
            for c in snapshot["costs"]
        ]
    )
    service.contacts.all().delete()
    Contact.objects.bulk_create([Contact(service=service, **c) for c in snapshot["contacts"]])


def organisation_apply_snapshot(*, organisation: Organisation, snapshot: dict) -> None:
    for name in ORGANISATION_FIELDS:
        # An older snapshot lacks the parts added since: those stay as they are.
        setattr(organisation, name, snapshot.get(name, getattr(organisation, name)))
    organisation.full_clean(exclude=["authority"])
    organisation.save()


def describe(key: str, value, names: dict) -> str:
    """A snapshot value as a commissioner reads it on the comparison page."""
    if value in (None, "", []):
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key in ("needs", "break_kinds"):
        return ", ".join(names.get(code, code) for code in value)
    if key == "locations":
        return "; ".join(names.get(v, v) for v in value)
    if key == "areas":
        return ", ".join(value)
    if key == "schedules":
        return "; ".join(
            f"{s['byday']} {s['opens_at']} to {s['closes_at']}"
            + (f" every {s['interval']} weeks" if s["interval"] > 1 else "")
            for s in value
        )
    if key == "costs":
        return "; ".join(f"£{c['amount']} {c['amount_description']}".strip() for c in value)
    if key == "contacts":
        return "; ".join(", ".join(p for p in (c["name"], c["title"], c["email"], c["phone"]) if p) for c in value)
    return str(value)


def comparison(*, before: dict, after: dict, labels: dict) -> list[dict]:
    """Rows for the side-by-side view: every field, with the changed ones marked."""
    names = {t.code: t.name for t in TaxonomyTerm.objects.all()}
    location_ids = set(before.get("locations", [])) | set(after.get("locations", []))
    if location_ids:
        names.update(
            {str(loc.pk): f"{loc.name}, {loc.postcode}" for loc in Location.objects.filter(pk__in=location_ids)}
        )
    return [
        {
            "label": label,
            "before": describe(key, before.get(key), names) if before else "New",
            "after": describe(key, after.get(key), names),
            "changed": (before.get(key) if before else None) != after.get(key),
        }
        for key, label in labels.items()
    ]


def areas_from_text(text: str) -> list[str]:
    """'DE1, de22 ' -> ['DE1', 'DE22']; raises PostcodeError for anything not a district."""
    districts = {district_of(part) for part in text.replace(";", ",").split(",") if part.strip()}
    return sorted(districts)
