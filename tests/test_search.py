import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shortbreaks.core.postcodes import locate
from shortbreaks.directory.selectors.search import ServiceQuery, ranked_services
from shortbreaks.directory.selectors.services import for_results

from .factories import make_location, make_organisation, make_service

# Two real places ~9 km apart: central Derby (DE1) and Belper (DE56 1).
DERBY = dict(postcode="DE1 3AB", lat=52.9225, lon=-1.4746)
BELPER = dict(postcode="DE56 1AA", lat=53.0236, lon=-1.4810)


@pytest.fixture
def directory(authority, organisation, other_authority):
    derby = make_location(organisation, **DERBY)
    belper = make_location(organisation, name="Belper Hall", **BELPER)
    return {
        "autism_weekend": make_service(
            organisation,
            name="Saturday Sensory Club",
            needs=("autism", "communication"),
            kinds=("weekend",),
            ages=(5, 12),
            byday="SA",
            location=derby,
        ),
        "holiday": make_service(
            organisation,
            name="Summer Playscheme",
            needs=("learning-disability",),
            kinds=("school-holiday",),
            ages=(5, 18),
            byday="MO,TU,WE,TH,FR",
            opens="09:30",
            closes="15:30",
            location=belper,
            is_free=True,
        ),
        "evening": make_service(
            organisation,
            name="Youth Club",
            needs=("autism",),
            kinds=("evening",),
            ages=(11, 19),
            byday="TU",
            opens="18:00",
            closes="21:00",
            location=derby,
        ),
        "at_home": make_service(
            organisation,
            name="Home Sitting",
            needs=("autism", "complex-health"),
            kinds=("at-home",),
            ages=(0, 18),
            byday="MO,TU,WE,TH,FR,SA,SU",
            opens="08:00",
            closes="20:00",
            areas=("DE1", "DE22"),
        ),
        "draft": make_service(organisation, name="Unapproved Weekend Club", published=False, location=derby),
        "defunct": make_service(organisation, name="Closed Weekend Club", status="defunct", location=derby),
        "elsewhere": make_service(
            make_organisation(other_authority, name="Kestrel Trust"), name="Kestrel Weekend Club", location=None
        ),
    }


def in_order(hits):
    return [result.service.name for result in for_results(hits)]


def names(hits):
    return sorted(in_order(hits))


def search(authority, **kwargs):
    return ranked_services(authority=authority, query=ServiceQuery(**kwargs))


def test_only_published_live_services_of_this_authority(authority, directory):
    assert names(search(authority)) == ["Home Sitting", "Saturday Sensory Club", "Summer Playscheme", "Youth Club"]


def test_free_text_matches_name_and_ranks_name_matches_first(authority, directory):
    assert in_order(search(authority, text="club")) == ["Saturday Sensory Club", "Youth Club"]
    assert names(search(authority, text="fun activities sitting")) == ["Home Sitting"]


def test_free_text_matches_the_names_of_needs_and_kinds_of_break(authority, directory):
    assert "Saturday Sensory Club" in names(search(authority, text="autism"))
    assert names(search(authority, text="holiday")) == ["Summer Playscheme"]


def test_every_chosen_need_must_be_supported(authority, directory):
    assert names(search(authority, needs=["autism"])) == ["Home Sitting", "Saturday Sensory Club", "Youth Club"]
    assert names(search(authority, needs=["autism", "communication"])) == ["Saturday Sensory Club"]


def test_any_chosen_kind_of_break(authority, directory):
    assert names(search(authority, kinds=["weekend", "evening"])) == ["Saturday Sensory Club", "Youth Club"]


def test_child_age_must_be_in_range(authority, directory):
    assert names(search(authority, age=9)) == ["Home Sitting", "Saturday Sensory Club", "Summer Playscheme"]
    assert names(search(authority, age=19)) == ["Youth Club"]


def test_day_and_time_of_day(authority, directory):
    assert names(search(authority, days=["SA"])) == ["Home Sitting", "Saturday Sensory Club"]
    assert names(search(authority, days=["TU"], time_of_day="evening")) == ["Home Sitting", "Youth Club"]


def test_overnight_schedules_cross_midnight(authority, organisation):
    make_service(
        organisation,
        name="Overnight Stays",
        kinds=("overnight",),
        byday="FR",
        opens="17:00",
        closes="10:00",
        location=make_location(organisation),
    )
    assert names(search(authority, time_of_day="evening")) == ["Overnight Stays"]
    assert names(search(authority, time_of_day="morning")) == ["Overnight Stays"]
    assert names(search(authority, time_of_day="afternoon")) == []


def test_free_or_paid(authority, directory):
    assert names(search(authority, cost="free")) == ["Summer Playscheme"]
    assert "Summer Playscheme" not in names(search(authority, cost="paid"))


def test_distance_radius_and_services_that_come_to_you(authority, directory):
    place = locate("DE1 3AB")
    nearby = search(authority, place=place, radius_km=3, sort="distance")
    # Home Sitting serves DE1, so it is at distance zero; Belper is ~11 km away.
    assert in_order(nearby) == ["Home Sitting", "Saturday Sensory Club", "Youth Club"]
    assert nearby[0].comes_to_you and nearby[1].distance_km < 1
    everything = in_order(search(authority, place=place, sort="distance"))
    assert everything[-1] == "Summer Playscheme"


