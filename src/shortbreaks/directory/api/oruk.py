"""The Open Referral UK 3.0 API at /api/oruk/: public, keyless, read-only, with
Access-Control-Allow-Origin: * (added by OpenCorsMiddleware). Anyone may call it; it serves only
the request authority's approved, published services. Bad parameters get a 400 with a JSON
error that says which parameter and why."""

import datetime as dt
import math
import uuid
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import field_validator, model_validator

from shortbreaks.core.postcodes import KM_PER_DEGREE_LATITUDE, PostcodeError, locate

from ..models import ServiceAtLocation, Taxonomy, TaxonomyTerm
from ..selectors.search import ServiceQuery, distance_squared, filter_services, public_services
from ..selectors.services import with_details
from . import schemas, serialise

PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
MAX_PER_PAGE = 200


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


api = NinjaAPI(
    title="Open Referral UK 3.0: short breaks directory",
    version="3.0",
    description="The council's directory of short breaks for disabled children, as Open "
    "Referral UK 3.0 (HSDS 3.0 with the UK profile). Public and keyless.",
    urls_namespace="oruk",
    docs_url=None,
    openapi_url="/openapi.json",
)


@api.exception_handler(BadParameter)
def bad_parameter(request, exc: BadParameter):
    return api.create_response(request, {"error": f"{exc.parameter}: {exc.message}"}, status=400)


@api.exception_handler(NinjaValidationError)
def invalid_request(request, exc: NinjaValidationError):
    """Ninja's validation errors as our 400: which parameter, and why."""
    details = [{"parameter": str(e.get("loc", ["", "request"])[-1]), "message": e.get("msg", "")} for e in exc.errors]
    error = "; ".join(f"{d['parameter']}: {d['message']}" for d in details) or "Invalid request"
    return api.create_response(request, {"error": error, "details": details}, status=400)


DAY_PATTERN = r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$"
# A full postcode, a sector ("DE1 3") or a district ("DE1"); whether it exists is checked later.
POSTCODE_PATTERN = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?([0-9]([A-Za-z]{2})?)?$"


class ListParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE, description="Results a page, at most 200.")

    @model_validator(mode="before")
    @classmethod
    def _empty_means_unset(cls, data):
        """A form sends every field, the blank ones as `name=`: a blank parameter is no filter."""
        raw = getattr(data, "_obj", data)  # ninja hands its schemas a wrapper round the dict
        if isinstance(raw, dict):
            return {k: v for k, v in raw.items() if not (isinstance(v, str) and not v.strip())}
        return data


class ServiceParams(ListParams):
    # No NUL characters: PostgreSQL text cannot hold them, so they are a 400, never a 500.
    search: str | None = Field(
        None, max_length=200, pattern=r"^[^\x00]*$", description="Words to find in names and descriptions."
    )
    taxonomy_term_id: UUID | None = None
    taxonomy_id: UUID | None = None
    minimum_age: float | None = Field(None, ge=0, le=150, description="Services whose minimum age is at least this.")
    maximum_age: float | None = Field(None, ge=0, le=150, description="Services whose maximum age is at most this.")
    start_time: dt.time | None = Field(None, description="Services that open at or after this time.")
    end_time: dt.time | None = Field(None, description="Services that close at or before this time.")
    day: str | None = Field(None, pattern=DAY_PATTERN, description="Day codes, e.g. SA or SA,SU, in any case.")
    organization_id: UUID | None = None

    @field_validator("day", mode="before")
    @classmethod
    def _day_in_any_case(cls, value):
        return value.strip().upper() if isinstance(value, str) else value


class ServiceAtLocationParams(ServiceParams):
    postcode: str | None = Field(None, pattern=POSTCODE_PATTERN, description="A UK postcode, sector or district.")
    proximity: float | None = Field(None, gt=0, le=1_000_000, description="Metres from the postcode's centre.")


def _query(params: ServiceParams) -> ServiceQuery:
    return ServiceQuery(
        text=(params.search or "").strip(),
        taxonomy_term_ids=[str(params.taxonomy_term_id)] if params.taxonomy_term_id else [],
        taxonomy_id=str(params.taxonomy_id or ""),
        minimum_age_at_least=params.minimum_age,
        maximum_age_at_most=params.maximum_age,
        # Schedules are local clock times; an offset on the parameter is ignored.
        opens_at_or_after=params.start_time.replace(tzinfo=None) if params.start_time else None,
        closes_at_or_before=params.end_time.replace(tzinfo=None) if params.end_time else None,
        days=params.day.split(",") if params.day else [],
        organisation_id=str(params.organization_id or ""),
    )


def _page(items, params: ListParams) -> tuple[list, dict]:
    """Slices a queryset into the ORUK paging envelope."""
    total = items.count()
    total_pages = max(1, math.ceil(total / params.per_page))
    start = (params.page - 1) * params.per_page
    contents = list(items[start : start + params.per_page]) if start < total else []
    envelope = {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": params.page,
        "size": len(contents),
        "first_page": params.page == 1,
        "last_page": params.page >= total_pages,
        "empty": not contents,  # no results, or a page past the last
    }
    return contents, envelope


