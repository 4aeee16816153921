"""Directory records as Open Referral UK 3.0 objects."""

import uuid

from ..identifiers import registered_identifiers
from ..models import Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

# Attribute rows need stable UUIDs; the link table has integer keys, so derive them.
_ATTRIBUTE_NAMESPACE = uuid.UUID("8a0c3f6e-6a41-4f0e-9f6d-2b1d7f3c5a10")


def _clean(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "")}


def taxonomy(t: Taxonomy) -> dict:
    return _clean(
        {"id": t.id, "name": t.name, "description": t.description or t.name, "uri": t.uri, "version": t.version}
    )


def taxonomy_term(term: TaxonomyTerm, taxonomy_obj: Taxonomy | None = None) -> dict:
    tax = taxonomy_obj or term.taxonomy
    return _clean(
        {
            "id": term.id,
            "name": term.name,
            "description": term.description or term.name,
            "code": term.code,
            "parent_id": term.parent_id,
            "taxonomy": tax.name,
            "taxonomy_id": tax.id,
            "term": term.name,
        }
    )


def organisation(service: Service) -> dict:
    org = service.organisation
    identifiers = [
        {
            "id": uuid.uuid5(org.id, found.scheme),
            "organization_id": org.id,
            "identifier_scheme": found.scheme,
            "identifier_type": found.label,
            "identifier": found.identifier,
        }
        for found in registered_identifiers(org)
    ]
    return _clean(
        {
            "id": org.id,
            "name": org.name,
            "description": org.description,
            "email": org.email,
            "website": org.website,
            "organization_identifiers": identifiers or None,
        }
    )


def service_summary(service: Service) -> dict:
    fees = "Free" if service.is_free else service.fees
    return _clean(
        {
            "id": service.id,
            "organization_id": service.organisation_id,
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees": fees,
            "accreditations": service.accreditations,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.assured_on,
            "assurer_email": service.assurer_email,
            "last_modified": service.updated_at,
            "organization": organisation(service),
        }
    )


def location(loc: Location) -> dict:
    return _clean(
        {
            "id": loc.id,
            "location_type": "physical",
            "name": loc.name,
            "description": loc.description,
            "latitude": loc.latitude,
            "longitude": loc.longitude,
            "addresses": [
                {
                    "id": uuid.uuid5(loc.id, "address"),
                    "location_id": loc.id,
                    "address_1": ", ".join(p for p in (loc.address_1, loc.address_2) if p),
                    "city": loc.city,
                    "state_province": loc.county or loc.city,
                    "postal_code": loc.postcode,
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
            "accessibility": [
                {"id": uuid.uuid5(loc.id, "accessibility"), "location_id": loc.id, "description": loc.accessibility}
            ]
            if loc.accessibility
            else None,
        }
    )


def _attributes(service: Service, taxonomies: dict) -> list[dict]:
    attributes = []
    for link_type, terms in (("need_supported", service.needs.all()), ("kind_of_break", service.break_kinds.all())):
        for term in terms:
            attributes.append(
                {
                    "id": uuid.uuid5(_ATTRIBUTE_NAMESPACE, f"{service.id}:{term.id}"),
                    "link_id": service.id,
                    "link_type": link_type,
                    "link_entity": "service",
                    "taxonomy_term_id": term.id,
                    "taxonomy_term": taxonomy_term(term, taxonomies.get(term.taxonomy_id)),
                }
            )
    return attributes


def service_full(service: Service, taxonomies: dict) -> dict:
    data = service_summary(service)
    data.update(
        {
            "schedules": [
                _clean(
                    {
                        "id": s.id,
                        "service_id": service.id,
                        "valid_from": s.valid_from,
                        "valid_to": s.valid_to,
                        "dtstart": s.dtstart,
                        "freq": s.freq,
                        "interval": s.interval,
                        "byday": s.byday,
                        "description": s.description,
                        "opens_at": s.opens_at.strftime("%H:%M:%S"),
                        "closes_at": s.closes_at.strftime("%H:%M:%S"),
                    }
                )
                for s in service.schedules.all()
            ],
            "service_areas": [
                {
                    "id": a.id,
                    "service_id": service.id,
                    "name": a.district,
                    "service_area": f"Postcode district {a.district}",
                    "extent_type": "text",
                }
                for a in service.service_areas.all()
            ],
            "service_at_locations": [
                {
                    "id": sal.id,
                    "service_id": service.id,
                    "location_id": sal.location_id,
                    "location": location(sal.location),
                }
                for sal in service.service_at_locations.all()
            ],
            "cost_options": [
                _clean(
                    {
                        "id": c.id,
                        "service_id": service.id,
                        "option": c.option,
                        "amount": float(c.amount),
                        "amount_description": c.amount_description,
                        "valid_from": c.valid_from,
                        "valid_to": c.valid_to,
                    }
                )
                for c in service.cost_options.all()
            ],
            "contacts": [
                _clean({"id": c.id, "service_id": service.id, "name": c.name, "title": c.title})
                for c in service.contacts.all()
            ],
            "attributes": _attributes(service, taxonomies),
        }
    )
    return data


def service_at_location(sal: ServiceAtLocation, distance_m: float | None = None) -> dict:
    return _clean(
        {
            "id": sal.id,
            "service_id": sal.service_id,
            "location_id": sal.location_id,
            "location": location(sal.location),
            "service": service_summary(sal.service),
            "distance": round(distance_m) if distance_m is not None else None,
        }
    )


def service_at_location_full(sal: ServiceAtLocation) -> dict:
    """One service at a location, as `GET /service_at_locations/{id}` serves it: the standard's
    OpenAPI names compiled/service.json for that path, and compiled/service_at_location.json
    describes what the path names, so it carries its service's name and status (all a service
    requires besides the id) at the top level too and passes both."""
    return {**service_at_location(sal), "name": sal.service.name, "status": sal.service.status}
