"""The list pages a rush or a big council hits make a fixed number of queries: the count is the
same with a few rows as with three times as many (no query per row)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shortbreaks.contracts.models import Contract, ContractReturn, Feedback

from .factories import (
    booked,
    make_child,
    make_family,
    make_location,
    make_service,
    make_session,
    sign_in,
)


def queries(client, url, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def assert_flat(client, url, add_rows, **extra) -> str:
    """Same number of queries before and after the rows are tripled; returns the last page."""
    add_rows(3)
    queries(client, url, **extra)  # once first: per-process caches (the host map) fill here
    few, _ = queries(client, url, **extra)
    add_rows(6)
    many, page = queries(client, url, **extra)
    assert few == many, f"{url}: {few} queries with a few rows, {many} with three times as many"
    return page


@pytest.fixture
def venue(organisation):
    return make_location(organisation)


def test_search(client, authority, organisation, venue):
    def add(n):
        for _ in range(n):
            make_service(organisation, name="Club", needs=("autism",), location=venue)

    url = reverse("directory:search") + "?q=club&need=autism&age=9&postcode=DE1+3AB&radius=10"
    assert "9 short breaks found near DE1 3AB" in " ".join(assert_flat(client, url, add).split())


def test_the_oruk_service_list(client, authority, organisation, venue):
    def add(n):
        for _ in range(n):
            make_service(organisation, location=venue)

    assert '"total_items": 9' in assert_flat(client, "/api/oruk/services?per_page=50", add).replace('":9', '": 9')


def test_the_caseload(client, authority, officer):
    def add(n):
        for i in range(n):
            make_child(make_family(authority), f"Child{i}")

    sign_in(client, officer)
    assert assert_flat(client, reverse("families:caseload"), add).count("Child") >= 9


def test_a_register(client, authority, organisation, provider, parent):
    service = make_service(organisation)
    session = make_session(service, places=20)
    family = make_family(authority, carer_user=parent)

    def add(n):
        for i in range(n):
            booked(session, make_child(family, f"Kid{i}", needs=("autism", "adhd")), status="confirmed")

    sign_in(client, provider)
    assert assert_flat(client, reverse("bookings:register", args=[session.pk]), add).count("Kid") >= 9
    assert_flat(client, reverse("bookings:sessions"), lambda n: [make_session(service) for _ in range(n)])


def test_the_commissioners_home(client, authority, organisation, commissioner, parent):
    today = timezone.localdate()
    service = make_service(organisation)

    def add(n):
        for _ in range(n):
            contract = Contract.objects.create(
                authority=authority,
                reference=f"C-{Contract.objects.count() + 1}",
                title="Places",
                kind="spot",
                organisation=organisation,
                value=1000,
                starts_on=today - dt.timedelta(days=100),
                ends_on=today + dt.timedelta(days=60),
                status="active",
            )
            ContractReturn.objects.create(
                authority=authority,
                contract=contract,
                status="due",
                due_on=today + dt.timedelta(days=3),
                period_start=today - dt.timedelta(days=30),
                period_end=today - dt.timedelta(days=1),
            )
            Feedback.objects.create(authority=authority, service=service, given_by=parent, enjoyed="great")

    sign_in(client, commissioner)
    assert assert_flat(client, reverse("insight:home"), add).count(">C-") == 9  # each contract ending soon
