"""The public search over services: filters run in the database, then the matches are ranked
by relevance and distance (see docs/architecture.md, Search). Distance is an equirectangular
approximation in plain arithmetic, so no database extension is needed."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Upper
from django.db.models.lookups import Contains
from django.utils import timezone

from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import KM_PER_DEGREE_LATITUDE, Place, longitude_scale

from ..models import Organisation, Schedule, Service, ServiceArea, ServiceAtLocation, Taxonomy, TaxonomyTerm
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


class _SearchText(Expression):
    """PostgreSQL's generated search_text column (migration 0010) of the query's own service
    table, whatever alias that table has (inside a subquery, U0): the model does not know the
    column, as SQLite has none."""

    output_field = TextField()

    def as_sql(self, compiler, connection):
        return f'{compiler.quote_name_unless_alias(compiler.query.get_initial_alias())}."search_text"', []


def _own_texts_contain(word: str) -> Q:
    """The word in the service's name, description or SEND support, ignoring case. PostgreSQL
    reads the three from one upper-cased column, the word upper-cased the same way."""
    if connection.vendor == "postgresql":
        return Q(Contains(_SearchText(), Upper(Value(word))))
    return Q(name__icontains=word) | Q(description__icontains=word) | Q(send_support__icontains=word)


def _word_matches(word: str) -> Q:
    """A typed word matches a service when it is in the service's name, description or SEND
    support, in its organisation's name, or in the name of a need or kind of break it offers.
    Each is looked up once per search (the needs and kinds by term id), not once per service."""
    # As ids, so the outer query can stay on its narrow covering index, and the texts' own
    # lookup may use the trigram index when the word is rare.
    own_texts = Service.objects.filter(_own_texts_contain(word)).order_by().values("pk")
    matches = Q(pk__in=own_texts) | Q(organisation__in=Organisation.objects.filter(name__icontains=word))
    terms = list(TaxonomyTerm.objects.filter(name__icontains=word).values_list("pk", flat=True))
    for relation in ("needs", "break_kinds") if terms else ():
        through = getattr(Service, relation).through
        matches |= Q(pk__in=through.objects.filter(taxonomyterm_id__in=terms).values("service_id"))
    return matches


def filter_services(services: QuerySet[Service], query: ServiceQuery) -> QuerySet[Service]:
    # Parents type what a break is for ("autism", "overnight") as often as what it is called,
    # so each word may also match the name of a need or a kind of break the service offers.
    for word in query.text.split()[:8]:
        services = services.filter(_word_matches(word))
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
    """One search hit before its record is loaded: enough to show its place in the list."""

    pk: object
    distance_km: float | None = None
    comes_to_you: bool = False
    out_of_date: bool = False  # not confirmed within the listing policy's days (freshness.py)


def _relevance(text: str):
    """Per word: 5 when it is in the name, 2 in the organisation's name, 1 anywhere in the
    service's own texts (name, description, SEND support): the same sum on both databases."""
    relevance = Value(0, output_field=IntegerField())
    for word in text.split()[:8]:
        relevance = (
            relevance
            + Case(When(name__icontains=word, then=Value(5)), default=Value(0))
            + Case(When(organisation__name__icontains=word, then=Value(2)), default=Value(0))
            + Case(When(_own_texts_contain(word), then=Value(1)), default=Value(0))
        )
    return relevance


