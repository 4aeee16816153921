"""The public directory: search and service pages. Anyone may see these; they show only
approved, published records of the request's authority."""

import math

from django.shortcuts import render

from shortbreaks.core.access import public
from shortbreaks.core.paging import paginate
from shortbreaks.core.postcodes import (
    KM_PER_DEGREE_LATITUDE, KM_PER_MILE, PostcodeError, distance_km, locate,
)

from ..forms.search import SearchForm
from ..selectors.search import service_search
from ..selectors.services import service_for_public, with_details


def _miles_from(service) -> float | None:
    distance_sq = getattr(service, "distance_sq", None)
    if distance_sq is None:
        return None
    return math.sqrt(distance_sq) * KM_PER_DEGREE_LATITUDE / KM_PER_MILE


@public
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": bool(request.GET)}
    if not request.GET or form.is_valid():
        if not request.GET:
            form = SearchForm({})
            form.is_valid()
            context["form"] = form
        services = with_details(service_search(authority=request.authority, query=form.to_query()))
        context.update(paginate(request, services, per_page=20))
        for service in context["page_obj"]:
            service.miles = _miles_from(service)
        context["place"] = form.place
    return render(request, "directory/search.html", context)


@public
def service_detail(request, service_id):
    service = service_for_public(authority=request.authority, service_id=service_id)
    locations = [sal.location for sal in service.service_at_locations.all()]
    origin = None
    postcode = request.GET.get("postcode", "")
    if postcode:
        try:
            origin = locate(postcode)
        except PostcodeError:
            origin = None
    if origin:
        for location in locations:
            location.miles = distance_km(origin.latitude, origin.longitude,
                                         location.latitude, location.longitude) / KM_PER_MILE
    return render(request, "directory/service_detail.html", {
        "service": service, "locations": locations, "origin": origin,
    })
