"""The official ORUK validator's rules (tests/oruk_validator.py) run against the live API over
real HTTP: enough services for several pages at a small page size, every one assured within
the last 3 months by the suite's fixed clock, and not a problem found. A stale or missing
assured_date is then shown to break the rule, naming the service."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from shortbreaks.directory.models import Service

from .clock import TODAY
from .factories import make_location, make_organisation, make_service
from .oruk_validator import OrukValidator, openapi

PER_PAGE = {"default": 3, "/taxonomies": 1}


@pytest.fixture
def directory(authority, organisation, other_authority):
    """Eleven published services (ten at a venue, one at home), assured between today and
    exactly 3 months ago, plus a draft and another council's service the API must not show."""
    organisation.charity_number = "1123456"
    organisation.save()
    venue = make_location(organisation)
    made = [make_service(organisation, name=f"Club {n:02d}", location=venue) for n in range(10)]
    made.append(make_service(organisation, name="Home Sitting", kinds=("at-home",), areas=("DE1",), is_free=True))
    for n, service in enumerate(made):
        assured = TODAY - relativedelta(months=3) if n == 0 else TODAY - dt.timedelta(days=7 * (n - 1))
        Service.objects.filter(pk=service.pk).update(assured_on=assured, assurer_email="directory@example.org")
    make_service(organisation, name="Hidden Draft", published=False, location=venue)
    make_service(make_organisation(other_authority, name="Kestrel Trust"), name="Kestrel Club")
    return made


def validate(live_server) -> OrukValidator:
    checker = OrukValidator(f"{live_server.url}/api/oruk", today=TODAY, per_page=PER_PAGE)
    checker.run()
    return checker


def test_the_api_passes_the_validators_rules(live_server, directory):
    checker = validate(live_server)
    assert not checker.problems, "\n".join(map(str, checker.problems))
    asked = set(checker.requests)
    # Every path in the standard was asked for, the lists at their first, middle and last pages.
    for path in openapi()["paths"]:
        stem = path.split("{")[0]
        assert any(r.split("?")[0].startswith(f"GET {stem}") for r in asked), path
    assert {
        "GET /services?page=1&per_page=3",
        "GET /services?page=2&per_page=3",  # 11 services: 4 pages, the middle is 2
        "GET /services?page=4&per_page=3",
        "GET /service_at_locations?page=4&per_page=3",  # 10 at a venue: 4 pages
        "GET /taxonomies?page=2&per_page=1",  # 2 taxonomies: no middle
        "GET /taxonomy_terms?page=3&per_page=3",  # 17 terms: 6 pages
        "GET /taxonomy_terms?page=6&per_page=3",
    } <= asked
    # The ids came from the pages seen: 3 + 3 + 2 services.
    assert sum(r.startswith("GET /services/") for r in checker.requests) == 8
    assert sum(r.startswith("GET /service_at_locations/") for r in checker.requests) == 7


def test_a_stale_or_missing_assured_date_breaks_the_rule(live_server, directory):
    stale, missing = directory[1], directory[2]
    stale_on = TODAY - relativedelta(months=3, days=1)
    Service.objects.filter(pk=stale.pk).update(assured_on=stale_on)
    Service.objects.filter(pk=missing.pk).update(assured_on=None)
    problems = validate(live_server).problems
    assert problems and {p.rule for p in problems} == {"assured-date"}, "\n".join(map(str, problems))
    oldest = TODAY - relativedelta(months=3)
    # Each is reported wherever the validator met it: in the services list, on its own page, and
    # nested in its service at location (the list and its own page).
    for service, why in (
        (stale, f"assured_date {stale_on} is older than 3 months (before {oldest}, as of {TODAY})"),
        (missing, "no assured_date: when was it last checked?"),
    ):
        sal = service.service_at_locations.get().pk
        assert sorted((p.request, p.why) for p in problems if p.record == f"{service.pk} ({service.name})") == [
            ("GET /service_at_locations/" + str(sal), why),
            ("GET /service_at_locations?page=1&per_page=3", why),
            (f"GET /services/{service.pk}", why),
            ("GET /services?page=1&per_page=3", why),
        ]
    assert len(problems) == 8


def test_an_assured_date_in_the_future_is_reported(live_server, directory):
    Service.objects.filter(pk=directory[3].pk).update(assured_on=TODAY + dt.timedelta(days=1))
    problems = validate(live_server).problems
    assert len(problems) == 4 and all(
        p.why == f"assured_date {TODAY + dt.timedelta(days=1)} is after {TODAY}" for p in problems
    )


def test_each_rule_says_which_request_which_record_and_why(live_server, directory, monkeypatch):
    """The API broken three ways at once (no CORS header, a page envelope that never admits to
    being the last, a service's assurer_email that is no address): each is reported, naming the
    request, the record and why."""
    from shortbreaks.core import middleware
    from shortbreaks.directory.api import oruk

    monkeypatch.setattr(middleware, "OPEN_API_PREFIXES", ("/nowhere/",))
    real_page = oruk._page

    def never_last(items, params):
        contents, envelope = real_page(items, params)
        return contents, {**envelope, "last_page": False}

    monkeypatch.setattr(oruk, "_page", never_last)
    club = directory[0]
    Service.objects.filter(pk=club.pk).update(assurer_email="nobody")
    problems = {str(p) for p in validate(live_server).problems}
    assert "[cors] GET / -: no Access-Control-Allow-Origin header" in problems
    assert (
        "[paging] GET /services?page=4&per_page=3 -: last_page False is wrong for page 4 of 4 (expected True)"
        in problems
    )
    assert (
        f"[schema] GET /services?page=1&per_page=3 {club.pk} (Club 00): "
        "$.contents[0].assurer_email: 'nobody' is not a 'email'"
    ) in problems
    assert (
        f"[schema] GET /services/{club.pk} {club.pk} (Club 00): $.assurer_email: 'nobody' is not a 'email'" in problems
    )
