"""Providers register their organisation: a pending organisation and an account whose roles
work once its email is confirmed; nothing of it public until a commissioner approves it (who
sees likely duplicates first); its first person administers it, invites colleagues, removes
them and hands the role over, and it never loses its last administrator."""

import re
import threading

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import timezone

from shortbreaks.accounts.models import Invitation, RoleAssignment, User
from shortbreaks.core.errors import NotAllowed, ServiceError
from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.directory.forms.registration import (
    charity_number,
    company_number,
    cqc_location_id,
    full_postcode,
    ofsted_urn,
)
from shortbreaks.directory.models import Organisation
from shortbreaks.directory.services.listings import (
    listing_change_approve,
    organisation_change_submit,
    service_change_submit,
)
from shortbreaks.directory.services.members import administrator_set, colleague_remove
from shortbreaks.directory.services.snapshots import organisation_snapshot, service_snapshot
from shortbreaks.insight.selectors.statements import market_position, services_statement

from .factories import make_location, make_organisation, make_service, make_user, sign_in

NEW_PASSWORD = "a-long-provider-password-7"
ORGANISATION = {
    "name": "Hilltop Play",
    "kind": "voluntary",
    "description": "Play schemes for disabled children in the holidays.",
    "charity_number": "1123456",
    "company_number": "",
    "ofsted_urn": "ey 123456",
    "cqc_location_id": "",
    "address_line": "1 Hill Road",
    "town": "Dovebridge",
    "postcode": "de1 3ab",
    "contact_name": "Hana Hill",
    "contact_email": "Hello@Hilltop.example",
    "contact_phone": "01332 000000",
    "website": "",
}
ACCOUNT = {
    "full_name": "Hana Hill",
    "email": "Hana@Hilltop.example",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "agree": "on",
}


def register(client, **changes):
    return client.post("/providers/register/", {**ORGANISATION, **ACCOUNT, **changes})


def link_in(message, path: str) -> str:
    """The path part of an absolute link in an email."""
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", message.body).group(1)


def public(client, name: str) -> bool:
    """Whether the public can find a service by name: in the search, or through the ORUK API."""
    page = client.get("/services/").content.decode()
    api = client.get("/api/oruk/services", {"per_page": 50}).json()["contents"]
    return name in page or name in {s["name"] for s in api}


@pytest.fixture
def registered(client, authority, commissioner, mailoutbox, django_capture_on_commit_callbacks):
    """Hilltop Play, registered by someone signed out, who has then confirmed their email."""
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert response.status_code == 302 and response.url == "/accounts/create/check-your-email/"
    organisation = Organisation.objects.get(name="Hilltop Play")
    confirm = next(m for m in mailoutbox if m.to == ["hana@hilltop.example"])
    client.get(link_in(confirm, "/accounts/confirm/"))  # confirms and signs in
    mailoutbox.clear()
    return organisation


@pytest.fixture
def hana(registered):
    return User.objects.get(email="hana@hilltop.example")


# Registering


def test_registering_signed_out_makes_a_pending_organisation_and_an_unconfirmed_account(
    client, authority, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert response.status_code == 302 and response.url == "/accounts/create/check-your-email/"
    assert "hana@hilltop.example" in client.get(response.url).content.decode()
    organisation = Organisation.objects.get(name="Hilltop Play")
    assert organisation.registration == Organisation.Registration.PENDING and not organisation.is_published
    # Numbers, postcode and email kept in one form, whatever way they were typed.
    assert (organisation.ofsted_urn, organisation.postcode, organisation.email) == (
        "EY123456",
        "DE1 3AB",
        "hello@hilltop.example",
    )
    user = User.objects.get(email="hana@hilltop.example")
    assert not user.email_confirmed and organisation.registered_by == user
    assert RoleAssignment.objects.get(user=user).organisation == organisation
    assert RoleAssignment.objects.get(user=user).administers
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"account.opened", "organisation.registered"}
    # The commissioner is told, with an absolute link to the review page.
    (told,) = [m for m in mailoutbox if m.to == ["commissioner@example.org"]]
    assert told.subject == "Organisation to approve: Hilltop Play" and "Why you got this email" in told.body
    assert f"://testserver/manage/registrations/{organisation.pk}/" in told.body
    # Until the email is confirmed the provider role does nothing.
    client.post("/accounts/sign-in/", {"username": "hana@hilltop.example", "password": NEW_PASSWORD})
    assert client.get("/provider/").status_code == 403


