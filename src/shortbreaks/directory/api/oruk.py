"""The Open Referral UK 3.0 API at /api/oruk/: public, keyless, read-only, with
Access-Control-Allow-Origin: * (added by OpenCorsMiddleware). Anyone may call it; it serves only
the request authority's approved, published services. Bad parameters get a 400 with a JSON
error that says which parameter and why."""

import datetime as dt
import math
import uuid

from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError

from shortbreaks.core.postcodes import KM_PER_DEGREE_LATITUDE, PostcodeError, locate

from ..models import ServiceAtLocation, Taxonomy, TaxonomyTerm
from ..selectors.search import ServiceQuery, distance_squared, filter_services, public_services
from ..selectors.services import with_details
from . import schemas, serialise

PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
MAX_PER_PAGE = 200
DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}


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
    details = [{"parameter": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
               for e in exc.errors]
    names = ", ".join(d["parameter"] for d in details) or "request"
    return api.create_response(
        request, {"error": f"Invalid parameter: {names}", "details": details}, status=400
    )


class ListParams(Schema):
    page: str | None = None
    per_page: str | None = None


class ServiceParams(ListParams):
    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    minimum_age: str | None = None
    maximum_age: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    day: str | None = None
    organization_id: str | None = None


class ServiceAtLocationParams(ServiceParams):
    postcode: str | None = None
    proximity: str | None = None


def _int(name: str, raw: str | None, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise BadParameter(name, f"must be between {low} and {high}")
    return value


def _number(name: str, raw: str | None) -> float | None:
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadParameter(name, f"must be a number, not {raw!r}") from None
    if not math.isfinite(value) or value < 0:
        raise BadParameter(name, "must be a number of zero or more")
    return value


def _uuid(name: str, raw: str | None) -> str:
    if raw in (None, ""):
        return ""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadParameter(name, f"must be a UUID, not {raw!r}") from None


def _time(name: str, raw: str | None) -> dt.time | None:
    if raw in (None, ""):
        return None
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, f"must be a time like 09:30 or 09:30:00, not {raw!r}") from None


def _days(raw: str | None) -> list[str]:
    if raw in (None, ""):
        return []
    days = [d.strip().upper()[:2] for d in raw.split(",") if d.strip()]
    unknown = [d for d in days if d not in DAYS]
    if unknown:
        raise BadParameter("day", "must be day codes MO, TU, WE, TH, FR, SA or SU, comma separated")
    return days


def _query(params: ServiceParams) -> ServiceQuery:
    term_id = _uuid("taxonomy_term_id", params.taxonomy_term_id)
    return ServiceQuery(
        text=(params.search or "").strip()[:200],
        taxonomy_term_ids=[term_id] if term_id else [],
        taxonomy_id=_uuid("taxonomy_id", params.taxonomy_id),
        minimum_age_at_least=_number("minimum_age", params.minimum_age),
        maximum_age_at_most=_number("maximum_age", params.maximum_age),
        opens_at_or_after=_time("start_time", params.start_time),
        closes_at_or_before=_time("end_time", params.end_time),
        days=_days(params.day),
        organisation_id=_uuid("organization_id", params.organization_id),
    )


def _page(items, params: ListParams, total: int | None = None) -> tuple[list, dict]:
    """Slices a queryset or list into the ORUK paging envelope."""
    page = _int("page", params.page, 1, 1, 1_000_000)
    per_page = _int("per_page", params.per_page, 50, 1, MAX_PER_PAGE)
    total = items.count() if total is None else total
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    contents = list(items[start:start + per_page]) if start < total else []
    envelope = {
        "total_items": total, "total_pages": total_pages, "page_number": page,
        "size": len(contents), "first_page": page == 1, "last_page": page >= total_pages,
        "empty": total == 0,
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
    return {"version": "3.0", "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("oruk:openapi-json"))}


@api.get("/services", response=schemas.ServicePage, exclude_none=True, summary="Search services")
def list_services(request: HttpRequest, params: Query[ServiceParams]):
    query = _query(params)
    services = filter_services(public_services(authority=request.authority), query)
    services = services.select_related("organisation").order_by("name", "pk")
    contents, envelope = _page(services, params)
    return {**envelope, "contents": [serialise.service_summary(s) for s in contents]}


@api.get("/services/{service_id}", response={200: schemas.ServiceOut, 404: schemas.ApiError},
         exclude_none=True, summary="One service, fully nested")
def get_service(request: HttpRequest, service_id: str):
    service = _by_id(with_details(public_services(authority=request.authority)), service_id)
    if service is None:
        return 404, {"error": f"No service with id {service_id!r}"}
    return serialise.service_full(service, _taxonomies())


@api.get("/service_at_locations", response=schemas.ServiceAtLocationPage, exclude_none=True,
         summary="Services at locations, optionally near a postcode")
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
        proximity_m = _number("proximity", params.proximity)
        if proximity_m is not None:
            rows = rows.filter(d2__lte=(proximity_m / 1000 / KM_PER_DEGREE_LATITUDE) ** 2)
        rows = rows.order_by("d2", "pk")
    elif params.proximity:
        raise BadParameter("proximity", "needs a postcode to measure from")
    else:
        rows = rows.order_by("service__name", "pk")
    contents, envelope = _page(rows, params)
    return {**envelope, "contents": [
        serialise.service_at_location(
            sal, math.sqrt(sal.d2) * KM_PER_DEGREE_LATITUDE * 1000 if place else None
        ) for sal in contents
    ]}


@api.get("/service_at_locations/{sal_id}", response={200: schemas.ServiceAtLocationOut, 404: schemas.ApiError},
         exclude_none=True, summary="One service at a location")
def get_service_at_location(request: HttpRequest, sal_id: str):
    sal = _by_id(ServiceAtLocation.objects.filter(
        service__in=public_services(authority=request.authority).values("pk")
    ).select_related("location", "service__organisation"), sal_id)
    if sal is None:
        return 404, {"error": f"No service at location with id {sal_id!r}"}
    return serialise.service_at_location(sal)


@api.get("/taxonomies", response=schemas.TaxonomyPage, exclude_none=True, summary="Taxonomies")
def list_taxonomies(request: HttpRequest, params: Query[ListParams]):
    contents, envelope = _page(Taxonomy.objects.order_by("name"), params)
    return {**envelope, "contents": [serialise.taxonomy(t) for t in contents]}


@api.get("/taxonomies/{taxonomy_id}", response={200: schemas.TaxonomyOut, 404: schemas.ApiError},
         exclude_none=True, summary="One taxonomy")
def get_taxonomy(request: HttpRequest, taxonomy_id: str):
    taxonomy = _by_id(Taxonomy.objects.all(), taxonomy_id)
    if taxonomy is None:
        return 404, {"error": f"No taxonomy with id {taxonomy_id!r}"}
    return serialise.taxonomy(taxonomy)


@api.get("/taxonomy_terms", response=schemas.TaxonomyTermPage, exclude_none=True,
         summary="Taxonomy terms")
def list_taxonomy_terms(request: HttpRequest, params: Query[ListParams]):
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__code", "position", "name")
    contents, envelope = _page(terms, params)
    return {**envelope, "contents": [serialise.taxonomy_term(t) for t in contents]}


@api.get("/taxonomy_terms/{term_id}", response={200: schemas.TaxonomyTermOut, 404: schemas.ApiError},
         exclude_none=True, summary="One taxonomy term")
def get_taxonomy_term(request: HttpRequest, term_id: str):
    term = _by_id(TaxonomyTerm.objects.select_related("taxonomy"), term_id)
    if term is None:
        return 404, {"error": f"No taxonomy term with id {term_id!r}"}
    return serialise.taxonomy_term(term)
