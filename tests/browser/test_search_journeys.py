"""A parent looking for a break, on a desktop and on a phone: a search that finds nothing, the
filters folded away on a phone, the way back keeping the search, and the site's own pages for
a page that is not there or not theirs."""

import uuid

import pytest

from ..factories import PASSWORD, make_location, make_service
from .pages import assert_accessible, sign_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def services(organisation):
    place = make_location(organisation)
    return [
        make_service(organisation, name="Saturday Sensory Club", needs=("autism",), location=place),
        make_service(
            organisation,
            name="Holiday Playscheme",
            kinds=("school-holiday",),
            needs=("learning-disability",),
            location=place,
        ),
    ]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_a_search_that_finds_nothing_says_so_and_the_way_back_keeps_the_search(page, live_server, services, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/services/")
    if viewport == PHONE:
        # The results come first; the filters are one tap away, and work without JavaScript.
        assert page.locator("#result-count").is_visible() and not page.get_by_label("Search").is_visible()
        page.locator("summary", has_text="Filters").click()
    page.get_by_label("Search").fill("trampolining underwater")
    page.get_by_role("button", name="Apply filters").click()
    assert page.locator("#result-count").inner_text() == "No short breaks found"
    assert page.get_by_role("heading", name="No short breaks match your search").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page)

    page.goto(f"{live_server.url}/services/?q=autism")
    page.get_by_role("link", name="Saturday Sensory Club").click()
    page.get_by_role("link", name="Back to search results").click()
    if viewport == PHONE:
        page.locator("summary", has_text="Filters").click()
    assert page.get_by_label("Search").input_value() == "autism"
    assert page.locator("#result-count").inner_text() == "1 short break found"


def test_pages_not_there_or_not_theirs_are_the_sites_own(page, live_server, services, parent):
    page.goto(f"{live_server.url}/services/{uuid.uuid4()}/")
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert "Dovebridge Borough Council" in page.locator("header").inner_text()
    assert page.get_by_role("link", name="Find a short break").first.is_visible()
    assert_accessible(page)

    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/caseload/")
    assert page.get_by_role("heading", name="You cannot see this page").is_visible()
    assert "Dovebridge Borough Council" in page.locator("header").inner_text()
    assert_accessible(page)
