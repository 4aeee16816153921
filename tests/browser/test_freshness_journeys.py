"""Listing freshness in the browser: a family's search shows an out-of-date listing last, with
when it was last checked; the commissioner's home flags it and the directory page says whom to
chase; the daily reminder reaches the provider, who follows its link, is stopped once for not
ticking the box, and confirms the listing, which then takes its place in search again."""

import datetime as dt

from django.utils import timezone

from shortbreaks.directory.models import Service
from shortbreaks.directory.selectors.freshness import out_of_date_listings
from shortbreaks.directory.services.freshness import listing_send_check_reminders

from ..factories import PASSWORD, make_location, make_service, make_session
from .pages import assert_accessible, emailed_path, sign_in, sign_out, texts


def checked(service, days_ago: int) -> Service:
    Service.objects.filter(pk=service.pk).update(assured_on=timezone.localdate() - dt.timedelta(days=days_ago))
    service.refresh_from_db()
    return service


def result_names(page) -> list[str]:
    return [name.strip() for name in texts(page, ".app-result h2")]


def fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.app-table-scroll'))
        .map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 5)""")
    assert page.evaluate("document.documentElement.scrollWidth > window.innerWidth") is False, wide
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_out_of_date_listing_is_flagged_reminded_confirmed_and_restored(
    page, live_server, authority, organisation, other_organisation, provider, commissioner
):
    stale = checked(make_service(organisation, name="Abbey Holiday Club", location=make_location(organisation)), 100)
    due = checked(make_service(organisation, name="Saturday Club"), 80)
    checked(make_service(other_organisation, name="Kingfisher Club"), 10)
    make_session(stale, places=10, days_ahead=10)

    # A family searches: the out-of-date listing, first by name, comes last and says so.
    page.goto(f"{live_server.url}/services/?q=club")
    assert result_names(page) == ["Kingfisher Club", "Saturday Club", "Abbey Holiday Club"]
    last = texts(page, ".app-result")[-1]
    assert "Not confirmed by the provider lately, so shown after the others" in last
    assert f"{stale.assured_on.day} {stale.assured_on:%B %Y}" in last
    assert_accessible(page)
    fits_a_phone(page)
    page.get_by_role("link", name="Abbey Holiday Club").click()
    assert "Things may have changed since: contact them to check before you rely on it." in page.content()

    # The commissioner's home flags it; the directory page lists whom to chase.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/insight/")
    flag = " ".join(texts(page, "#home-unchecked"))
    assert "1 listing not confirmed by its provider lately" in flag
    page.get_by_role("link", name="See who to chase").click()
    rows = texts(page, "#unchecked-listings tbody tr")
    assert len(rows) == 1 and "Abbey Holiday Club" in rows[0] and "Rainbow Trust" in rows[0]
    assert_accessible(page)
    fits_a_phone(page)
    sign_out(page)

    # The daily reminder (`shortbreaks send_reminders`) goes to the provider's people.
    listing_send_check_reminders()
    page.goto(live_server.url + emailed_path("provider@example.org", "/provider/"))
    page.get_by_label("Email address").fill("provider@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "2 listings need checking" in page.content(), texts(page, "main")[0][:1500]
    assert_accessible(page)
    fits_a_phone(page)

    page.get_by_role("link", name="Check and confirm Abbey Holiday Club").first.click()
    assert "is now out of date" in page.content()
    page.get_by_role("button", name="Confirm the listing is right").click()
    summary = " ".join(texts(page, ".govuk-error-summary"))
    assert "Tick the box to confirm the listing is still right, or change what is wrong instead" in summary
    assert_accessible(page)
    fits_a_phone(page)
    page.get_by_label("I have read this listing and it is still right").check()
    page.get_by_role("button", name="Confirm the listing is right").click()
    assert "Thank you: Abbey Holiday Club is confirmed as still right." in page.content()
    assert "1 listing needs checking" in page.content()  # Saturday Club is still due
    assert due.pk in set(Service.objects.filter(freshness_reminded_on__isnull=False).values_list("pk", flat=True))
    assert not out_of_date_listings(authority=authority, today=timezone.localdate()).exists()
    sign_out(page)

    # Back in search, in its place by name, with today's check.
    page.goto(f"{live_server.url}/services/?q=club")
    assert result_names(page) == ["Abbey Holiday Club", "Kingfisher Club", "Saturday Club"]
    today = timezone.localdate()
    assert f"{today.day} {today:%B %Y}" in texts(page, ".app-result")[0]
