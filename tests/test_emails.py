"""Every email says why the person got it, and its links are absolute, on the authority's own
host name (never SITE_URL's development address), so a Kestrel family gets Kestrel's links."""

import re
import uuid

import pytest

from shortbreaks.bookings.services.booking import booking_create
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import CommissioningIntention
from shortbreaks.directory.services.listings import listing_change_approve, service_change_submit
from shortbreaks.directory.services.publications import intention_publish, subscription_save
from shortbreaks.directory.services.snapshots import service_snapshot
from shortbreaks.families.services.eligibility import application_decide, application_submit
from shortbreaks.procurement.services import evaluator_add

from .factories import (
    build,
    fund,
    make_child,
    make_eligible,
    make_family,
    make_location,
    make_organisation,
    make_service,
    make_session,
    make_user,
)

WHY = "Why you got this email: "


def links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def assert_on_host(message, host: str) -> None:
    """Says why, and every link is on the authority's own site."""
    assert WHY in message.body
    found = links(message.body)
    assert found, message.body
    assert all(link.startswith(f"https://{host}/") for link in found), found
    assert "8000" not in message.body


def test_a_booking_confirmation_says_who_it_was_for_and_links_to_your_bookings(
    authority, organisation, parent, mailoutbox, django_capture_on_commit_callbacks
):
    service = make_service(organisation, name="Summer Playscheme", location=make_location(organisation))
    child = make_child(make_family(authority, carer_user=parent), "Amy")
    make_eligible(child)
    fund(child)
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(
            sessions=[make_session(service)], children=[child], booked_by=parent, idempotency_key=uuid.uuid4().hex
        )
    (message,) = mailoutbox
    assert_on_host(message, "testserver")
    assert f"{WHY}you booked this short break for Amy." in message.body
    assert "https://testserver/bookings/" in links(message.body)
    assert "Dovebridge Borough Council, short breaks: https://testserver/" in message.body


@pytest.mark.parametrize(("which", "host"), [("authority", "testserver"), ("other_authority", "kestrel.test")])
def test_a_subscriber_is_told_why_and_how_to_stop_on_the_councils_own_site(
    request, which, host, db, mailoutbox, django_capture_on_commit_callbacks
):
    # (db comes before mailoutbox: setting up the database empties the outbox the fixture holds.)
    council = request.getfixturevalue(which)
    subscription_save(
        organisation=make_organisation(council, name="Kite Care"),
        email="news@example.org",
        needs=[],
        break_kinds=[],
        saved_by=None,
    )
    intention = CommissioningIntention.objects.create(authority=council, title="Holiday schemes", summary="s", body="b")
    with django_capture_on_commit_callbacks(execute=True):
        intention_publish(intention=intention, published_by=make_user(council, Role.COMMISSIONER))
    (message,) = mailoutbox
    assert_on_host(message, host)
    assert f"you subscribe to news of commissioning opportunities from {council.name}" in message.body
    assert f"https://{host}/commissioning/intentions/{intention.pk}/" in links(message.body)
    # Subscribing is a choice: the email says how to stop it, with a link to where.
    stop = next(line for line in message.body.splitlines() if line.startswith("To stop these emails"))
    assert links(stop) == [f"https://{host}/provider/"]


def test_an_evaluator_is_told_which_panel_and_links_to_the_evaluation(
    authority, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    opportunity = build(authority, commissioner, lots=1)
    panel_user = make_user(authority, Role.PANEL_MEMBER, email="dad@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        evaluator_add(
            opportunity=opportunity, user=panel_user, panel="parents", is_moderator=False, added_by=commissioner
        )
    (message,) = mailoutbox
    assert_on_host(message, "testserver")
    assert f"added you to the evaluation panel for {opportunity.reference}" in message.body
    assert links(message.body)[0] == f"https://testserver/evaluate/{opportunity.pk}/"
    assert "To stop" not in message.body


def test_an_eligibility_decision_links_to_asking_for_a_review_with_no_way_to_stop_it(
    policy, authority, parent, officer, mailoutbox, django_capture_on_commit_callbacks
):
    child = make_child(make_family(authority, carer_user=parent), "Sam")
    application = application_submit(child=child, declarations={"substantial": True}, evidence=[], submitted_by=parent)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_decide(
            application=application, decided_by=officer, approve=False, reasons="Universal activities meet Sam's needs."
        )
    (message,) = mailoutbox
    assert_on_host(message, "testserver")
    assert "your family applied to Dovebridge Borough Council for targeted short breaks for Sam" in message.body
    assert f"https://testserver/family/applications/{application.pk}/review/" in links(message.body)
    # A decision is statutory: nobody opts out of it.
    assert "To stop" not in message.body


def test_the_officers_told_of_an_application_get_an_absolute_link(
    policy, authority, parent, officer, mailoutbox, django_capture_on_commit_callbacks
):
    child = make_child(make_family(authority, carer_user=parent), "Sam")
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(child=child, declarations={}, evidence=[], submitted_by=parent)
    (message,) = [m for m in mailoutbox if m.to == [officer.email]]
    assert_on_host(message, "testserver")
    assert links(message.body)[0] == f"https://testserver/caseload/applications/{application.pk}/"


def test_a_provider_whose_change_is_live_gets_the_link_to_the_public_page(
    organisation, provider, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    service = make_service(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        change = service_change_submit(
            organisation=organisation,
            service=service,
            proposed={**service_snapshot(service), "description": "Now with swimming."},
            submitted_by=provider,
        )
    review = mailoutbox[-1]
    assert review.to == [commissioner.email]
    assert_on_host(review, "testserver")
    assert links(review.body)[0] == f"https://testserver/manage/changes/{change.pk}/"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        listing_change_approve(change=change, decided_by=commissioner)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([organisation.email, provider.email])
    for message in mailoutbox:
        assert_on_host(message, "testserver")
        assert f"https://testserver/services/{service.pk}/" in links(message.body)
