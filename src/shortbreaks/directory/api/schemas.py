"""Open Referral UK 3.0 shapes, as Pydantic schemas so the API's own OpenAPI describes what it
returns. Optional fields are left out when empty (the ORUK schemas allow no nulls)."""

import datetime as dt
from uuid import UUID

from ninja import Schema


class Page(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool


class ApiRoot(Schema):
    version: str
    profile: str
    openapi_url: str


class TaxonomyOut(Schema):
    id: UUID
    name: str
    description: str
    uri: str | None = None
    version: str | None = None


class TaxonomyTermOut(Schema):
    id: UUID
    name: str
    description: str
    code: str | None = None
    parent_id: UUID | None = None
    taxonomy: str | None = None
    taxonomy_id: UUID | None = None
    term: str | None = None


class AttributeOut(Schema):
    id: UUID
    link_id: UUID
    link_type: str
    link_entity: str
    taxonomy_term_id: UUID
    taxonomy_term: TaxonomyTermOut


class OrganizationIdentifierOut(Schema):
    id: UUID
    organization_id: UUID
    identifier_scheme: str
    identifier_type: str
    identifier: str


class OrganizationOut(Schema):
    id: UUID
    name: str
    description: str
    email: str | None = None
    website: str | None = None
    organization_identifiers: list[OrganizationIdentifierOut] | None = None


class ScheduleOut(Schema):
    id: UUID
    service_id: UUID
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    dtstart: dt.date | None = None
    freq: str
    interval: int
    byday: str | None = None
    description: str | None = None
    opens_at: str
    closes_at: str


class ServiceAreaOut(Schema):
    id: UUID
    service_id: UUID
    name: str
    service_area: str
    extent_type: str


class AddressOut(Schema):
    id: UUID
    location_id: UUID
    address_1: str
    city: str
    state_province: str
    postal_code: str
    country: str
    address_type: str


class AccessibilityOut(Schema):
    id: UUID
    location_id: UUID
    description: str


class LocationOut(Schema):
    id: UUID
    location_type: str
    name: str
    description: str | None = None
    latitude: float
    longitude: float
    addresses: list[AddressOut] | None = None
    accessibility: list[AccessibilityOut] | None = None


class ServiceAtLocationInService(Schema):
    id: UUID
    service_id: UUID
    location_id: UUID
    location: LocationOut


class CostOptionOut(Schema):
    id: UUID
    service_id: UUID
    option: str | None = None
    amount: float
    amount_description: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class ContactOut(Schema):
    id: UUID
    service_id: UUID
    name: str
    title: str | None = None


class ServiceSummaryOut(Schema):
    id: UUID
    organization_id: UUID
    name: str
    description: str
    url: str | None = None
    email: str | None = None
    status: str
    fees: str | None = None
    accreditations: str | None = None
    minimum_age: float
    maximum_age: float
    assured_date: dt.date | None = None
    assurer_email: str | None = None
    last_modified: dt.datetime
    organization: OrganizationOut


class ServiceOut(ServiceSummaryOut):
    schedules: list[ScheduleOut]
    service_areas: list[ServiceAreaOut]
    service_at_locations: list[ServiceAtLocationInService]
    cost_options: list[CostOptionOut]
    contacts: list[ContactOut]
    attributes: list[AttributeOut]


class ServiceAtLocationOut(Schema):
    id: UUID
    service_id: UUID
    location_id: UUID
    location: LocationOut
    service: ServiceSummaryOut
    distance: float | None = None


class ServiceAtLocationFullOut(ServiceAtLocationOut):
    """One service at a location. The standard's OpenAPI names compiled/service.json for this
    path, so it also carries the fields a service requires (its service's name and status) and
    validates as both a service at location and a service."""

    name: str
    status: str


class ServicePage(Page):
    contents: list[ServiceSummaryOut]


class ServiceAtLocationPage(Page):
    contents: list[ServiceAtLocationOut]


class TaxonomyPage(Page):
    contents: list[TaxonomyOut]


class TaxonomyTermPage(Page):
    contents: list[TaxonomyTermOut]


class ApiError(Schema):
    error: str
    details: list[dict] | None = None
