"""Listing freshness: a provider (or, for in-house services, a council officer) confirms a
listing is still right; reminders go before it falls out of date; out-of-date listings are
flagged to commissioners, shown last in search and left out of the gap analysis's supply."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import AuditEvent
from shortbreaks.directory.models import ListingPolicy, Service
from shortbreaks.directory.selectors.freshness import out_of_date_listings
from shortbreaks.directory.services.freshness import listing_confirm, listing_send_check_reminders
from shortbreaks.directory.services.listings import listing_change_approve, service_change_submit
from shortbreaks.directory.services.snapshots import service_snapshot
from shortbreaks.insight.selectors.gaps import Filters, gap_analysis

from .clock import TODAY
from .factories import make_location, make_organisation, make_service, make_session, make_user, sign_in


def checked(service, days_ago: int | None) -> Service:
    Service.objects.filter(pk=service.pk).update(
        assured_on=None if days_ago is None else TODAY - dt.timedelta(days=days_ago), freshness_reminded_on=None
    )
    service.refresh_from_db()
    return service


@pytest.fixture
def service(organisation):
    return checked(make_service(organisation, name="Saturday Club", location=make_location(organisation)), 100)


@pytest.fixture
def in_house(authority):
    council = make_organisation(authority, name="Dovebridge Short Breaks Team", kind="in_house")
    return checked(make_service(council, name="Riverside Respite", location=make_location(council)), 120)


def test_every_authority_gets_a_listing_policy_of_three_months(authority):
    policy = ListingPolicy.objects.get(authority=authority)
    assert (policy.version, policy.check_every_days, policy.remind_days_before) == (1, 90, 14)


def test_the_provider_confirms_its_listing_and_the_organisation_is_the_published_assurer(
    client, service, provider, organisation
):
    sign_in(client, provider)
    url = reverse("directory:provider-service-check", args=[service.pk]) + f"?org={organisation.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "is now out of date" in page.content.decode()

    response = client.post(url, {"confirmed": "on"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.assured_on == TODAY and service.assured_by == provider
    # The organisation's address is published, never the person's own.
    assert service.assurer_email == organisation.email != provider.email
    event = AuditEvent.objects.get(action="listing.confirmed")
    assert event.actor == provider and event.target_id == str(service.pk)

    api = client.get(f"/api/oruk/services/{service.pk}").json()
    assert api["assured_date"] == TODAY.isoformat() and api["assurer_email"] == organisation.email


def test_confirming_without_the_tick_says_what_to_do_and_changes_nothing(client, service, provider, organisation):
    sign_in(client, provider)
    url = reverse("directory:provider-service-check", args=[service.pk]) + f"?org={organisation.pk}"
    response = client.post(url, {})
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Tick the box to confirm the listing is still right, or change what is wrong instead" in body
    service.refresh_from_db()
    assert service.assured_on == TODAY - dt.timedelta(days=100)
    assert not AuditEvent.objects.filter(action="listing.confirmed").exists()


def test_nobody_confirms_another_organisations_listing(client, service, other_provider, other_organisation, parent):
    sign_in(client, other_provider)
    url = reverse("directory:provider-service-check", args=[service.pk]) + f"?org={other_organisation.pk}"
    assert client.post(url, {"confirmed": "on"}).status_code == 404
    sign_in(client, parent)
    assert client.post(url, {"confirmed": "on"}).status_code in (302, 403)
    service.refresh_from_db()
    assert service.assured_on == TODAY - dt.timedelta(days=100)


def test_an_officer_confirms_in_house_listings_only(client, service, in_house, officer, commissioner):
    sign_in(client, officer)
    response = client.post(reverse("directory:manage-service-check", args=[in_house.pk]), {"confirmed": "on"})
    assert response.status_code == 302
    in_house.refresh_from_db()
    assert in_house.assured_on == TODAY and in_house.assured_by == officer
    assert AuditEvent.objects.get(action="listing.confirmed").details == {"as_council": True}

    sign_in(client, commissioner)
    assert (
        client.post(reverse("directory:manage-service-check", args=[service.pk]), {"confirmed": "on"}).status_code
        == 404
    )
    with pytest.raises(NotAllowed, match="confirms its own listings"):
        listing_confirm(service=service, confirmed_by=commissioner, as_council=True)
    service.refresh_from_db()
    assert service.assured_on == TODAY - dt.timedelta(days=100)


def test_approving_a_providers_change_counts_as_a_check(service, organisation, provider, commissioner):
    snapshot = service_snapshot(service) | {"name": "Saturday Splash Club"}
    change = service_change_submit(organisation=organisation, service=service, proposed=snapshot, submitted_by=provider)
    listing_change_approve(change=change, decided_by=commissioner)
    service.refresh_from_db()
    assert service.assured_on == TODAY and service.assured_by == provider


def test_reminders_go_before_a_listing_falls_out_of_date_once_to_each_person(
    authority, organisation, provider, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = make_user(authority, "provider", organisation=organisation, email="colleague@example.org")
    due = checked(make_service(organisation, name="Saturday Club"), 80)  # out of date in 10 days
    checked(make_service(organisation, name="Holiday Club"), 30)  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert listing_send_check_reminders(today=TODAY) == 2
    assert sorted(m.to[0] for m in mailoutbox) == [colleague.email, provider.email]
    body = mailoutbox[0].body
    assert "Saturday Club: check by 11 December 2026" in body and "Holiday Club" not in body
    assert f"://testserver/provider/?org={organisation.pk}" in body  # an absolute link
    due.refresh_from_db()
    assert due.freshness_reminded_on == TODAY

    with django_capture_on_commit_callbacks(execute=True):
        assert listing_send_check_reminders(today=TODAY + dt.timedelta(days=1)) == 0  # once per check
    listing_confirm(service=due, confirmed_by=provider, today=TODAY + dt.timedelta(days=2))
    due.refresh_from_db()
    assert due.freshness_reminded_on is None  # the next check will be reminded again


def test_the_daily_command_sends_the_reminders(
    organisation, provider, mailoutbox, django_capture_on_commit_callbacks, capsys
):
    checked(make_service(organisation, name="Saturday Club"), None)  # never checked
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert "Queued 1 listing check reminder." in capsys.readouterr().out
    assert "Saturday Club: not checked yet" in mailoutbox[-1].body


def test_out_of_date_listings_go_last_in_search_and_say_when_they_were_checked(client, authority, organisation):
    stale = checked(make_service(organisation, name="Aardvark Club"), 100)
    fresh = checked(make_service(organisation, name="Zebra Club"), 5)
    body = client.get(reverse("directory:search"), {"q": "club"}).content.decode()
    assert body.index(fresh.name) < body.index(stale.name)  # by name Aardvark would come first
    assert "Not confirmed by the provider lately" in body
    assert f"{(TODAY - dt.timedelta(days=5)):%-d %B %Y}" in body

    page = client.get(reverse("directory:service", args=[stale.pk])).content.decode()
    assert "The provider last checked this listing on 23 August 2026" in page
    assert "contact them to check before you rely on it" in page


def test_out_of_date_listings_leave_the_gap_analysis_supply_and_are_flagged(
    client, authority, organisation, commissioner
):
    stale = checked(make_service(organisation, name="Saturday Club", location=make_location(organisation)), 100)
    fresh = checked(make_service(organisation, name="Sunday Club", location=make_location(organisation)), 5)
    make_session(stale, places=10, days_ahead=10)
    make_session(fresh, places=4, days_ahead=11)
    analysis = gap_analysis(authority=authority, filters=Filters(year=2026))
    assert sum(cell.places for cell in analysis.cells.values()) == 4
    assert analysis.unchecked_listings == 1
    assert list(out_of_date_listings(authority=authority, today=TODAY)) == [stale]

    sign_in(client, commissioner)
    home = client.get(reverse("insight:home")).content.decode()
    assert "1 listing not confirmed by its provider lately" in home
    manage = client.get(reverse("directory:manage-home")).content.decode()
    assert 'id="unchecked-listings"' in manage and "Saturday Club" in manage.split('id="unchecked-listings"')[1]

    listing_confirm(service=stale, confirmed_by=commissioner)
    assert (
        sum(cell.places for cell in gap_analysis(authority=authority, filters=Filters(year=2026)).cells.values()) == 14
    )