class Hits:
    """Every match of a search, ordered, counted and paged in the database: the paginator asks
    for the count and one slice, and only that page's rows come back (as RankedService). When
    the view says which page it will show (`expect`), the count rides on that page's query as
    a window (COUNT(*) OVER ()), so the search runs once rather than twice."""

    def __init__(self, rows: QuerySet):
        self.rows = rows
        self._total: int | None = None
        self._expected: tuple[int, int] | None = None
        self._page: list[RankedService] = []

    def expect(self, page_number, per_page: int) -> None:
        try:
            number = max(1, int(page_number or 1))
        except (TypeError, ValueError):
            number = 1
        self._expected = ((number - 1) * per_page, number * per_page)

    def count(self) -> int:
        if self._total is None and self._expected is not None:
            start, stop = self._expected
            rows = list(self.rows.annotate(total=Window(Count("*")))[start:stop])
            if rows:
                self._total, self._page = rows[0]["total"], [self._hit(row) for row in rows]
        if self._total is None:  # no page expected, or one past the end
            self._total = self.rows.count()
            self._expected = None
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self._expected is not None and (index.start or 0, index.stop) == self._expected:
            return self._page
        return [self._hit(row) for row in self.rows[index]]

    @staticmethod
    def _hit(row: dict) -> RankedService:
        d2 = row.get("d2")
        return RankedService(
            row["pk"],
            distance_km=None if d2 is None else math.sqrt(d2) * KM_PER_DEGREE_LATITUDE,
            comes_to_you=bool(row.get("comes_to_you")),
            out_of_date=row["out_of_date"],
        )


def ranked_services(*, authority: Authority, query: ServiceQuery, today: dt.date | None = None) -> Hits:
    """Every match in order: listings nobody has confirmed lately last, then by relevance to
    the words typed (or distance, or name, as asked), nearest first among equals, then by name.
    Distances are from each service's nearest location, zero for services that come to the
    family's postcode district; a radius is first narrowed by a bounding box on the locations'
    coordinates (an index), then measured exactly (docs/architecture.md, Search)."""
    services = filter_services(public_services(authority=authority), query)
    since = checked_since(authority, today or timezone.localdate())
    fresh = Q(assured_on__isnull=False, assured_on__gte=since)
    rows = services.annotate(
        out_of_date=Case(When(fresh, then=Value(False)), default=Value(True), output_field=BooleanField())
    )
    order = [F("out_of_date").asc()]
    place = query.place
    if place is not None:
        rows, by_distance = _with_distance(rows, authority, place, query.radius_km)
    if query.sort == "distance" and place is not None:
        order.append(by_distance)
    elif query.text and query.sort != "name":
        # Worked out only when the order needs it: it reads every match's texts again.
        order.append(_relevance(query.text).desc())
        if place is not None:
            order.append(by_distance)
    order += [F("name").asc(), F("pk").asc()]
    fields = ["pk", "out_of_date"] + (["d2", "comes_to_you"] if place else [])
    return Hits(rows.order_by(*order).values(*fields))


def _with_distance(rows: QuerySet[Service], authority: Authority, place: Place, radius_km: float | None):
    """The squared distance (in degrees of latitude) to each service's nearest location, or zero
    when it comes to the family's district; None when it has neither. Within a radius, the
    candidates are first the services with a location inside the radius's bounding box."""
    # The outer query is already the authority's services: no join back to them here.
    comes = ServiceArea.objects.filter(district=place.district).order_by().values("service_id")
    if radius_km is not None:
        reach = radius_km / KM_PER_DEGREE_LATITUDE
        across = reach / longitude_scale(place.latitude)
        in_box = ServiceAtLocation.objects.filter(
            location__authority=authority,
            location__latitude__range=(place.latitude - reach, place.latitude + reach),
            location__longitude__range=(place.longitude - across, place.longitude + across),
        ).values("service_id")
        rows = rows.filter(Q(pk__in=in_box) | Q(pk__in=comes))
    # One join and a MIN per service (grouped by its key), rather than a subquery per row.
    nearest = Min(
        distance_squared(place, "service_at_locations__location__latitude", "service_at_locations__location__longitude")
    )
    rows = rows.annotate(comes_to_you=ExpressionWrapper(Q(pk__in=comes), output_field=BooleanField()))
    rows = rows.annotate(d2=Case(When(comes_to_you=True, then=Value(0.0)), default=nearest, output_field=FloatField()))
    if radius_km is not None:
        rows = rows.filter(d2__lte=(radius_km / KM_PER_DEGREE_LATITUDE) ** 2)
    return rows, F("d2").asc(nulls_last=True)
