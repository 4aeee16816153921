"""The public search over services. Every filter runs in the database; distance is an
equirectangular approximation in plain arithmetic, so SQLite and PostgreSQL sort alike and no
extension is needed."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case, Exists, ExpressionWrapper, F, FloatField, IntegerField, OuterRef, Q, QuerySet,
    Subquery, Value, When,
)

from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import KM_PER_DEGREE_LATITUDE, Place, longitude_scale

from ..models import Schedule, Service, ServiceArea, ServiceAtLocation, Taxonomy

# Families see services that run now, or are only paused; never inactive or defunct ones.
PUBLIC_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)

DAYS = [("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"),
        ("FR", "Friday"), ("SA", "Saturday"), ("SU", "Sunday")]

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
        authority=authority, is_published=True, organisation__is_published=True,
        status__in=PUBLIC_STATUSES,
    )


def _term_exists(relation: str, **term_filter) -> Exists:
    through = getattr(Service, relation).through
    return Exists(through.objects.filter(service_id=OuterRef("pk"), **{
        f"taxonomyterm__{k}": v for k, v in term_filter.items()
    }))


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
        conditions &= (Q(opens_at__lt=end, closes_at__gt=start) | (overnight & Q(opens_at__lt=end))
                       | (overnight & Q(closes_at__gt=start)))
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


def service_search(*, authority: Authority, query: ServiceQuery) -> QuerySet[Service]:
    services = public_services(authority=authority)
    services = filter_services(services, query)

    relevance = Value(0, output_field=IntegerField())
    for word in query.text.split()[:8]:
        relevance = relevance + Case(When(name__icontains=word, then=Value(5)), default=Value(0)) \
            + Case(When(organisation__name__icontains=word, then=Value(2)), default=Value(0)) \
            + Case(When(description__icontains=word, then=Value(1)), default=Value(0))
    services = services.annotate(relevance=relevance)

    if query.place is not None:
        nearest = ServiceAtLocation.objects.filter(service_id=OuterRef("pk")).annotate(
            d2=distance_squared(query.place, "location__latitude", "location__longitude")
        ).order_by("d2").values("d2")[:1]
        comes_to_you = Exists(ServiceArea.objects.filter(
            service_id=OuterRef("pk"), district=query.place.district
        ))
        services = services.annotate(
            comes_to_you=comes_to_you,
            distance_sq=Case(
                When(comes_to_you=True, then=Value(0.0)),
                default=Subquery(nearest, output_field=FloatField()),
                output_field=FloatField(),
            ),
        )
        if query.radius_km is not None:
            limit = (query.radius_km / KM_PER_DEGREE_LATITUDE) ** 2
            services = services.filter(distance_sq__lte=limit)

    if query.sort == "distance" and query.place is not None:
        order = [F("distance_sq").asc(nulls_last=True), "name", "pk"]
    elif query.sort == "name" or (not query.text and query.place is None):
        order = ["name", "pk"]
    elif query.place is not None:
        order = ["-relevance", F("distance_sq").asc(nulls_last=True), "name", "pk"]
    else:
        order = ["-relevance", "name", "pk"]
    return services.order_by(*order)


def filter_services(services: QuerySet[Service], query: ServiceQuery) -> QuerySet[Service]:
    for word in query.text.split()[:8]:
        services = services.filter(
            Q(name__icontains=word) | Q(description__icontains=word)
            | Q(organisation__name__icontains=word) | Q(send_support__icontains=word)
        )
    for code in query.needs:
        services = services.filter(_term_exists("needs", code=code, taxonomy__code=Taxonomy.NEEDS))
    if query.kinds:
        services = services.filter(
            _term_exists("break_kinds", code__in=query.kinds, taxonomy__code=Taxonomy.BREAK_KINDS)
        )
    for term_id in query.taxonomy_term_ids:
        services = services.filter(
            _term_exists("needs", id=term_id) | _term_exists("break_kinds", id=term_id)
        )
    if query.taxonomy_id:
        services = services.filter(
            _term_exists("needs", taxonomy_id=query.taxonomy_id)
            | _term_exists("break_kinds", taxonomy_id=query.taxonomy_id)
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
        services = services.filter(
            Exists(Schedule.objects.filter(schedule_q, service_id=OuterRef("pk")))
        )
    return services
