from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import KM_PER_MILE

from ..models import CostOption, Organisation, Schedule, Service, ServiceAtLocation
from .search import public_services


def with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a service page or an API record shows, in a fixed number of queries."""
    return services.select_related("organisation").prefetch_related(
        "needs",
        "break_kinds",
        "schedules",
        "cost_options",
        "contacts",
        "service_areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location"),
        ),
    )


@dataclass
class SearchResult:
    """What the results list shows of one service."""

    service: Service
    kinds: list[str]
    schedules: list[dict]
    cost: dict | None
    distance_km: float | None
    comes_to_you: bool
    books_online: bool = False  # it has sessions open for booking here now
    out_of_date: bool = False  # its provider has not confirmed it lately (selectors/freshness.py)

    @property
    def miles(self) -> float | None:
        return None if self.distance_km is None else self.distance_km / KM_PER_MILE


def for_results(hits) -> list[SearchResult]:
    """The services of one page of search hits, in order, with what the results list shows.
    Plain rows rather than prefetched objects: this page is the directory's busiest."""
    ids = [hit.pk for hit in hits]
    services = {s.pk: s for s in Service.objects.filter(pk__in=ids).select_related("organisation")}
    kinds = defaultdict(list)
    for service_id, name in (
        Service.break_kinds.through.objects.filter(service_id__in=ids)
        .order_by("taxonomyterm__position")
        .values_list("service_id", "taxonomyterm__name")
    ):
        kinds[service_id].append(name)
    schedules = defaultdict(list)
    for row in (
        Schedule.objects.filter(service_id__in=ids)
        .order_by("opens_at")
        .values("service_id", "byday", "opens_at", "closes_at")
    ):
        schedules[row["service_id"]].append(row)
    costs: dict = {}
    for row in (
        CostOption.objects.filter(service_id__in=ids)
        .order_by("-amount")
        .values("service_id", "amount", "amount_description")
    ):
        costs[row["service_id"]] = row  # the cheapest wins: rows come dearest first
    # Bookings sit above the directory, so its sessions are reached through the relation only;
    # asked of the sessions by service (their index), not by joining every session.
    now = timezone.now()
    sessions = Service._meta.get_field("sessions").related_model.objects
    books_online = set(
        sessions.filter(service_id__in=ids, booking_opens_at__lte=now, booking_closes_at__gt=now)
        .order_by()
        .values_list("service_id", flat=True)
    )
    return [
        SearchResult(
            service=services[hit.pk],
            kinds=kinds[hit.pk],
            schedules=schedules[hit.pk],
            cost=costs.get(hit.pk),
            distance_km=hit.distance_km,
            comes_to_you=hit.comes_to_you,
            books_online=hit.pk in books_online,
            out_of_date=hit.out_of_date,
        )
        for hit in hits
    ]


def service_for_public(*, authority: Authority, service_id) -> Service:
    return get_object_or_404(with_details(public_services(authority=authority)), pk=service_id)


def services_of_organisation(*, organisation: Organisation) -> QuerySet[Service]:
    return with_details(organisation.services.all()).order_by("name")
