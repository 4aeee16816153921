import re

import pytest

from shortbreaks.accounts.roles import Role

from .conftest import PASSWORD, make_user


@pytest.fixture
def person(authority):
    return make_user(authority, Role.COMMISSIONER, email="cara@example.org")


def test_sign_in_and_out(client, person):
    response = client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 200
    client.post("/accounts/sign-out/")
    assert client.get("/manage/").status_code == 302


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
    assert client.post("/accounts/sign-in/", {"username": "cara@example.org", "password": new_password}).status_code == 302


def test_reset_for_an_unknown_email_does_not_reveal_it(client, authority, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and mailoutbox == []