def test_a_confirmed_registrant_sees_the_registration_waiting_and_drafts_a_listing(client, registered, hana):
    home = client.get("/provider/").content.decode()
    assert "Waiting for approval" in home and "Hilltop Play" in home
    assert client.get("/provider/services/new/").status_code == 200


def test_registering_with_an_address_that_has_an_account_shows_the_same_page_and_creates_nothing(
    client, authority, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(authority, Role.PARENT, email="hana@hilltop.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert response.status_code == 302 and response.url == "/accounts/create/check-your-email/"
    assert not Organisation.objects.filter(name="Hilltop Play").exists()
    assert User.objects.filter(email="hana@hilltop.example").count() == 1
    assert not RoleAssignment.objects.filter(role=Role.PROVIDER).exists()
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["hana@hilltop.example"], "You already have a short breaks account")
    ]
    assert not AuditEvent.objects.filter(action="organisation.registered").exists()


def test_registering_signed_in_makes_the_account_its_administrator(
    client, authority, parent, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, parent)
    page = client.get("/providers/register/").content.decode()
    assert 'name="password1"' not in page and 'name="name"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/providers/register/", ORGANISATION)
    organisation = Organisation.objects.get(name="Hilltop Play")
    assert response.status_code == 302 and response.url == f"/provider/?org={organisation.pk}"
    assignment = RoleAssignment.objects.get(user=parent, role=Role.PROVIDER)
    assert assignment.organisation == organisation and assignment.administers
    assert organisation.registered_by == parent and organisation.registration == "pending"
    assert "Waiting for approval" in client.get(response.url).content.decode()
    assert [m.to for m in mailoutbox] == [["commissioner@example.org"]]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("charity_number", "12345", "Enter a charity number in the right format"),
        ("company_number", "ABC12345", "Enter a company number in the right format"),
        ("ofsted_urn", "XY123456", "Enter an Ofsted URN in the right format"),
        ("cqc_location_id", "2-123456789", "Enter a CQC location ID in the right format"),
        ("postcode", "DE1", "Enter the whole postcode, like DE1 3AB"),
        ("postcode", "NOT A POSTCODE", "Enter a real postcode, like DE1 3AB"),
    ],
)
def test_a_badly_formed_number_gets_its_own_message_and_what_was_typed_is_kept(
    client, authority, field, value, message
):
    page = register(client, **{field: value}).content.decode()
    assert "There is a problem" in page and message in page
    assert f'value="{value}"' in page and 'value="Hilltop Play"' in page and 'value="Hana Hill"' in page
    assert not Organisation.objects.exists() and not User.objects.filter(email="hana@hilltop.example").exists()


def test_an_empty_form_says_what_each_field_needs(client, authority):
    page = client.post("/providers/register/", {}).content.decode()
    for message in (
        "Enter the organisation&#x27;s name",
        "Choose what kind of organisation it is",
        "Describe what your organisation does",
        "Enter the building and street of the organisation&#x27;s address",
        "Enter the town or city",
        "Enter the organisation&#x27;s postcode",
        "Enter the main contact&#x27;s name",
        "Enter the main contact&#x27;s email address",
        "Enter your full name",
        "Create a password",
        "Confirm you have read the privacy notice",
    ):
        assert message in page, message


@pytest.mark.parametrize(
    ("check", "typed", "kept"),
    [
        (charity_number, "1123456", "1123456"),
        (charity_number, "1123456-1", "1123456-1"),
        (charity_number, "sc 012345", "SC012345"),
        (charity_number, "NIC100001", "NIC100001"),
        (charity_number, "100001", "100001"),
        (company_number, "1234567", "01234567"),
        (company_number, "sc123456", "SC123456"),
        (company_number, "01234567", "01234567"),
        (ofsted_urn, "123456", "123456"),
        (ofsted_urn, "1234567", "1234567"),
        (ofsted_urn, "SC123456", "SC123456"),
        (cqc_location_id, "1-123456789", "1-123456789"),
        (cqc_location_id, "1-12345678901", "1-12345678901"),
        (full_postcode, "de13ab", "DE1 3AB"),
        (charity_number, "", ""),
    ],
)
def test_good_numbers_are_kept_in_one_form(check, typed, kept):
    assert check(typed) == kept


