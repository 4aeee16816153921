"""Schemathesis against the ORUK API's own OpenAPI: whatever it sends, no server error and no
response that breaks the published schema. (Driven through Hypothesis directly: schemathesis's
pytest plugin does not yet run under pytest 9.)"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance

from .factories import make_location, make_service


@pytest.fixture
def wsgi_app():
    """The real WSGI app, minus the per-request connection clean-up that would close the test
    transaction's connection (Django's own test client detaches it the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def holds_to_schema(wsgi_app, openapi_path: str, *, operations: int, examples: int, **call) -> None:
    """Every operation of an API, fuzzed from its own OpenAPI: no server error and no answer
    outside the schema. "Schema-valid data is accepted" is left out: each API has answers by
    design that the schema cannot foresee (said where it is called)."""
    schema = schemathesis.openapi.from_wsgi(openapi_path, wsgi_app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) == operations
    for operation in found:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def holds(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance], **call)

        holds()


def test_oruk_api_holds_to_its_own_schema(authority, organisation, wsgi_app):
    location = make_location(organisation)
    make_service(organisation, name="Saturday Club", location=location)
    make_service(organisation, name="Home Sitting", kinds=("at-home",), areas=("DE1",), is_free=True)
    # A well-formed postcode that does not exist is a 400 the schema cannot foresee, so
    # "schema-valid data is accepted" is left out; every other check runs.
    holds_to_schema(wsgi_app, "/api/oruk/openapi.json", operations=9, examples=40)


def test_booking_api_holds_to_its_own_schema(client, authority, parent, organisation, wsgi_app):
    """The same for the booking API, as a signed-in parent with a valid CSRF token (the API's
    only callers): whatever the body, no server error and no answer outside the schema."""
    from django.middleware.csrf import _get_new_csrf_string

    from .factories import fund, make_child, make_eligible, make_family, make_session, sign_in

    child = make_child(make_family(authority, carer_user=parent), "Sam")
    make_eligible(child)
    fund(child)
    make_session(make_service(organisation, name="Saturday Club"), places=3)
    sign_in(client, parent)
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    # Schema-valid ids of sessions or children that do not exist are a 409 by design.
    holds_to_schema(
        wsgi_app,
        "/api/bookings/openapi.json",
        operations=2,
        examples=60,
        headers={"X-CSRFToken": token},
        cookies=cookies,
    )


def test_ocds_api_holds_to_its_own_schema(authority, commissioner, wsgi_app):
    from shortbreaks.procurement.services import opportunity_publish

    from .factories import build

    opportunity_publish(opportunity=build(authority, commissioner), published_by=commissioner)
    # A page past the end is a 404 by design (a release package cannot be empty).
    holds_to_schema(wsgi_app, "/api/ocds/openapi.json", operations=1, examples=40)
