"""Opening an account as a parent or carer: the email is confirmed before any role works, an
address that already has an account is never revealed, and emails are one person whatever
their case."""

import re

import pytest
from django.db import IntegrityError, transaction

from shortbreaks.accounts.models import OneTimeLink, RoleAssignment, User
from shortbreaks.core.roles import Role

from .factories import PASSWORD, make_user

NEW_PASSWORD = "a-long-family-password-9"


def sign_up(client, email="Priya.Shah@Example.org", **extra):
    data = {
        "full_name": "Priya Shah",
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "agree": "on",
    } | extra
    return client.post("/accounts/create/", data)


def link_in(message, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S+/)", message.body).group(1)


@pytest.fixture
def signed_up(client, authority, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302 and response.url == "/accounts/create/check-your-email/"
    return User.objects.get(email="priya.shah@example.org")


def test_a_parent_signs_up_confirms_and_can_then_add_a_child(client, authority, signed_up, mailoutbox):
    assert not signed_up.email_confirmed
    assert signed_up.username == "priya.shah@example.org"
    (message,) = mailoutbox
    assert message.to == ["priya.shah@example.org"] and "Why you got this email" in message.body
    # Before confirming, the parent role does nothing.
    client.post("/accounts/sign-in/", {"username": "PRIYA.SHAH@example.org", "password": NEW_PASSWORD})
    assert client.get("/family/children/new/").status_code == 403
    assert "Confirm your email address" in client.get("/accounts/home/").content.decode()
    # The link confirms the address, once, and the parent lands on their family.
    link = link_in(message, "/accounts/confirm/")
    assert link.startswith("/accounts/confirm/")
    assert "Your email address is confirmed" in client.get(link).content.decode()
    home = client.get("/accounts/home/")
    assert home.status_code == 302 and home.url == "/family/"
    assert client.get("/family/children/new/").status_code == 200
    again = client.get(link)
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_an_expired_link_says_so_and_offers_another(client, authority, signed_up, mailoutbox, clock):
    import datetime as dt

    link = link_in(mailoutbox[0], "/accounts/confirm/")
    clock.shift(dt.timedelta(hours=49))
    page = client.get(link)
    assert (
        page.status_code == 410 and "expired" in page.content.decode() and "Send me a new link" in page.content.decode()
    )
    assert not User.objects.get(pk=signed_up.pk).email_confirmed


def test_signing_up_with_an_address_that_has_an_account_reveals_nothing(
    client, authority, mailoutbox, django_capture_on_commit_callbacks
):
    existing = make_user(authority, Role.PARENT, email="dad@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="DAD@example.org")
    # The same page as a new sign-up; nothing is created; the owner is told by email.
    assert response.status_code == 302 and response.url == "/accounts/create/check-your-email/"
    assert User.objects.filter(email="dad@example.org").count() == 1
    assert existing.check_password(PASSWORD)
    (message,) = mailoutbox
    assert message.subject == "You already have a short breaks account" and message.to == ["dad@example.org"]


def test_bad_input_is_kept_with_a_message_for_each_field(client, authority):
    page = sign_up(client, email="not-an-email", password2="different", agree="").content.decode()
    assert "There is a problem" in page
    assert "Enter an email address in the right format" in page
    assert "The passwords do not match" in page
    assert "Confirm you have read the privacy notice" in page
    assert 'value="Priya Shah"' in page and 'value="not-an-email"' in page
    assert not User.objects.filter(full_name="Priya Shah").exists()
    empty = client.post("/accounts/create/", {"full_name": ""}).content.decode()
    assert "Enter your full name" in empty and "Enter your email address" in empty and "Create a password" in empty
    weak = sign_up(client, email="a@example.org", password1="password", password2="password").content.decode()
    assert "This password is too common" in weak


def test_sign_ups_are_throttled_per_address(client, authority, settings):
    from shortbreaks.accounts.services import signup

    for n in range(signup.SIGN_UPS_PER_ADDRESS):
        assert sign_up(client, email=f"p{n}@example.org").status_code == 302
    page = sign_up(client, email="one.more@example.org").content.decode()
    assert "Too many accounts" in page and not User.objects.filter(email="one.more@example.org").exists()


def test_emails_are_one_person_whatever_their_case(authority):
    make_user(authority, email="sam@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Below the model, the database itself refuses a second account for the address.
        User.objects.bulk_create([User(username="other", email="sam@example.org")])
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(username="upper", email="Upper@example.org")])
    assert User.objects.get_by_natural_key("SAM@Example.org").email == "sam@example.org"


def test_sign_in_and_reset_ignore_the_case_of_the_address(
    client, authority, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(authority, Role.PARENT, email="mixed@example.org")
    response = client.post("/accounts/sign-in/", {"username": "Mixed@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302 and client.get(response.url).url == "/family/"
    client.post("/accounts/sign-out/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "MIXED@example.org"})
    assert [m.to for m in mailoutbox] == [["mixed@example.org"]]


def test_the_sign_in_and_eligibility_pages_lead_to_sign_up(client, authority):
    assert "/accounts/create/" in client.get("/accounts/sign-in/").content.decode()
    assert "/accounts/create/" in client.get("/").content.decode()


def test_the_privacy_notice_states_the_authoritys_retention(client, authority):
    from shortbreaks.accounts.models import AccountPolicy

    AccountPolicy.objects.create(authority=authority, version=2, record_kept_until_age=26)
    page = client.get("/accounts/privacy/").content.decode()
    assert "until their 26th birthday" in page and authority.name in page


def test_every_authority_gets_an_account_policy(authority):
    from shortbreaks.accounts.models import AccountPolicy
    from shortbreaks.core.models import Authority

    made = Authority.objects.create(slug="wren", name="Wren District Council", hostnames="wren.test")
    assert AccountPolicy.objects.filter(authority=made, version=1).exists()
    assert AccountPolicy.objects.filter(authority=authority).exists()


def test_closing_an_account_keeps_the_councils_record(client, authority):
    from .factories import make_family

    parent = make_user(authority, Role.PARENT, email="closing@example.org")
    family = make_family(authority, carer_user=parent)
    client.force_login(parent)
    page = client.get("/accounts/settings/close/").content.decode()
    assert "What the council keeps" in page and "25th birthday" in page
    wrong = client.post("/accounts/settings/close/", {"password": "not it"}).content.decode()
    assert "That password is not right" in wrong
    response = client.post("/accounts/settings/close/", {"password": PASSWORD})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert not parent.is_active and parent.closed_at and parent.email.startswith("closed-")
    assert not parent.has_usable_password() and not RoleAssignment.objects.filter(user=parent).exists()
    # The family's record, with the carer's name and contact, stays with the council.
    carer = family.carers.get()
    assert carer.full_name and carer.user_id == parent.pk
    assert (
        client.post("/accounts/sign-in/", {"username": "closing@example.org", "password": PASSWORD}).status_code == 200
    )
    assert OneTimeLink.objects.count() == 0
