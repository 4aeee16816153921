"""The authority administrator's work, invitations into staff accounts, and each person's home."""

import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from shortbreaks.accounts.models import Invitation, RoleAssignment, User
from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role

from .factories import PASSWORD, make_organisation, make_user

NEW_PASSWORD = "a-long-officer-password-7"


def code_for(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def invitation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitations/\S+/)", message.body).group(1)


@pytest.fixture
def administrator(authority):
    return make_user(authority, Role.ADMINISTRATOR, email="admin.person@example.org")


@pytest.fixture
def as_administrator(client, administrator):
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(administrator)
    device = TOTPDevice.objects.create(user=administrator, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_an_administrator_invites_an_officer_who_sets_a_password_and_app_in_one_visit(
    as_administrator, authority, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_administrator.post(
            "/accounts/staff/invite/",
            {"full_name": "Olu Bello", "email": "Olu.Bello@Example.org", "roles": [Role.OFFICER]},
        )
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == ["olu.bello@example.org"] and "authenticator app" in message.body
    link = invitation_link(message)
    officer = Client()
    page = officer.get(link).content.decode()
    assert "Accept your invitation" in page and 'value="Olu Bello"' in page
    short = officer.post(link, {"full_name": "Olu Bello", "password1": "short", "password2": "short"}).content.decode()
    assert "This password is too short" in short
    response = officer.post(link, {"full_name": "Olu Bello", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/")
    # The app is set up straight away: the invitation proved the address.
    page = officer.get(response.url).content.decode()
    assert 'id="totp-secret"' in page
    user = User.objects.get(email="olu.bello@example.org")
    assert user.email_confirmed and user.roles_in(authority) == {Role.OFFICER}
    device = TOTPDevice.objects.get(user=user)
    done = officer.post("/accounts/two-factor/", {"code": code_for(device), "next": "/accounts/home/"})
    assert done.status_code == 302 and done.url == "/accounts/home/"
    home = officer.get("/accounts/home/")
    assert home.status_code == 302 and home.url == "/caseload/"
    assert officer.get("/caseload/").status_code == 200
    # The link worked once.
    used = officer.get(link)
    assert used.status_code == 410 and "already been accepted" in used.content.decode()
    assert AuditEvent.objects.filter(action="invitation.accepted").exists()


def test_an_invitation_with_only_the_password_never_enrols_an_app_later(
    as_administrator, authority, mailoutbox, django_capture_on_commit_callbacks
):
    """Someone who accepted and left before scanning the code must come back through the email."""
    with django_capture_on_commit_callbacks(execute=True):
        as_administrator.post(
            "/accounts/staff/invite/", {"full_name": "Ann", "email": "ann@example.org", "roles": [Role.OFFICER]}
        )
    officer = Client()
    link = invitation_link(mailoutbox[0])
    officer.post(link, {"full_name": "Ann Lee", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    stranger = Client()
    stranger.post("/accounts/sign-in/", {"username": "ann@example.org", "password": NEW_PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        page = stranger.get("/accounts/two-factor/").content.decode()
    assert "Check your email" in page and "totp-secret" not in page


def test_expired_invitations_say_so_and_can_be_sent_again(
    as_administrator, authority, mailoutbox, django_capture_on_commit_callbacks, clock
):
    import datetime as dt

    with django_capture_on_commit_callbacks(execute=True):
        as_administrator.post(
            "/accounts/staff/invite/", {"full_name": "Bo", "email": "bo@example.org", "roles": [Role.COMMISSIONER]}
        )
    link = invitation_link(mailoutbox[0])
    clock.shift(dt.timedelta(days=8))
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 410 and "expired" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(link, {})
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["bo@example.org"]
    fresh = invitation_link(mailoutbox[1])
    assert visitor.get(fresh).status_code == 200


def test_the_invite_form_keeps_what_was_typed(as_administrator):
    page = as_administrator.post("/accounts/staff/invite/", {"full_name": "Cy", "email": "cy@"}).content.decode()
    assert "There is a problem" in page and "Choose at least one role" in page
    assert "Enter an email address in the right format" in page and 'value="Cy"' in page
    assert not Invitation.objects.exists()


def test_roles_are_given_and_removed_with_an_audit_row(as_administrator, authority):
    officer = make_user(authority, Role.OFFICER)
    response = as_administrator.post(
        f"/accounts/staff/{officer.pk}/", {"roles": [Role.OFFICER, Role.SAFEGUARDING_OFFICER]}
    )
    assert response.status_code == 302
    assert set(RoleAssignment.objects.filter(user=officer).values_list("role", flat=True)) == {
        Role.OFFICER,
        Role.SAFEGUARDING_OFFICER,
    }
    event = AuditEvent.objects.get(action="staff.roles")
    assert event.details["given"] == [Role.SAFEGUARDING_OFFICER]


def test_an_authority_never_loses_its_last_administrator(as_administrator, administrator, authority):
    page = as_administrator.post(f"/accounts/staff/{administrator.pk}/", {"roles": [Role.OFFICER]})
    assert page.status_code == 200 and "only administrator" in page.content.decode()
    assert RoleAssignment.objects.filter(user=administrator, role=Role.ADMINISTRATOR).exists()
    own = as_administrator.post(f"/accounts/staff/{administrator.pk}/switch-off/")
    assert own.status_code == 400 and "cannot switch off your own account" in own.content.decode()
    second = make_user(authority, Role.ADMINISTRATOR)
    assert as_administrator.post(f"/accounts/staff/{administrator.pk}/", {"roles": [Role.OFFICER]}).status_code == 302
    assert second.roles_in(authority) == {Role.ADMINISTRATOR}


def test_switching_off_stops_sign_in(as_administrator, authority):
    officer = make_user(authority, Role.OFFICER, email="off@example.org")
    assert as_administrator.post(f"/accounts/staff/{officer.pk}/switch-off/").status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    page = Client().post("/accounts/sign-in/", {"username": "off@example.org", "password": PASSWORD})
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="staff.switched_off", target_id=str(officer.pk)).exists()


def test_a_lost_phone_is_reset_and_enrolled_again_through_a_new_invitation(
    as_administrator, authority, mailoutbox, django_capture_on_commit_callbacks
):
    officer = make_user(authority, Role.OFFICER, email="lost@example.org")
    old = TOTPDevice.objects.create(user=officer, name="old", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert as_administrator.post(f"/accounts/staff/{officer.pk}/reset-app/").status_code == 302
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(action="staff.second_factor_reset").exists()
    link = invitation_link(mailoutbox[-1])
    person = Client()
    # The account exists: they sign in with the password first, then accept and set up the app.
    to_sign_in = person.get(link)
    assert to_sign_in.status_code == 302 and to_sign_in.url.startswith("/accounts/sign-in/")
    signed = person.post("/accounts/sign-in/", {"username": "lost@example.org", "password": PASSWORD, "next": link})
    assert signed.status_code == 302 and signed.url == link
    accepted = person.post(link, {})
    assert accepted.status_code == 302 and accepted.url.startswith("/accounts/two-factor/")
    assert 'id="totp-secret"' in person.get(accepted.url).content.decode()


def test_only_administrators_reach_the_staff_pages(client, authority):
    for role in (Role.COMMISSIONER, Role.OFFICER, Role.PARENT, Role.PROVIDER):
        organisation = make_organisation(authority, name=f"Org {role}") if role == Role.PROVIDER else None
        person = make_user(authority, role, organisation=organisation)
        client.force_login(person)
        assert client.get("/accounts/staff/").status_code in (302, 403)
    client.logout()
    assert client.get("/accounts/staff/").status_code == 302


def test_a_staff_member_of_another_council_is_not_found(as_administrator, authority, other_authority):
    elsewhere = make_user(other_authority, Role.OFFICER)
    assert as_administrator.get(f"/accounts/staff/{elsewhere.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.PARENT, "/family/"),
        (Role.PERSONAL_ASSISTANT, "/assistant/"),
        (Role.PANEL_MEMBER, "/evaluate/"),
        (Role.YOUNG_PERSON, "/me/"),
    ],
)
def test_each_role_lands_on_its_own_home(client, authority, role, home):
    from django.urls import reverse

    from shortbreaks.accounts.selectors import HOMES

    person = make_user(authority, role, email=f"{role}@example.org")
    response = client.post("/accounts/sign-in/", {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/home/"
    assert client.get("/accounts/home/").url == reverse(HOMES[role][0])


def test_someone_with_several_roles_chooses(client, authority, other_authority):
    person = make_user(authority, Role.PARENT, email="both@example.org")
    RoleAssignment.objects.create(user=person, authority=authority, role=Role.PANEL_MEMBER)
    RoleAssignment.objects.create(user=person, authority=other_authority, role=Role.PARENT)
    client.force_login(person)
    page = client.get("/accounts/home/").content.decode()
    assert "Where do you want to go?" in page and "Your family" in page and "Your evaluations" in page
    assert "Kestrel County Council" in page and "https://kestrel.test/accounts/home/" in page


def test_a_safe_next_is_followed_and_an_unsafe_one_is_not(client, authority):
    person = make_user(authority, Role.PARENT, email="next@example.org")
    ok = client.post("/accounts/sign-in/", {"username": person.email, "password": PASSWORD, "next": "/bookings/"})
    assert ok.url == "/bookings/"
    client.logout()
    away = client.post(
        "/accounts/sign-in/", {"username": person.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert away.url == "/accounts/home/"


def test_the_public_home_says_who_is_signed_in(client, authority):
    person = make_user(authority, Role.PARENT, email="shown@example.org")
    client.force_login(person)
    page = client.get("/").content.decode()
    assert "You are signed in as shown" in page and "/accounts/home/" in page


def test_missing_and_forbidden_pages_keep_the_sites_layout(client, authority, settings):
    settings.DEBUG = False
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    assert authority.name in missing.content.decode()
    client.force_login(make_user(authority, Role.PARENT))
    forbidden = client.get("/manage/")
    assert forbidden.status_code == 403 and "You cannot see this page" in forbidden.content.decode()


def test_a_withdrawn_invitation_cannot_be_sent_again_by_whoever_holds_the_link(
    as_administrator, authority, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_administrator.post(
            "/accounts/staff/invite/", {"full_name": "Di", "email": "di@example.org", "roles": [Role.OFFICER]}
        )
    link = invitation_link(mailoutbox[0])
    invitation = Invitation.objects.get()
    as_administrator.post(f"/accounts/staff/invitations/{invitation.pk}/withdraw/", {})
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert "withdrawn" in page and "Send a new invitation" not in page
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(link, {})
    assert len(mailoutbox) == 1


def test_switched_off_then_on_and_reset_the_password_still_works(
    as_administrator, authority, mailoutbox, django_capture_on_commit_callbacks
):
    officer = make_user(authority, Role.OFFICER, email="back@example.org")
    TOTPDevice.objects.create(user=officer, name="old", confirmed=True)
    as_administrator.post(f"/accounts/staff/{officer.pk}/switch-off/")
    person = Client()
    refused = person.post("/accounts/sign-in/", {"username": "back@example.org", "password": PASSWORD})
    assert "This account has been switched off" in refused.content.decode()
    as_administrator.post(f"/accounts/staff/{officer.pk}/switch-on/")
    with django_capture_on_commit_callbacks(execute=True):
        as_administrator.post(f"/accounts/staff/{officer.pk}/reset-app/")
    signed = person.post("/accounts/sign-in/", {"username": "back@example.org", "password": PASSWORD})
    assert signed.status_code == 302