def test_a_service_far_away_is_outside_a_small_radius(authority, directory):
    belper = locate("DE56 1")
    assert names(search(authority, place=belper, radius_km=2)) == ["Summer Playscheme"]


def test_search_page_runs_a_fixed_number_of_queries(client, authority, organisation, directory):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/services/", {"postcode": "DE1 3AB", "radius": "10", "need": "autism"})
        assert response.status_code == 200
        return len(queries)

    count()  # warm the per-process caches (authority host map)
    before = count()
    location = make_location(organisation)
    for n in range(10):
        make_service(organisation, name=f"Extra Club {n}", location=location)
    assert count() == before


def test_search_page_shows_results_and_distance(client, authority, directory):
    response = client.get(
        "/services/", {"postcode": "de1 3ab", "radius": "5", "kind": "weekend", "age": "9", "need": "autism"}
    )
    html = response.content.decode()
    assert "1 short break found near DE1 3AB" in html
    assert "Saturday Sensory Club" in html and "miles" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postcode": "hello"}, "Enter a real postcode, like DE1 3AB"),
        ({"postcode": "ZZ9 9ZZ"}, "We could not find the postcode ZZ9 9ZZ"),
        ({"radius": "5"}, "Enter a postcode to search by distance"),
        ({"age": "ten"}, "Enter the child&#x27;s age as a number, like 9"),
    ],
)
def test_search_page_explains_bad_input(client, authority, directory, params, message):
    response = client.get("/services/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert "result-count" not in html


def test_a_search_that_finds_nothing_says_so_and_what_to_try(client, authority, directory):
    html = client.get("/services/", {"q": "trampolining underwater"}).content.decode()
    assert "No short breaks found" in html and 'id="result-count"' in html
    assert "No short breaks match your search" in html and "remove some filters" in html


def test_on_a_phone_the_filters_fold_away_once_there_are_results(client, authority, directory):
    """The <details> toggle works without JavaScript; CSS shows it open from tablet width up."""
    html = client.get("/services/", {"q": "club"}).content.decode()
    assert '<details class="app-filters-toggle">' in html
    wrong = client.get("/services/", {"postcode": "hello"}).content.decode()
    assert '<details class="app-filters-toggle" open>' in wrong  # a mistake to put right: shown
    assert '<summary class="govuk-button govuk-button--secondary" id="filters-summary">Filters</summary>' in wrong


def test_the_folded_filters_say_what_is_applied(client, authority, directory):
    """Worked out on the server from the bound form, so it reads without JavaScript."""
    html = client.get("/services/", {"need": "autism", "day": "SA", "sort": "name"}).content.decode()
    assert 'id="filters-summary">Filters (2 applied: Autism, Saturday)</summary>' in html  # sorting is no filter
    html = client.get("/services/", {"q": "club", "age": "9", "day": ["SA", "SU"], "cost": "free"}).content.decode()
    assert 'id="filters-summary">Filters (5 applied: “club”, Age 9, Saturday and 2 more)</summary>' in html
    assert 'id="filters-summary">Filters</summary>' in client.get("/services/", {"sort": "name"}).content.decode()


def test_a_postcode_outside_the_councils_area_says_so(client, authority, directory, policy):
    html = client.get("/services/", {"postcode": "DE56 1AA"}).content.decode()
    assert 'id="outside-area"' in html and "DE56 1AA is outside Dovebridge Borough Council" in html
    assert "short break" in html and 'id="result-count"' in html  # the results are still shown
    inside = client.get("/services/", {"postcode": "DE1 3AB"}).content.decode()
    assert 'id="outside-area"' not in inside


def test_search_page_pages_results(client, authority, organisation):
    location = make_location(organisation)
    for n in range(25):
        make_service(organisation, name=f"Club {n:02d}", location=location)
    first = client.get("/services/").content.decode()
    assert "25 short breaks found" in first and "Club 19" in first and "Club 20" not in first
    second = client.get("/services/", {"page": "2"}).content.decode()
    assert "Club 20" in second and "Club 24" in second
    # A page past the end, or not a number, shows the last or the first page, still counted.
    past = client.get("/services/", {"page": "9"}).content.decode()
    assert "25 short breaks found" in past and "Club 24" in past and "Club 19" not in past
    garbled = client.get("/services/", {"page": "two"}).content.decode()
    assert "25 short breaks found" in garbled and "Club 00" in garbled


def test_service_page_shows_what_a_parent_needs(client, authority, directory):
    service = directory["autism_weekend"]
    html = client.get(f"/services/{service.pk}/", {"postcode": "DE1 3AB"}).content.decode()
    for text in (
        "Saturday Sensory Club",
        "Autism",
        "5 to 12 years",
        "Saturday, 10am to 3pm",
        "£15.00 per session",
        "How this service supports children with SEND",
        "Step-free",
        "miles from DE1 3AB",
    ):
        assert text in html


def test_unpublished_and_other_authority_service_pages_are_not_found(client, authority, directory):
    assert client.get(f"/services/{directory['draft'].pk}/").status_code == 404
    assert client.get(f"/services/{directory['elsewhere'].pk}/").status_code == 404
    assert client.get(f"/services/{directory['defunct'].pk}/").status_code == 404
