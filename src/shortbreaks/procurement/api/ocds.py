"""Open contracting data at /api/ocds/: every published opportunity as OCDS 1.1 releases (with
the lots extension), one release package per page. Public, like the notices themselves; it
never includes a submission."""

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError

from shortbreaks.core.access import Access

from ..ocds import release_package, releases_for
from ..selectors import open_data_opportunities

api = NinjaAPI(
    title="Short breaks open contracting data",
    version="1.1",
    urls_namespace="ocds",
    docs_url=None,
    description="OCDS 1.1 release packages of the council's short breaks procurements.",
)
api.access = Access(public=True)
PAGE_SIZE = 50


class PageQuery(Schema):
    page: int = 1
    ocid: str = ""  # one contracting process (an opportunity's page links to its own)


class Problem(Schema):
    error: str


@api.exception_handler(NinjaValidationError)
def invalid(request, exc):
    return api.create_response(request, {"error": "page must be a whole number, 1 or more"}, status=400)


@api.get(
    "/releases", response={200: dict, 400: Problem, 404: Problem}, summary="Releases, as one release package per page"
)
def releases(request: HttpRequest, query: Query[PageQuery]):
    if query.page < 1:
        return 400, {"error": "page must be a whole number, 1 or more"}
    opportunities = open_data_opportunities(authority=request.authority).order_by("created_at", "reference")
    if query.ocid:
        # An opportunity's ocid is the prefix, the authority and its reference (Opportunity.ocid).
        prefix = f"{settings.OCDS_PREFIX}-{request.authority.pk}-"
        reference = query.ocid.removeprefix(prefix) if query.ocid.startswith(prefix) else None
        if not reference:
            return 404, {"error": "No contracting process has that ocid."}
        opportunities = opportunities.filter(reference=reference)
    count = opportunities.count()
    # Past the end, 404 before any query: a page beyond the count (however large) never reaches
    # the database as an offset it cannot hold. A release package holds at least one release.
    if (query.page - 1) * PAGE_SIZE >= count:
        if query.ocid and query.page == 1:
            return 404, {"error": "No contracting process has that ocid."}
        return 404, {"error": "No releases on this page." if query.page > 1 else "Nothing has been published yet."}
    chunk = list(opportunities[(query.page - 1) * PAGE_SIZE : query.page * PAGE_SIZE])
    releases = releases_for(chunk)
    if query.ocid:  # not its call-offs, which are processes of their own (related to it)
        releases = [release for release in releases if release["ocid"] == query.ocid]
    package = release_package(releases, uri=request.build_absolute_uri(), authority=request.authority)
    response = api.create_response(request, package, status=200)
    if query.page * PAGE_SIZE < count:
        response["Link"] = f'<{request.path}?page={query.page + 1}>; rel="next"'
    return response