@pytest.mark.parametrize(
    ("check", "typed"),
    [
        (charity_number, "12345"),
        (charity_number, "123456789"),
        (charity_number, "SC12345"),
        (company_number, "123456789"),
        (company_number, "S1234567"),
        (ofsted_urn, "12345"),
        (ofsted_urn, "EY12345"),
        (cqc_location_id, "1-12345678"),
        (cqc_location_id, "123456789"),
    ],
)
def test_badly_formed_numbers_are_refused(check, typed):
    from django import forms

    with pytest.raises(forms.ValidationError):
        check(typed)


def test_changing_details_later_checks_the_numbers_too(client, authority, organisation, provider):
    sign_in(client, provider)
    data = organisation_snapshot(organisation) | {"website": "", "company_number": "12", "charity_number": "x1"}
    page = client.post("/provider/organisation/", data).content.decode()
    assert "Enter a charity number in the right format" in page
    good = client.post("/provider/organisation/", data | {"charity_number": "SC 012345"})
    assert good.status_code == 302
    change = organisation.changes.get()
    assert change.proposed["charity_number"] == "SC012345" and change.proposed["company_number"] == "00000012"


# The commissioner's decision


def test_the_commissioner_sees_a_likely_duplicate(client, authority, commissioner, registered):
    same_number = make_organisation(authority, name="Hill Top Children's Charity", charity_number="1123456")
    similar = make_organisation(authority, name="The Hilltop Play Ltd")
    make_location(similar, postcode="DE1 3AB")
    elsewhere = make_organisation(authority, name="Hilltop Play", postcode="DE22 1AB")
    unrelated = make_organisation(authority, name="Kingfisher Care", postcode="DE1 3AB")
    sign_in(client, commissioner)
    home = client.get("/manage/").content.decode()
    assert "Registrations waiting" in home and f"/manage/registrations/{registered.pk}/" in home
    assert f"/manage/registrations/{registered.pk}/" in client.get("/manage/organisations/").content.decode()
    page = client.get(f"/manage/registrations/{registered.pk}/").content.decode()
    duplicates = page.split('id="duplicates"')[1].split("</table>")[0]
    assert same_number.name.replace("'", "&#x27;") in duplicates and "The same charity number: 1123456" in duplicates
    assert similar.name in duplicates and "A similar name at the same postcode, DE1 3AB" in duplicates
    assert f"/manage/organisations/{elsewhere.pk}/" not in duplicates  # the same name, but elsewhere
    assert unrelated.name not in duplicates


