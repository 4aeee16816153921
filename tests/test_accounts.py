import re
import time

import pytest

from shortbreaks.core.roles import Role

from .factories import PASSWORD, make_user


@pytest.fixture
def person(authority):
    return make_user(authority, Role.COMMISSIONER, email="cara@example.org")


def person_authority(user):
    return user.role_assignments.get().authority


def totp_code(device) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_staff_sign_in_needs_a_one_time_code_set_up_the_first_time(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    response = client.post(
        "/accounts/sign-in/", {"username": "cara@example.org", "password": PASSWORD, "next": "/manage/"}
    )
    assert response.status_code == 302
    # Until the second step, every page sends them to it.
    blocked = client.get("/manage/")
    assert blocked.status_code == 302 and blocked.url.startswith("/accounts/two-factor/")
    # The password alone does not show the app's secret: a link goes to the account's email.
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(blocked.url).content.decode()
    assert "Check your email" in page and "totp-secret" not in page and not TOTPDevice.objects.exists()
    link = re.search(r"https?://[^/]+(/accounts/two-factor/set-up/\S+/)", mailoutbox[-1].body).group(1)
    assert mailoutbox[-1].to == [person.email]
    page = client.get(client.get(link).url).content.decode()
    assert "Set up your authenticator app" in page and 'id="totp-secret"' in page and "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=person)
    assert not device.confirmed
    wrong = client.post("/accounts/two-factor/", {"code": "000000", "next": "/manage/"}).content.decode()
    assert "That code is not right" in wrong
    # A wrong code makes the next try wait (a second, doubling with each failure).
    throttled = client.post("/accounts/two-factor/", {"code": totp_code(device), "next": "/manage/"}).content.decode()
    assert "Too many wrong codes" in throttled
    time.sleep(1.1)
    ok = client.post("/accounts/two-factor/", {"code": totp_code(device), "next": "/manage/"})
    assert ok.status_code == 302 and ok.url == "/manage/"
    assert client.get("/manage/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    client.post("/accounts/sign-out/")
    assert client.get("/manage/").status_code == 302
    # The link worked once.
    client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": PASSWORD})
    assert client.get(link).status_code == 410


def test_someone_with_only_the_password_cannot_enrol_a_second_factor(
    client, person, mailoutbox, django_capture_on_commit_callbacks, clock
):
    import datetime as dt

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # reloading sends no flood of emails
            page = client.get("/accounts/two-factor/").content.decode()
            assert "totp-secret" not in page
        client.post("/accounts/two-factor/", {"code": "123456"})
    assert len(mailoutbox) == 1 and not TOTPDevice.objects.exists()
    assert client.get("/accounts/two-factor/set-up/made-up-token/").status_code == 410
    link = re.search(r"https?://[^/]+(/accounts/two-factor/set-up/\S+/)", mailoutbox[0].body).group(1)
    # Another account's link does nothing for this one.
    other = make_user(person_authority(person), Role.OFFICER, email="olu@example.org")
    client.logout()
    client.post("/accounts/sign-in/", {"username": other.email, "password": PASSWORD})
    assert client.get(link).status_code == 410
    # And a link past its day has expired.
    client.logout()
    clock.move_to(timezone.now() + dt.timedelta(hours=25))
    client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": PASSWORD})
    assert client.get(link).status_code == 410


def test_the_second_step_refuses_to_send_people_elsewhere(client, person):
    client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": PASSWORD})
    response = client.get("/accounts/two-factor/", {"next": "https://evil.example/"})
    assert 'value="/accounts/home/"' in response.content.decode()


def test_families_sign_in_with_a_password_alone(client, authority):
    make_user(authority, Role.PARENT, email="pat@example.org")
    client.post("/accounts/sign-in/", {"username": "pat@example.org", "password": PASSWORD})
    assert client.get("/family/").status_code == 200


def test_wrong_password_says_what_to_do(client, person):
    html = client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": "nope"}).content.decode()
    assert "There is a problem" in html and "Enter a correct email address and password" in html


def test_repeated_failures_lock_the_account_out(client, person):
    for _ in range(5):
        client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": "wrong"})
    response = client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert client.get("/manage/").status_code == 302


def test_password_reset_by_email(client, person, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "cara@example.org"})
    assert response.status_code == 302
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session one
    new_password = "a-brand-new-passphrase"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert (
        client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": new_password}).status_code == 302
    )
    assert client.get("/manage/").url.startswith("/accounts/two-factor/")


def test_reset_for_an_unknown_email_does_not_reveal_it(client, authority, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and mailoutbox == []


def test_demo_code_is_only_for_demo_accounts(authority):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="only works for the demo"):
        call_command("demo_code", "cara@example.org")
