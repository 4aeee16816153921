"""Accounts from nothing, in the browser: each person starts from an empty browser and takes
every step themselves; only the emailed links are read from the test outbox."""

import pytest

from shortbreaks.core.roles import Role

from ..factories import PASSWORD, make_user
from .pages import assert_accessible, current_code, emailed_path, sign_in, sign_out

NEW_PASSWORD = "a-long-and-private-passphrase-4"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_parent_signs_up_confirms_adds_a_child_and_applies(page, live_server, authority, policy, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/eligibility/")
    page.get_by_role("link", name="Create an account to apply").click()
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Nadia Rahman")
    page.get_by_label("Email address").fill("Nadia.Rahman@example.org")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill("a different one")
    page.get_by_role("button", name="Create account").click()
    # A mistake keeps what was typed and says what to do.
    assert "The passwords do not match" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Email address").input_value() == "Nadia.Rahman@example.org"
    assert_accessible(page)
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_label("I have read how the council uses my information").check()
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_accessible(page)
    page.goto(live_server.url + emailed_path("nadia.rahman@example.org", "/accounts/confirm/"))
    assert "Your email address is confirmed" in page.content()
    page.get_by_role("link", name="Continue").click()
    assert page.url.endswith("/family/")
    page.get_by_role("link", name="Tell us about your child").click()
    page.get_by_label("Your home postcode").fill("DE22 1AB")
    page.get_by_label("Email").check()
    page.get_by_label("First name").fill("Zain")
    page.get_by_label("Last name").fill("Rahman")
    page.get_by_label("Date of birth").fill("2017-05-09")
    page.get_by_label("Autism").check()
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Prefer not to say").last.check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Apply for targeted short breaks for Zain").click()
    page.get_by_label("Your child's disability has a substantial").check()
    page.get_by_role("button", name="Send the application").click()
    assert "We have your application for Zain" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)


def test_an_administrator_invites_an_officer_who_lands_on_the_caseload(page, live_server, authority):
    make_user(authority, Role.ADMINISTRATOR, email="sam.admin@example.org")
    sign_in(page, live_server, "sam.admin@example.org", PASSWORD)
    assert page.url.endswith("/accounts/staff/")
    page.get_by_role("link", name="Invite a member of staff").click()
    page.get_by_label("Full name").fill("Olu Bello")
    page.get_by_label("Work email address").fill("olu.bello@example.org")
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()
    assert "Choose at least one role" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Full name").input_value() == "Olu Bello"
    page.get_by_label("Council officer").check()
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to olu.bello@example.org" in page.content()
    assert "olu.bello@example.org" in page.locator("#invitations").inner_text()
    sign_out(page)

    page.context.clear_cookies()
    page.goto(live_server.url + emailed_path("olu.bello@example.org", "/accounts/invitations/"))
    assert_accessible(page)
    assert page.get_by_label("Your full name").input_value() == "Olu Bello"
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account and accept").click()
    # Straight on to the authenticator app, in the same visit.
    assert page.locator("#totp-secret").is_visible()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code("olu.bello@example.org"))
    page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/caseload/")
    assert_accessible(page)
