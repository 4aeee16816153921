"""The public search over services: filters run in the database, then the matches are ranked
by relevance and distance (see docs/architecture.md, Search). Distance is an equirectangular
approximation in plain arithmetic, so no database extension is needed."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import KM_PER_DEGREE_LATITUDE, Place, longitude_scale

from ..models import Schedule, Service, ServiceArea, ServiceAtLocation, Taxonomy
from ..reference import term_id
from .freshness import checked_since

# Families see services that run now, or are only paused; never inactive or defunct ones.
PUBLIC_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)

DAYS = [
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
]

# Parts of the day a parent can ask for, as [start, end) clock times.
TIMES_OF_DAY = {
    "morning": ("Morning (before 12pm)", dt.time(0, 0), dt.time(12, 0)),
    "afternoon": ("Afternoon (12pm to 5pm)", dt.time(12, 0), dt.time(17, 0)),
    "evening": ("Evening (after 5pm)", dt.time(17, 0), dt.time(23, 59, 59)),
}


@dataclass
class ServiceQuery:
    text: str = ""
    needs: list[str] = field(default_factory=list)  # need codes: a service must support all
    kinds: list[str] = field(default_factory=list)  # kind-of-break codes: any of them
    age: int | None = None  # the child's age: the service's range must include it
    days: list[str] = field(default_factory=list)  # RFC 5545 day codes: any of them
    time_of_day: str = ""
    cost: str = ""  # "", "free" or "paid"
    place: Place | None = None
    radius_km: float | None = None
    sort: str = "relevance"  # "relevance", "distance" or "name"
    # Open Referral UK filters.
    taxonomy_term_ids: list[str] = field(default_factory=list)
    taxonomy_id: str = ""
    minimum_age_at_least: float | None = None
    maximum_age_at_most: float | None = None
    opens_at_or_after: dt.time | None = None
    closes_at_or_before: dt.time | None = None
    organisation_id: str = ""


def public_services(*, authority: Authority) -> QuerySet[Service]:
    return Service.objects.filter(
        authority=authority,
        is_published=True,
        organisation__is_published=True,
        status__in=PUBLIC_STATUSES,
    )


def _term_exists(relation: str, **through_lookups) -> Exists:
    """Whether the service has a matching term in `needs` or `break_kinds` (looked up on the
    link table, whose (service, term) index answers it)."""
    through = getattr(Service, relation).through
    return Exists(through.objects.filter(service_id=OuterRef("pk"), **through_lookups))


def _schedule_filter(query: ServiceQuery) -> Q | None:
    conditions = Q()
    used = False
    if query.days:
        day_q = Q()
        for day in query.days:
            day_q |= Q(byday__contains=day)
        conditions &= day_q
        used = True
    if query.time_of_day in TIMES_OF_DAY:
        _, start, end = TIMES_OF_DAY[query.time_of_day]
        # A schedule that closes at or before it opens runs overnight, into the next morning.
        overnight = Q(closes_at__lte=F("opens_at"))
        conditions &= (
            Q(opens_at__lt=end, closes_at__gt=start)
            | (overnight & Q(opens_at__lt=end))
            | (overnight & Q(closes_at__gt=start))
        )
        used = True
    if query.opens_at_or_after is not None:
        conditions &= Q(opens_at__gte=query.opens_at_or_after)
        used = True
    if query.closes_at_or_before is not None:
        conditions &= Q(closes_at__lte=query.closes_at_or_before)
        used = True
    return conditions if used else None


def distance_squared(place: Place, lat_field: str, lon_field: str) -> ExpressionWrapper:
    """Squared distance in degrees of latitude: cheap, monotonic in real distance."""
    scale = longitude_scale(place.latitude)
    dx = (F(lon_field) - Value(place.longitude)) * Value(scale)
    dy = F(lat_field) - Value(place.latitude)
    return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())


def filter_services(services: QuerySet[Service], query: ServiceQuery) -> QuerySet[Service]:
    # Parents type what a break is for ("autism", "overnight") as often as what it is called,
    # so each word may also match the name of a need or a kind of break the service offers.
    for word in query.text.split()[:8]:
        services = services.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(send_support__icontains=word)
            | _term_exists("needs", taxonomyterm__name__icontains=word)
            | _term_exists("break_kinds", taxonomyterm__name__icontains=word)
        )
    # Reference terms have fixed ids (uuid5 of their codes), so no join to the term table.
    for code in query.needs:
        services = services.filter(_term_exists("needs", taxonomyterm_id=term_id(Taxonomy.NEEDS, code)))
    if query.kinds:
        services = services.filter(
            _term_exists(
                "break_kinds", taxonomyterm_id__in=[term_id(Taxonomy.BREAK_KINDS, code) for code in query.kinds]
            )
        )
    for wanted in query.taxonomy_term_ids:
        services = services.filter(
            _term_exists("needs", taxonomyterm_id=wanted) | _term_exists("break_kinds", taxonomyterm_id=wanted)
        )
    if query.taxonomy_id:
        services = services.filter(
            _term_exists("needs", taxonomyterm__taxonomy_id=query.taxonomy_id)
            | _term_exists("break_kinds", taxonomyterm__taxonomy_id=query.taxonomy_id)
        )
    if query.age is not None:
        services = services.filter(minimum_age__lte=query.age, maximum_age__gte=query.age)
    if query.minimum_age_at_least is not None:
        services = services.filter(minimum_age__gte=query.minimum_age_at_least)
    if query.maximum_age_at_most is not None:
        services = services.filter(maximum_age__lte=query.maximum_age_at_most)
    if query.cost == "free":
        services = services.filter(is_free=True)
    elif query.cost == "paid":
        services = services.filter(is_free=False)
    if query.organisation_id:
        services = services.filter(organisation_id=query.organisation_id)
    schedule_q = _schedule_filter(query)
    if schedule_q is not None:
        services = services.filter(Exists(Schedule.objects.filter(schedule_q, service_id=OuterRef("pk"))))
    return services


@dataclass(slots=True)
class RankedService:
    """One search hit before its record is loaded: enough to count, order and page."""

    pk: object
    relevance: int = 0
    distance_km: float | None = None
    comes_to_you: bool = False
    out_of_date: bool = False  # not confirmed within the listing policy's days (freshness.py)


def _relevance(text: str):
    relevance = Value(0, output_field=IntegerField())
    for word in text.split()[:8]:
        relevance = (
            relevance
            + Case(When(name__icontains=word, then=Value(5)), default=Value(0))
            + Case(When(organisation__name__icontains=word, then=Value(2)), default=Value(0))
            + Case(When(description__icontains=word, then=Value(1)), default=Value(0))
        )
    return relevance


def ranked_services(*, authority: Authority, query: ServiceQuery, today: dt.date | None = None) -> list[RankedService]:
    """Every match in order, as ids, relevance and distance only: these few columns serve the
    count, the ordering and the paging, and only the page shown is then loaded in full.
    Distances are worked out here from the locations' coordinates (a county has a few
    thousand services at most), so both databases rank identically."""
    services = filter_services(public_services(authority=authority), query)
    by_name = services.order_by("name", "pk")
    since = checked_since(authority, today or timezone.localdate())
    if query.text:
        rows = by_name.annotate(relevance=_relevance(query.text)).values_list("pk", "assured_on", "relevance")
    else:
        rows = by_name.values_list("pk", "assured_on")
    hits = [RankedService(pk, *rest, out_of_date=assured is None or assured < since) for pk, assured, *rest in rows]
    place = query.place
    if place is not None:
        _measure_distances(hits, authority, place)
        if query.radius_km is not None:
            hits = [h for h in hits if h.distance_km is not None and h.distance_km <= query.radius_km]
    # Python's sort is stable: ties keep the database's order by name.
    far = float("inf")
    if query.sort == "distance" and place is not None:
        hits.sort(key=lambda h: far if h.distance_km is None else h.distance_km)
    elif query.text and query.sort != "name":
        hits.sort(key=lambda h: (-h.relevance, far if h.distance_km is None else h.distance_km))
    # Listings nobody has confirmed lately go after the others, in the same order among themselves.
    hits.sort(key=lambda h: h.out_of_date)
    return hits


def _measure_distances(hits: list[RankedService], authority: Authority, place: Place) -> None:
    """The nearest location of each hit, or zero for services that come to the family's
    postcode district. Reads every location of the authority rather than re-running the
    search's filters: a few thousand rows of three numbers."""
    wanted = {hit.pk: hit for hit in hits}
    scale = longitude_scale(place.latitude)
    nearest: dict = {}
    locations = ServiceAtLocation.objects.filter(location__authority=authority).values_list(
        "service_id", "location__latitude", "location__longitude"
    )
    for service_id, latitude, longitude in locations:
        if service_id in wanted:
            dx, dy = (longitude - place.longitude) * scale, latitude - place.latitude
            d2 = dx * dx + dy * dy
            if d2 < nearest.get(service_id, float("inf")):
                nearest[service_id] = d2
    for service_id, d2 in nearest.items():
        wanted[service_id].distance_km = math.sqrt(d2) * KM_PER_DEGREE_LATITUDE
    serving = ServiceArea.objects.filter(service__authority=authority, district=place.district)
    for service_id in serving.values_list("service_id", flat=True):
        if service_id in wanted:
            wanted[service_id].comes_to_you, wanted[service_id].distance_km = True, 0.0
