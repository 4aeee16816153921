from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from shortbreaks.core.models import Authority

from ..models import Organisation, Service, ServiceAtLocation
from .search import public_services


def with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a service page or an API record shows, in a fixed number of queries."""
    return services.select_related("organisation").prefetch_related(
        "needs", "break_kinds", "schedules", "cost_options", "contacts", "service_areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location"),
        ),
    )


def service_for_public(*, authority: Authority, service_id) -> Service:
    return get_object_or_404(with_details(public_services(authority=authority)), pk=service_id)


def services_of_organisation(*, organisation: Organisation) -> QuerySet[Service]:
    return with_details(organisation.services.all()).order_by("name")
