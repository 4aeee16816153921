import datetime as dt

import pytest
from django.utils import timezone

from shortbreaks.directory.models import ProviderEvent

from ..factories import PASSWORD, make_location, make_service
from .pages import assert_accessible, sign_in, sign_out, texts


@pytest.fixture
def borough(authority, organisation, provider, commissioner):
    near = make_location(organisation, postcode="DE1 3AB", lat=52.9225, lon=-1.4746, name="Riverside Centre")
    far = make_location(organisation, postcode="DE56 1AA", lat=53.0236, lon=-1.4810, name="Belper Hall")
    return {
        "right": make_service(
            organisation,
            name="Saturday Sensory Club",
            needs=("autism",),
            kinds=("weekend",),
            ages=(5, 12),
            location=near,
        ),
        "too_far": make_service(
            organisation, name="Belper Weekend Club", needs=("autism",), kinds=("weekend",), ages=(5, 12), location=far
        ),
        "too_old": make_service(
            organisation, name="Teen Weekend Group", needs=("autism",), kinds=("weekend",), ages=(13, 19), location=near
        ),
        "wrong_kind": make_service(
            organisation,
            name="Tuesday Youth Club",
            needs=("autism",),
            kinds=("evening",),
            ages=(5, 12),
            byday="TU",
            location=near,
        ),
    }


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_parent_finds_a_weekend_break_for_an_autistic_nine_year_old(request, live_server, borough, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Find a short break").first.click()
    page.get_by_label("Postcode").fill("de1 3ab")
    page.get_by_label("Distance").select_option("5")
    page.get_by_label("Child's age").fill("9")
    page.get_by_label("Weekend").check()
    page.get_by_label("Autism").check()
    page.get_by_role("button", name="Apply filters").click()

    assert page.locator("#result-count").inner_text() == "1 short break found near DE1 3AB"
    results = texts(page, ".app-result h2")
    assert results == ["Saturday Sensory Club"]
    if javascript:
        assert_accessible(page)

    page.get_by_role("link", name="Saturday Sensory Club").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Saturday Sensory Club"
    assert "miles from DE1 3AB" in page.content()
    if javascript:
        assert_accessible(page)


def test_bad_postcode_is_explained_in_the_browser(page, live_server, borough):
    page.goto(f"{live_server.url}/services/?postcode=ZZ9+9ZZ")
    summary = page.locator(".govuk-error-summary")
    assert "We could not find the postcode ZZ9 9ZZ" in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_postcode"


def test_provider_edits_a_service_and_commissioner_approves_it(page, live_server, borough):
    service = borough["right"]
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert_accessible(page)
    sign_in(page, live_server, "provider@example.org", PASSWORD)
    page.goto(f"{live_server.url}/provider/")
    page.get_by_role("link", name="Edit Saturday Sensory Club").click()
    assert_accessible(page)
    page.get_by_label("Description").fill("Sensory play, music and a quiet room, every Saturday.")
    page.get_by_label("Places at a time").fill("14")
    page.get_by_role("button", name="Send for approval").click()
    assert "sent to the council for approval" in page.locator(".govuk-notification-banner").inner_text()
    # Until it is approved, families still see the old description.
    page.goto(f"{live_server.url}/services/{service.pk}/")
    assert "quiet room, every Saturday" not in page.content()
    sign_out(page)

    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/manage/")
    page.locator("#pending-changes").get_by_role("link", name="Saturday Sensory Club").click()
    changed = texts(page, "#comparison tr.app-diff__changed th")
    assert [label.replace(" Changed", "").strip() for label in changed] == ["Description", "Places at a time"]
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    assert "is now public" in page.locator(".govuk-notification-banner").inner_text()

    page.goto(f"{live_server.url}/services/{service.pk}/")
    assert "Sensory play, music and a quiet room, every Saturday." in page.content()
    assert "Up to 14 children at a time" in page.content()


def test_provider_registers_for_a_provider_event(page, live_server, authority, organisation, provider, commissioner):
    starts = timezone.now() + dt.timedelta(days=14)
    event = ProviderEvent.objects.create(
        authority=authority,
        title="Provider day: holiday schemes",
        description="Hear what families need.",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        venue="Council House",
        places=10,
        registration_closes_at=starts - dt.timedelta(days=2),
        created_by=commissioner,
    )
    sign_in(page, live_server, "provider@example.org", PASSWORD)
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Provider day: holiday schemes").click()
    assert page.locator("#places-left").inner_text() == "10 of 10"
    page.get_by_label("Name of the person coming").fill("Amy Jones")
    page.get_by_label("Their email address").fill("amy@example.org")
    page.get_by_label("Access needs (optional)").fill("Step-free access")
    page.get_by_role("button", name="Register").click()
    assert "Amy Jones is registered" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#places-left").inner_text() == "9 of 10"
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/manage/events/{event.pk}/")
    assert "Amy Jones" in page.locator("#attendees").inner_text()
