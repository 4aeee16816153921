"""The public directory: search and service pages. Anyone may see these; they show only
approved, published records of the request's authority."""

from django.shortcuts import render
from django.utils import timezone

from shortbreaks.core.access import public
from shortbreaks.core.paging import paginate
from shortbreaks.core.postcodes import KM_PER_MILE, PostcodeError, distance_km, locate

from ..forms.search import SearchForm
from ..selectors.freshness import is_out_of_date, listing_policy_for
from ..selectors.search import ranked_services
from ..selectors.services import for_results, service_for_public
from ..selectors.taxonomy import break_kind_terms, needs_terms


@public
def home(request):
    """The public front page: what short breaks are, and a way into the directory by need or kind."""
    return render(request, "directory/home.html", {"needs": needs_terms(), "break_kinds": break_kind_terms()})


@public
def search(request):
    form = SearchForm(request.GET or {})
    context = {"form": form}
    if form.is_valid():
        hits = ranked_services(authority=request.authority, query=form.to_query())
        hits.expect(request.GET.get("page"), per_page=20)
        context.update(paginate(request, hits, per_page=20))
        context["results"] = for_results(context["page_obj"].object_list)
        context["place"] = form.place
        context["searched"] = True  # an empty page is falsy, so the template cannot ask page_obj
        context["filters_summary"] = filters_summary(form.applied())
    return render(request, "directory/search.html", context)


def filters_summary(applied: list[str], shown: int = 3) -> str:
    """The folded filters' button on a phone says what is applied: 'Filters (2 applied: Autism,
    Saturday)', the first few named and the rest counted."""
    if not applied:
        return "Filters"
    named = ", ".join(applied[:shown])
    more = f" and {len(applied) - shown} more" if len(applied) > shown else ""
    return f"Filters ({len(applied)} applied: {named}{more})"


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
            location.miles = (
                distance_km(origin.latitude, origin.longitude, location.latitude, location.longitude) / KM_PER_MILE
            )
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "locations": locations,
            "origin": origin,
            "out_of_date": is_out_of_date(service, timezone.localdate(), listing_policy_for(request.authority)),
            # Back to the results as they were: the search's own filters, passed on by its links.
            "search_query": request.GET.urlencode(),
        },
    )
