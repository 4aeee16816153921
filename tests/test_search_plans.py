"""The directory search's indexes (migration 0010) and the queries that need them. On
PostgreSQL each test asks the planner for the search's own query with sequential scans priced
out and the table's other indexes out of the way, so the plan names the index if, and only
if, the query can use it; at a region's size the planner picks it on its own
(bench/directory.py). On both databases: the upper-cased
column PostgreSQL matches words against finds exactly what the three texts do."""

import pytest
from django.db import connection
from django.db.models import Q

from shortbreaks.core.postcodes import locate
from shortbreaks.directory.models import Service
from shortbreaks.directory.selectors.search import ServiceQuery, _own_texts_contain, ranked_services

from .factories import make_location, make_service

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")


@pytest.fixture
def services(organisation):
    derby = make_location(organisation, postcode="DE1 3AB", lat=52.9225, lon=-1.4746)
    make_service(organisation, name="Saturday Sensory Club", location=derby, description="Sensory play, 50% off_peak.")
    make_service(organisation, name="Swimming for Everyone", location=derby, description="Pool sessions.")
    make_service(organisation, name="Café Séance", description="Crème brûlée and crafts \\ for all.")
    return Service.objects.filter(authority=organisation.authority)


def _plan(hits, table: str, index: str) -> str:
    """The plan of the search's query with the table's other non-unique indexes dropped (inside
    the test's transaction, so rolled back) and sequential scans priced out: what is left is
    the index under test or the primary key, so the plan does not hang on the statistics of a
    table of three rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname <> %s "
            "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [table, index],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
    return hits.rows.explain()


@postgres_only
def test_a_typed_word_is_looked_up_in_the_trigram_index(authority, services):
    hits = ranked_services(authority=authority, query=ServiceQuery(text="club"))
    assert "service_search_text_trigram" in _plan(hits, "directory_service", "service_search_text_trigram")


@postgres_only
def test_the_filters_and_order_are_read_from_the_covering_index(authority, services):
    hits = ranked_services(authority=authority, query=ServiceQuery(age=9, cost="paid"))
    assert "service_public_listing" in _plan(hits, "directory_service", "service_public_listing")


@postgres_only
def test_a_radius_is_narrowed_by_the_locations_bounding_box(authority, services):
    query = ServiceQuery(place=locate("DE1 3AB"), radius_km=5)
    hits = ranked_services(authority=authority, query=query)
    assert "location_bounding_box" in _plan(hits, "directory_location", "location_bounding_box")


@pytest.mark.parametrize("word", ["club", "CLUB", "sensory", "50%", "off_peak", "café", "SÉANCE", "brûlée", "\\", "zz"])
def test_the_upper_cased_column_matches_what_the_texts_match(services, word):
    by_column = services.filter(_own_texts_contain(word))
    by_texts = services.filter(
        Q(name__icontains=word) | Q(description__icontains=word) | Q(send_support__icontains=word)
    )
    assert set(by_column) == set(by_texts)