def test_nothing_is_public_before_approval_and_approval_publishes(
    client, authority, commissioner, registered, hana, mailoutbox, django_capture_on_commit_callbacks
):
    # The provider drafts a service and the council approves the listing, and the details.
    template = make_service(make_organisation(authority, name="Template Org"), name="Template")
    change = service_change_submit(
        organisation=registered,
        service=None,
        proposed=service_snapshot(template) | {"name": "Hilltop Holiday Club", "locations": []},
        submitted_by=hana,
    )
    with django_capture_on_commit_callbacks(execute=True):
        listing_change_approve(change=change, decided_by=commissioner)
    assert {m.subject for m in mailoutbox} == {"Your change to Hilltop Holiday Club is approved"}
    assert "Families will see it once the council has approved Hilltop Play" in mailoutbox[0].body
    details = organisation_change_submit(
        organisation=registered,
        proposed=organisation_snapshot(registered) | {"description": "Holiday play schemes."},
        submitted_by=hana,
    )
    listing_change_approve(change=details, decided_by=commissioner)
    registered.refresh_from_db()
    service = change.service
    service.refresh_from_db()
    assert service.is_published and not registered.is_published  # approving listings publishes nothing
    assert "Shown once your organisation is approved" in client.get("/provider/").content.decode()
    client.logout()
    assert not public(client, "Hilltop Holiday Club")
    assert client.get(f"/services/{service.pk}/").status_code == 404
    assert client.get(f"/api/oruk/services/{service.pk}").status_code == 404
    # The commissioner approves the organisation: now its approved service is public.
    sign_in(client, commissioner)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/registrations/{registered.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.registration == "approved" and registered.is_published and registered.decided_by == commissioner
    assert sorted(m.to[0] for m in mailoutbox) == ["hana@hilltop.example", "hello@hilltop.example"]
    assert all(m.subject == "Hilltop Play is approved" for m in mailoutbox)
    assert f"://testserver/provider/?org={registered.pk}" in mailoutbox[0].body
    assert AuditEvent.objects.filter(action="organisation.approved", actor=commissioner).exists()
    client.logout()
    assert public(client, "Hilltop Holiday Club")
    assert client.get(f"/services/{service.pk}/").status_code == 200
    # A decided registration cannot be decided again.
    sign_in(client, commissioner)
    client.post(f"/manage/registrations/{registered.pk}/", {"decision": "refuse", "reason": "Too late"})
    registered.refresh_from_db()
    assert registered.registration == "approved"


def test_refusing_needs_a_reason_which_the_provider_is_told(
    client, authority, commissioner, registered, hana, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, commissioner)
    page = client.post(f"/manage/registrations/{registered.pk}/", {"decision": "refuse", "reason": "  "})
    assert page.status_code == 400 and "Say why you are refusing the registration" in page.content.decode()
    registered.refresh_from_db()
    assert registered.registration == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/manage/registrations/{registered.pk}/",
            {"decision": "refuse", "reason": "We could not find this charity on the register."},
        )
    registered.refresh_from_db()
    assert registered.registration == "refused" and not registered.is_published
    assert registered.refusal_reason == "We could not find this charity on the register."
    told = [m for m in mailoutbox if m.to == ["hana@hilltop.example"]]
    assert told and "We could not find this charity on the register." in told[0].body
    sign_in(client, hana)
    home = client.get("/provider/").content.decode()
    assert "Not approved" in home and "We could not find this charity on the register." in home


def test_only_commissioners_review_registrations(client, registered, hana, other_provider):
    for person in (hana, other_provider):
        sign_in(client, person)
        assert client.get(f"/manage/registrations/{registered.pk}/").status_code == 403


# People


@pytest.fixture
def colleague(registered):
    return make_user(registered.authority, Role.PROVIDER, organisation=registered, email="colleague@hilltop.example")


def people(client, organisation, **data):
    return client.post(f"/provider/people/?org={organisation.pk}", data)


def member_of(user, organisation):
    return RoleAssignment.objects.get(user=user, organisation=organisation)