def _by_id(queryset, raw_id: str):
    """The record with this id, or None for an unknown or malformed id (both are a 404)."""
    try:
        return queryset.filter(pk=uuid.UUID(raw_id)).first()
    except ValueError:
        return None


def _taxonomies() -> dict:
    return {t.id: t for t in Taxonomy.objects.all()}


@api.get("/", response=schemas.ApiRoot, summary="API version and profile")
def api_root(request: HttpRequest):
    return {
        "version": "3.0",
        "profile": PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("oruk:openapi-json")),
    }


@api.get(
    "/services",
    response={200: schemas.ServicePage, 400: schemas.ApiError},
    exclude_none=True,
    summary="Search services",
)
def list_services(request: HttpRequest, params: Query[ServiceParams]):
    query = _query(params)
    services = filter_services(public_services(authority=request.authority), query)
    services = services.select_related("organisation").order_by("name", "pk")
    contents, envelope = _page(services, params)
    return {**envelope, "contents": [serialise.service_summary(s) for s in contents]}


@api.get(
    "/services/{service_id}",
    response={200: schemas.ServiceOut, 404: schemas.ApiError},
    exclude_none=True,
    summary="One service, fully nested",
)
def get_service(request: HttpRequest, service_id: str):
    service = _by_id(with_details(public_services(authority=request.authority)), service_id)
    if service is None:
        return 404, {"error": f"No service with id {service_id!r}"}
    return serialise.service_full(service, _taxonomies())


@api.get(
    "/service_at_locations",
    response={200: schemas.ServiceAtLocationPage, 400: schemas.ApiError},
    exclude_none=True,
    summary="Services at locations, optionally near a postcode",
)
def list_service_at_locations(request: HttpRequest, params: Query[ServiceAtLocationParams]):
    query = _query(params)
    services = filter_services(public_services(authority=request.authority), query)
    rows = ServiceAtLocation.objects.filter(service__in=services.values("pk")).select_related(
        "location", "service__organisation"
    )
    place = None
    if params.postcode:
        try:
            place = locate(params.postcode)
        except PostcodeError as error:
            raise BadParameter("postcode", str(error)) from None
        rows = rows.annotate(d2=distance_squared(place, "location__latitude", "location__longitude"))
        if params.proximity is not None:
            rows = rows.filter(d2__lte=(params.proximity / 1000 / KM_PER_DEGREE_LATITUDE) ** 2)
        rows = rows.order_by("d2", "pk")
    elif params.proximity is not None:
        raise BadParameter("proximity", "needs a postcode to measure from")
    else:
        rows = rows.order_by("service__name", "pk")
    contents, envelope = _page(rows, params)
    return {
        **envelope,
        "contents": [
            serialise.service_at_location(sal, math.sqrt(sal.d2) * KM_PER_DEGREE_LATITUDE * 1000 if place else None)
            for sal in contents
        ],
    }


@api.get(
    "/service_at_locations/{sal_id}",
    response={200: schemas.ServiceAtLocationFullOut, 404: schemas.ApiError},
    exclude_none=True,
    summary="One service at a location (valid as a service too)",
)
def get_service_at_location(request: HttpRequest, sal_id: str):
    sal = _by_id(
        ServiceAtLocation.objects.filter(
            service__in=public_services(authority=request.authority).values("pk")
        ).select_related("location", "service__organisation"),
        sal_id,
    )
    if sal is None:
        return 404, {"error": f"No service at location with id {sal_id!r}"}
    return serialise.service_at_location_full(sal)


@api.get(
    "/taxonomies", response={200: schemas.TaxonomyPage, 400: schemas.ApiError}, exclude_none=True, summary="Taxonomies"
)
def list_taxonomies(request: HttpRequest, params: Query[ListParams]):
    contents, envelope = _page(Taxonomy.objects.order_by("name"), params)
    return {**envelope, "contents": [serialise.taxonomy(t) for t in contents]}


@api.get(
    "/taxonomies/{taxonomy_id}",
    response={200: schemas.TaxonomyOut, 404: schemas.ApiError},
    exclude_none=True,
    summary="One taxonomy",
)
def get_taxonomy(request: HttpRequest, taxonomy_id: str):
    taxonomy = _by_id(Taxonomy.objects.all(), taxonomy_id)
    if taxonomy is None:
        return 404, {"error": f"No taxonomy with id {taxonomy_id!r}"}
    return serialise.taxonomy(taxonomy)


@api.get(
    "/taxonomy_terms",
    response={200: schemas.TaxonomyTermPage, 400: schemas.ApiError},
    exclude_none=True,
    summary="Taxonomy terms",
)
def list_taxonomy_terms(request: HttpRequest, params: Query[ListParams]):
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__code", "position", "name")
    contents, envelope = _page(terms, params)
    return {**envelope, "contents": [serialise.taxonomy_term(t) for t in contents]}


@api.get(
    "/taxonomy_terms/{term_id}",
    response={200: schemas.TaxonomyTermOut, 404: schemas.ApiError},
    exclude_none=True,
    summary="One taxonomy term",
)
def get_taxonomy_term(request: HttpRequest, term_id: str):
    term = _by_id(TaxonomyTerm.objects.select_related("taxonomy"), term_id)
    if term is None:
        return 404, {"error": f"No taxonomy term with id {term_id!r}"}
    return serialise.taxonomy_term(term)
