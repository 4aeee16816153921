"""Provider self-service: changes wait for a commissioner, the public sees only approved
versions, history can be restored, and nobody edits another's records."""

import pytest

from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed
from shortbreaks.core.models import AuditEvent
from shortbreaks.directory.models import ListingChange, Service
from shortbreaks.directory.services.listings import (
    listing_change_approve,
    listing_change_return,
    listing_version_restore,
    organisation_change_submit,
    service_change_submit,
)
from shortbreaks.directory.services.snapshots import organisation_snapshot, service_snapshot

from .factories import make_location, make_service, sign_in


@pytest.fixture
def service(organisation):
    return make_service(organisation, name="Saturday Club", location=make_location(organisation))


def proposed_from(service, **changes):
    snapshot = service_snapshot(service)
    snapshot.update(changes)
    return snapshot


def test_edit_waits_for_approval_then_goes_live(
    service, organisation, provider, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = service_change_submit(
            organisation=organisation,
            service=service,
            submitted_by=provider,
            proposed=proposed_from(service, name="Saturday Splash Club", capacity=12),
        )
    service.refresh_from_db()
    assert service.name == "Saturday Club"  # the public still sees the approved version
    assert mailoutbox[-1].to == ["commissioner@example.org"]

    with django_capture_on_commit_callbacks(execute=True):
        listing_change_approve(change=change, decided_by=commissioner)
    service.refresh_from_db()
    assert service.name == "Saturday Splash Club" and service.capacity == 12
    live = [m for m in mailoutbox if "is live" in m.subject]
    assert sorted(m.to[0] for m in live) == [
        "provider@example.org",
        "rainbow@example.org",
    ]  # the user, the organisation
    actions = list(AuditEvent.objects.filter(target_id=str(service.pk)).values_list("action", flat=True))
    assert set(actions) == {"listing.submitted", "listing.approved"}
    approved = AuditEvent.objects.get(action="listing.approved")
    assert approved.actor == commissioner and approved.details["changed"] == ["capacity", "name"]


def test_new_service_is_hidden_until_approved(organisation, provider, commissioner, service, client):
    proposed = proposed_from(service, name="Brand New Club")
    change = service_change_submit(organisation=organisation, service=None, proposed=proposed, submitted_by=provider)
    new = change.service
    assert not new.is_published
    assert client.get(f"/services/{new.pk}/").status_code == 404
    listing_change_approve(change=change, decided_by=commissioner)
    assert client.get(f"/services/{new.pk}/").status_code == 200


def test_return_needs_a_reason_and_tells_the_provider(
    service, organisation, provider, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    change = service_change_submit(
        organisation=organisation,
        service=service,
        submitted_by=provider,
        proposed=proposed_from(service, description="Too short"),
    )
    with pytest.raises(NotAllowed):
        listing_change_return(change=change, decided_by=commissioner, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        listing_change_return(change=change, decided_by=commissioner, reason="Please describe the activities.")
    change.refresh_from_db()
    assert change.status == "returned" and change.reason == "Please describe the activities."
    assert "Please describe the activities." in mailoutbox[-1].body
    with pytest.raises(ChangedMeanwhile):
        listing_change_approve(change=change, decided_by=commissioner)


def test_a_newer_draft_supersedes_the_pending_one(service, organisation, provider):
    first = service_change_submit(
        organisation=organisation, service=service, submitted_by=provider, proposed=proposed_from(service, name="A")
    )
    second = service_change_submit(
        organisation=organisation, service=service, submitted_by=provider, proposed=proposed_from(service, name="B")
    )
    first.refresh_from_db()
    assert first.status == "superseded" and second.status == "pending"


def test_approval_refuses_when_the_service_changed_meanwhile(service, organisation, provider, commissioner):
    change = service_change_submit(
        organisation=organisation,
        service=service,
        submitted_by=provider,
        proposed=proposed_from(service, name="Edited"),
    )
    Service.objects.filter(pk=service.pk).update(capacity=99)
    with pytest.raises(ChangedMeanwhile):
        listing_change_approve(change=change, decided_by=commissioner)
    change.refresh_from_db()
    assert change.status == "pending"


def test_history_can_be_restored(service, organisation, provider, commissioner):
    first = service_change_submit(
        organisation=organisation,
        service=service,
        submitted_by=provider,
        proposed=proposed_from(service, name="Version One"),
    )
    listing_change_approve(change=first, decided_by=commissioner)
    second = service_change_submit(
        organisation=organisation,
        service=Service.objects.get(pk=service.pk),
        submitted_by=provider,
        proposed=proposed_from(Service.objects.get(pk=service.pk), name="Version Two"),
    )
    listing_change_approve(change=second, decided_by=commissioner)
    restored = listing_version_restore(version=first, restored_by=commissioner)
    service.refresh_from_db()
    assert service.name == "Version One"
    assert restored.restored_from == first and restored.original["name"] == "Version Two"
    assert AuditEvent.objects.filter(action="listing.restored", target_id=str(service.pk)).exists()


def test_organisation_changes_go_through_approval(organisation, provider, commissioner):
    proposed = dict(organisation_snapshot(organisation), name="Rainbow Family Trust", is_small=True)
    change = organisation_change_submit(organisation=organisation, proposed=proposed, submitted_by=provider)
    organisation.refresh_from_db()
    assert organisation.name == "Rainbow Trust"
    listing_change_approve(change=change, decided_by=commissioner)
    organisation.refresh_from_db()
    assert organisation.name == "Rainbow Family Trust" and organisation.is_small


def test_provider_cannot_submit_for_another_organisations_service(service, other_organisation, other_provider):
    with pytest.raises(NotAllowed):
        service_change_submit(
            organisation=other_organisation,
            service=service,
            submitted_by=other_provider,
            proposed=service_snapshot(service),
        )


# The pages.


def service_form_data(**overrides):
    data = {
        "name": "Saturday Club",
        "description": "Games and crafts.",
        "status": "active",
        "break_kinds": ["weekend"],
        "needs": ["autism", "adhd"],
        "minimum_age": "5",
        "maximum_age": "12",
        "capacity": "10",
        "days": ["SA"],
        "opens_at": "10:00",
        "closes_at": "15:00",
        "is_free": "",
        "cost_amount": "12.50",
        "cost_description": "per session",
        "areas": "de1, DE22",
        "send_support": "Quiet room.",
        "staff_training": "Makaton.",
        "accessibility": "Step-free.",
        "how_to_contact": "Call us.",
        "registration": "",
    }
    data.update(overrides)
    return data


def test_provider_edit_page_submits_for_approval(client, service, provider, organisation):
    sign_in(client, provider)
    response = client.post(f"/provider/services/{service.pk}/", service_form_data(name="Saturday Fun Club"))
    assert response.status_code == 302
    change = ListingChange.objects.get(service=service, status="pending")
    assert change.proposed["name"] == "Saturday Fun Club" and change.proposed["areas"] == ["DE1", "DE22"]
    assert change.proposed["costs"] == [{"option": "", "amount": "12.50", "amount_description": "per session"}]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"needs": []}, "Select at least one need the service supports"),
        ({"minimum_age": "12", "maximum_age": "5"}, "Oldest age must be the same as or more than the youngest age"),
        ({"cost_amount": "", "fees": ""}, "Enter the cost, or say the service is free"),
        ({"areas": "nowhere at all"}, "Enter postcode districts separated by commas, like DE1, DE22"),
        ({"opens_at": "breakfast"}, "Enter a start time as a time, like 10am or 2:30pm"),
        ({"registration": "ofsted", "registration_number": ""}, "Enter the registration number"),
    ],
)
def test_provider_edit_page_explains_bad_input_and_saves_nothing(client, service, provider, overrides, message):
    sign_in(client, provider)
    response = client.post(f"/provider/services/{service.pk}/", service_form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not ListingChange.objects.exists()


def test_provider_cannot_open_another_organisations_service(client, service, other_provider):
    sign_in(client, other_provider)
    assert client.get(f"/provider/services/{service.pk}/").status_code == 404


def test_commissioner_sees_the_change_side_by_side_and_approves(client, service, organisation, provider, commissioner):
    change = service_change_submit(
        organisation=organisation,
        service=service,
        submitted_by=provider,
        proposed=proposed_from(service, name="Saturday Splash Club"),
    )
    sign_in(client, commissioner)
    html = client.get(f"/manage/changes/{change.pk}/").content.decode()
    assert "Saturday Club" in html and "Saturday Splash Club" in html and "Changed" in html
    response = client.post(f"/manage/changes/{change.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Saturday Splash Club"


def test_commissioner_of_another_authority_cannot_review(client, service, organisation, provider, other_authority):
    from shortbreaks.core.roles import Role

    from .factories import make_user

    stranger = make_user(other_authority, Role.COMMISSIONER)
    change = service_change_submit(
        organisation=organisation, service=service, submitted_by=provider, proposed=proposed_from(service, name="X")
    )
    sign_in(client, stranger)
    # On this council's site they hold no role; on their own council's site the change does not exist.
    assert client.get(f"/manage/changes/{change.pk}/").status_code == 403
    assert client.get(f"/manage/changes/{change.pk}/", HTTP_HOST="kestrel.test").status_code == 404