def test_an_invited_colleague_accepts_by_the_emailed_link_and_acts_for_the_organisation(
    client, registered, hana, django_capture_on_commit_callbacks
):
    assert "People" in client.get("/provider/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = people(client, registered, action="invite", full_name="Cal Lee", email="Cal@Hilltop.example")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["cal@hilltop.example"] and "Hilltop Play" in message.subject
    link = link_in(message, "/accounts/invitations/")
    assert "cal@hilltop.example" in client.get(f"/provider/people/?org={registered.pk}").content.decode()
    client.logout()
    accepted = client.post(link, {"full_name": "Cal Lee", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert accepted.status_code == 302
    cal = User.objects.get(email="cal@hilltop.example")
    assignment = member_of(cal, registered)
    assert assignment.role == Role.PROVIDER and not assignment.administers
    assert client.get(f"/provider/?org={registered.pk}").status_code == 200
    assert AuditEvent.objects.filter(action="organisation.colleague_invited", actor=hana).exists()


def test_a_colleague_who_is_not_an_administrator_cannot_invite_or_remove(client, registered, hana, colleague):
    sign_in(client, colleague)
    page = client.get(f"/provider/people/?org={registered.pk}").content.decode()
    assert "ask an administrator" in page and 'value="invite"' not in page
    refused = people(client, registered, action="invite", full_name="Eve", email="eve@example.org")
    assert (
        refused.status_code == 400 and "Only an administrator of Hilltop Play can do that" in refused.content.decode()
    )
    assert not Invitation.objects.filter(email="eve@example.org").exists()
    refused = people(client, registered, action="remove", member=member_of(hana, registered).pk)
    assert "Only an administrator" in refused.content.decode()
    assert RoleAssignment.objects.filter(user=hana, organisation=registered).exists()
    with pytest.raises(NotAllowed):
        administrator_set(
            organisation=registered, member=member_of(colleague, registered), administers=True, changed_by=colleague
        )


def test_the_last_administrator_can_neither_leave_nor_be_removed_nor_step_down(client, registered, hana, colleague):
    mine = member_of(hana, registered)
    for action in ("leave", "step_down"):
        page = people(client, registered, action=action, member=mine.pk).content.decode()
        assert "You are the only administrator of Hilltop Play. Make someone else an administrator first." in page
    with pytest.raises(NotAllowed, match="only administrator"):
        colleague_remove(organisation=registered, member=mine, removed_by=hana)
    mine.refresh_from_db()
    assert mine.administers
    # Handing the role over: the colleague administers, and now Hana may leave.
    assert people(client, registered, action="hand_over", member=member_of(colleague, registered).pk).status_code == 302
    assert member_of(colleague, registered).administers and not member_of(hana, registered).administers
    assert people(client, registered, action="leave", member=mine.pk).status_code == 302
    assert not RoleAssignment.objects.filter(user=hana, organisation=registered).exists()
    # ...and the colleague, now the only one, cannot be removed either.
    sign_in(client, colleague)
    page = people(client, registered, action="leave", member=member_of(colleague, registered).pk).content.decode()
    assert "You are the only administrator" in page
    actions = set(AuditEvent.objects.filter(target_id=str(registered.pk)).values_list("action", flat=True))
    assert {"organisation.administrator_handed_over", "organisation.member_left"} <= actions


def test_an_administrator_shares_the_role_and_removes_a_colleague(
    client, registered, hana, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    theirs = member_of(colleague, registered)
    with django_capture_on_commit_callbacks(execute=True):
        assert people(client, registered, action="share", member=theirs.pk).status_code == 302
    assert member_of(colleague, registered).administers and member_of(hana, registered).administers
    assert mailoutbox[-1].to == ["colleague@hilltop.example"] and "administrator" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert people(client, registered, action="remove", member=theirs.pk).status_code == 302
    assert not RoleAssignment.objects.filter(user=colleague).exists()
    assert mailoutbox[-1].subject == "You no longer act for Hilltop Play"
    # A person who is not a member (or no id at all) is a form error, never a server error.
    for bad in ("x", str(theirs.pk), ""):
        page = people(client, registered, action="remove", member=bad)
        assert page.status_code == 400 and "Choose a person" in page.content.decode()


def test_a_provider_of_another_organisation_gets_a_404(client, registered, other_provider):
    sign_in(client, other_provider)
    assert client.get(f"/provider/people/?org={registered.pk}").status_code == 404
    assert people(client, registered, action="invite", full_name="Eve", email="eve@example.org").status_code == 404
    assert client.get(f"/provider/?org={registered.pk}").status_code == 404
    assert not Invitation.objects.exists()


def test_the_services_statement_names_no_service_of_an_organisation_waiting_for_approval(authority, organisation):
    waiting = make_organisation(authority, name="Waiting Trust", registration="pending", is_published=False)
    make_service(waiting, name="Secret Club")
    make_service(organisation, name="Open Club")
    statement = str(services_statement(authority=authority, today=timezone.localdate()))
    assert "Open Club" in statement and "Secret Club" not in statement
    assert market_position(authority=authority, today=timezone.localdate())["services"] == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_administrators_stepping_down_at_once_leave_one(authority):
    """Real concurrent transactions (SQLite serialises writers, so the race cannot happen there)."""
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL")
    organisation = make_organisation(authority, name="Twin Trust")
    people = [make_user(authority, Role.PROVIDER, organisation=organisation) for _ in range(2)]
    RoleAssignment.objects.filter(organisation=organisation).update(administers=True)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def step_down(user):
        close_old_connections()
        try:
            barrier.wait()
            administrator_set(
                organisation=organisation, member=member_of(user, organisation), administers=False, changed_by=user
            )
            outcomes.append("stepped down")
        except ServiceError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [
        "You are the only administrator of Twin Trust. Make someone else an administrator first.",
        "stepped down",
    ]
    assert RoleAssignment.objects.filter(organisation=organisation, administers=True).count() == 1
