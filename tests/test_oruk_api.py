"""The Open Referral UK API: every response validates against the standard's compiled schemas,
paging follows its envelope, bad parameters get a 400 with a JSON error."""

import pytest

from .factories import make_location, make_organisation, make_service
from .oruk_schemas import assert_valid, page_keys


@pytest.fixture
def services(authority, organisation, other_authority):
    location = make_location(organisation)
    organisation.charity_number = "1123456"
    organisation.save()
    made = [make_service(organisation, name=f"Club {n:02d}", location=location) for n in range(7)]
    made.append(
        make_service(
            organisation,
            name="Home Sitting",
            kinds=("at-home",),
            areas=("DE1",),
            location=None,
            is_free=True,
            ages=(0, 11),
        )
    )
    make_service(organisation, name="Hidden Draft", published=False, location=location)
    make_service(make_organisation(other_authority, name="Kestrel Trust"), name="Kestrel Club")
    return made


def get(client, path, **params):
    response = client.get(f"/api/oruk{path}", params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def test_root_names_version_profile_and_openapi(client, authority):
    body = get(client, "/").json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/api/oruk/openapi.json")
    assert client.get("/api/oruk/openapi.json").json()["paths"]


def test_services_page_validates_and_pages(client, services):
    body = get(client, "/services", per_page=3, page=2).json()
    assert page_keys() <= set(body)
    assert body["total_items"] == 8 and body["total_pages"] == 3 and body["page_number"] == 2
    assert body["size"] == 3 and not body["first_page"] and not body["last_page"] and not body["empty"]
    for item in body["contents"]:
        assert_valid(item, "compiled/service_list.json")
    names = [s["name"] for s in get(client, "/services", per_page=50).json()["contents"]]
    assert "Hidden Draft" not in names and "Kestrel Club" not in names


def test_each_service_validates_fully_nested(client, services):
    for service in services:
        body = get(client, f"/services/{service.pk}").json()
        assert_valid(body, "compiled/service.json")
    home = get(client, f"/services/{services[-1].pk}").json()
    assert home["fees"] == "Free" and home["service_areas"][0]["name"] == "DE1"
    club = get(client, f"/services/{services[0].pk}").json()
    assert {a["taxonomy_term"]["name"] for a in club["attributes"]} == {"Autism", "Weekend"}
    assert club["schedules"][0]["byday"] == "SA" and club["cost_options"][0]["amount"] == 15.0
    assert club["organization"]["organization_identifiers"][0]["identifier"] == "1123456"


def test_service_at_locations_near_a_postcode(client, services, organisation):
    far = make_location(organisation, postcode="DE56 1AA", lat=53.0236, lon=-1.4810, name="Belper Hall")
    make_service(organisation, name="Belper Club", location=far)
    near = get(client, "/service_at_locations", postcode="DE1 3AB", proximity="2000").json()
    assert near["total_items"] == 7
    for item in near["contents"]:
        assert_valid(item, "compiled/service_at_location_list.json")
        assert item["distance"] <= 2000
    everything = get(client, "/service_at_locations", postcode="DE1 3AB").json()["contents"]
    assert everything[-1]["service"]["name"] == "Belper Club"
    one = get(client, f"/service_at_locations/{near['contents'][0]['id']}").json()
    # What the path names, and what the standard's OpenAPI says it returns: it passes both.
    assert_valid(one, "compiled/service_at_location.json")
    assert_valid(one, "compiled/service.json")
    assert (one["name"], one["status"]) == (one["service"]["name"], one["service"]["status"])


def test_filters(client, services, taxonomies):
    autism = taxonomies["autism"].pk
    assert get(client, "/services", taxonomy_term_id=str(autism)).json()["total_items"] == 8
    assert get(client, "/services", taxonomy_term_id=str(taxonomies["at-home"].pk)).json()["total_items"] == 1
    assert get(client, "/services", taxonomy_id=str(taxonomies["autism"].taxonomy_id)).json()["total_items"] == 8
    assert get(client, "/services", maximum_age="11").json()["total_items"] == 1
    assert get(client, "/services", minimum_age="5").json()["total_items"] == 7
    assert get(client, "/services", day="SA").json()["total_items"] == 8
    assert get(client, "/services", day="MO").json()["total_items"] == 0
    assert get(client, "/services", start_time="09:00", end_time="16:00").json()["total_items"] == 8
    assert get(client, "/services", search="sitting").json()["total_items"] == 1


def test_taxonomies_and_terms_validate(client, authority):
    taxonomies = get(client, "/taxonomies").json()
    assert taxonomies["total_items"] == 2
    for item in taxonomies["contents"]:
        assert_valid(item, "taxonomy.json")
        assert_valid(get(client, f"/taxonomies/{item['id']}").json(), "taxonomy.json")
    terms = get(client, "/taxonomy_terms", per_page=100).json()
    assert terms["total_items"] == 17
    for item in terms["contents"]:
        assert_valid(item, "taxonomy_term.json")
    assert_valid(get(client, f"/taxonomy_terms/{terms['contents'][0]['id']}").json(), "taxonomy_term.json")


def test_empty_result_envelope(client, authority):
    body = get(client, "/services").json()
    assert body["empty"] and body["total_items"] == 0 and body["contents"] == [] and body["last_page"]


@pytest.mark.parametrize(
    ("path", "params", "mentions"),
    [
        ("/services", {"page": "abc"}, "page"),
        ("/services", {"page": "0"}, "page"),
        ("/services", {"per_page": "100000"}, "per_page"),
        ("/services", {"minimum_age": "old"}, "minimum_age"),
        ("/services", {"taxonomy_term_id": "not-a-uuid"}, "taxonomy_term_id"),
        ("/services", {"start_time": "noon"}, "start_time"),
        ("/services", {"day": "Funday"}, "day"),
        ("/services", {"search": "club\x00"}, "search"),
        ("/service_at_locations", {"postcode": "nonsense"}, "postcode"),
        ("/service_at_locations", {"postcode": "ZZ9 9ZZ"}, "postcode"),
        ("/service_at_locations", {"postcode": "DE1 3AB", "proximity": "far"}, "proximity"),
        ("/service_at_locations", {"proximity": "1000"}, "proximity"),
    ],
)
def test_bad_parameters_get_a_400_with_a_json_error(client, authority, path, params, mentions):
    response = get(client, path, **params)
    assert response.status_code == 400
    assert mentions in response.json()["error"]


def test_unknown_ids_are_404_json(client, services):
    for path in (
        "/services/not-a-uuid",
        "/services/8d1b7d2e-7c39-4b5e-9d6c-0b2f1f9d9a01",
        "/service_at_locations/nope",
        "/taxonomies/nope",
        "/taxonomy_terms/nope",
    ):
        response = get(client, path)
        assert response.status_code == 404 and "error" in response.json()


def test_other_authority_service_is_invisible(client, services, other_authority):
    from shortbreaks.directory.models import Service

    elsewhere = Service.objects.get(name="Kestrel Club")
    assert get(client, f"/services/{elsewhere.pk}").status_code == 404
    # The same API on the other council's host serves that council's directory.
    response = client.get(f"/api/oruk/services/{elsewhere.pk}", HTTP_HOST="kestrel.test")
    assert response.status_code == 200


def test_blank_parameters_from_a_form_are_no_filter_and_days_come_in_any_case(client, services):
    """A form-driven client sends every field, blank ones as `name=`: each is ignored, not a
    400; `day=sa` is Saturday; a page past the last is empty."""
    everything = get(client, "/services", per_page=50).json()
    blank = dict.fromkeys(["taxonomy_id", "day", "minimum_age", "start_time", "search", "page"], "")
    assert get(client, "/services", per_page=50, **blank).json()["total_items"] == everything["total_items"]
    places = get(client, "/service_at_locations", postcode="", proximity="", **blank)
    assert places.status_code == 200
    assert get(client, "/services", day="sa").status_code == 200
    assert get(client, "/services", day="sa").json() == get(client, "/services", day="SA").json()
    past = get(client, "/services", page=99).json()
    assert past["empty"] and past["contents"] == [] and past["total_items"] == everything["total_items"]


@pytest.mark.parametrize("path", ["/api/oruk/", "/api/ocds/", "/open-data/360giving.json"])
def test_open_data_may_be_fetched_from_any_site(client, authority, path):
    response = client.get(path)
    assert response["Access-Control-Allow-Origin"] == "*", path
    preflight = client.options(path, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"


def test_head_works_wherever_get_does(client, services):
    got = client.get("/api/oruk/services")
    head = client.head("/api/oruk/services")
    assert head.status_code == 200 and head.content == b"" and head["Content-Type"] == got["Content-Type"]
    assert int(head["Content-Length"]) == len(got.content)
    assert client.head("/api/oruk/services/not-an-id").status_code == 404
