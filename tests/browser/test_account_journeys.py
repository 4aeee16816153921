"""Accounts from nothing, in the browser: each person starts from an empty browser and takes
every step themselves; only the emailed links are read from the test outbox."""

import datetime as dt

import pytest
from django.utils import timezone

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
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2017")
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


def test_a_personal_assistant_registers_and_is_vetted(page, live_server, authority, officer):
    from shortbreaks.assistants.models import Assistant

    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("link", name="offer your services").click()
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Rosa Diaz")
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_label("Name families see").fill("Rosa D")
    page.get_by_label("Your postcode").fill("DE1 3AB")
    page.get_by_label("I have read how the council uses my information").check()
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    page.goto(live_server.url + emailed_path("rosa@example.org", "/accounts/confirm/"))
    page.get_by_role("link", name="Continue").click()
    assert page.url.endswith("/assistant/")
    assert_accessible(page)
    # Nothing is shown to families before vetting.
    assert not Assistant.objects.filter(status=Assistant.Status.VETTED).exists()
    page.get_by_role("link", name="Edit your profile").click()
    page.get_by_label("Autism").check()
    page.get_by_label("Enhanced DBS certificate number").fill("001234567890")
    page.get_by_label("Date the DBS certificate was issued").fill(
        (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Save your profile").click()
    for referee in ("Kim Lee", "Ola Nowak"):
        page.get_by_role("link", name="Add a referee").click()
        page.get_by_label("Referee's name").fill(referee)
        page.get_by_label("How they know you").fill("A past employer")
        page.get_by_label("Referee's email").fill(f"{referee.split()[0].lower()}@example.org")
        page.get_by_role("button", name="Add the referee").click()
    page.get_by_role("button", name="Ask to be vetted").click()
    assert "Sent" in page.locator(".govuk-notification-banner").inner_text()
    sign_out(page)

    sign_in(page, live_server, "officer@example.org", PASSWORD)
    page.goto(f"{live_server.url}/caseload/assistants/")
    page.get_by_role("link", name="Rosa D").click()
    assert_accessible(page)
    for box in page.locator("input[name='received']").all():
        box.check()
    page.get_by_role("button", name="Approve", exact=True).click()
    assert Assistant.objects.get(display_name="Rosa D").status == Assistant.Status.VETTED


def test_a_commissioner_invites_a_parent_to_a_panel_who_sets_criteria_and_later_scores(
    page, live_server, authority, commissioner
):
    from decimal import Decimal

    from shortbreaks.procurement.services import (
        lot_add,
        opportunity_create,
        opportunity_publish,
        question_add,
        submissions_open,
    )

    from ..factories import make_bidders, pass_deadline, submit

    now = timezone.now()
    opportunity = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="SB-PANEL",
        title="Weekend clubs",
        description="Weekend clubs for disabled children.",
        route="open",
        panel_shares={"parents": 60},
        clarification_deadline=now + dt.timedelta(days=2),
        submission_deadline=now + dt.timedelta(days=4),
    )
    lot_add(opportunity=opportunity, title="Clubs", description="", value=Decimal("50000"), added_by=commissioner)
    question_add(
        opportunity=opportunity,
        kind="award",
        text="How will you keep children safe?",
        guidance="",
        weight=40,
        panel="officers",
        added_by=commissioner,
    )
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/procurement/{opportunity.pk}/")
    page.get_by_text("Invite someone to a panel").click()
    form = page.locator("form[action$='/panel/invite/']")
    form.get_by_label("Their email address").fill("dad@example.org")
    form.get_by_role("button", name="Invite them").click()
    assert "Enter their name" in page.locator(".govuk-error-summary").inner_text()
    form = page.locator("form[action$='/panel/invite/']")
    assert form.get_by_label("Their email address").input_value() == "dad@example.org"
    form.get_by_label("Their name").fill("Dev Patel")
    form.get_by_label("Parents' panel").check()
    form.get_by_role("button", name="Invite them").click()
    assert "dad@example.org" in page.content()
    assert_accessible(page)
    sign_out(page)

    # The parent has no account: the link makes one and lands them on "your evaluations".
    page.context.clear_cookies()
    page.goto(live_server.url + emailed_path("dad@example.org", "/accounts/invitations/"))
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account and accept").click()
    assert page.url.endswith("/evaluate/")
    assert "you can set your panel's criteria now" in page.locator("#evaluations").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=opportunity.title).click()
    page.get_by_label("What should providers tell you about?").fill("Will my son be listened to?")
    page.get_by_label("How much it counts").fill("60")
    page.get_by_role("button", name="Add the criterion").click()
    sign_out(page)

    # Bids come in and are opened (other people's steps).
    opportunity = opportunity_publish(opportunity=opportunity, published_by=commissioner)
    alpha, alpha_user, beta, beta_user = make_bidders(authority)
    submit(opportunity, alpha, alpha_user)
    submit(opportunity, beta, beta_user, price="45000")
    opportunity.refresh_from_db()
    pass_deadline(opportunity)
    submissions_open(opportunity=opportunity, opened_by=commissioner)

    sign_in(page, live_server, "dad@example.org", NEW_PASSWORD)
    assert page.url.endswith("/evaluate/")
    assert "Ready for you to score" in page.locator("#evaluations").inner_text()
    page.get_by_role("link", name=opportunity.title).click()
    page.get_by_role("link", name="Lot 1").first.click()
    page.get_by_label("No", exact=True).check()  # neither answer is chosen beforehand
    page.get_by_role("button", name="Record my declaration").click()
    page.get_by_label("Your score").first.select_option("8")
    page.get_by_label("Why").first.fill("They say how they listen to children")
    page.get_by_role("button", name="Save my score for bid A").first.click()
    assert "Score saved" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)


def test_a_young_person_invited_by_their_parent_lands_on_their_own_page(page, live_server, authority, parent):
    from ..factories import born_aged, make_child, make_family

    make_child(make_family(authority, carer_user=parent), "Kai", born=born_aged(14))
    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.get_by_role("link", name="Invite Kai to have their own account").click()
    assert_accessible(page)
    page.get_by_label("The young person's own email address").fill("kai@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    assert "We have invited Kai" in page.content()
    sign_out(page)

    page.context.clear_cookies()
    page.goto(live_server.url + emailed_path("kai@example.org", "/accounts/invitations/"))
    page.get_by_label("Your full name").fill("Kai Shah")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account and accept").click()
    assert page.url.endswith("/me/")
    assert page.get_by_role("heading", name="Your short breaks").is_visible()
    assert "Your family" not in page.locator("#navigation").inner_text()
    assert_accessible(page)


def test_a_provider_registers_the_commissioner_approves_and_a_colleague_sends_a_listing(
    page, live_server, authority, commissioner, taxonomies
):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Register your organisation").click()
    assert_accessible(page)
    page.get_by_label("Organisation name").fill("Kestrel Kids Club")
    page.get_by_label("Voluntary or community").check()
    page.get_by_label("What your organisation does").fill("After-school and holiday clubs for disabled children.")
    page.get_by_label("Charity number (optional)").fill("12")
    page.get_by_label("Building and street").fill("1 Mill Lane")
    page.get_by_label("Town or city").fill("Dovebridge")
    page.get_by_label("Postcode", exact=True).fill("DE1 3AB")
    page.get_by_label("Main contact's name").fill("Ravi Kumar")
    page.get_by_label("Main contact's email address").fill("hello@kestrelkids.example")
    page.get_by_label("Your full name").fill("Ravi Kumar")
    page.get_by_label("Your email address").fill("ravi@kestrelkids.example")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_label("I have read how the council uses my information").check()
    page.get_by_role("button", name="Register the organisation").click()
    assert "charity number" in page.locator(".govuk-error-summary").inner_text().lower()
    assert page.get_by_label("Organisation name").input_value() == "Kestrel Kids Club"
    page.get_by_label("Charity number (optional)").fill("1123456")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Register the organisation").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    page.goto(live_server.url + emailed_path("ravi@kestrelkids.example", "/accounts/confirm/"))
    page.get_by_role("link", name="Continue").click()
    assert page.url.endswith("/provider/")
    sign_out(page)

    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/manage/")
    page.locator("#registrations-waiting").get_by_role("link", name="Kestrel Kids Club").click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve the organisation").click()
    sign_out(page)

    sign_in(page, live_server, "ravi@kestrelkids.example", NEW_PASSWORD)
    page.get_by_role("link", name="People who act for your organisation").click()
    page.get_by_label("Their full name").fill("Mo Ali")
    page.get_by_label("Their email address").fill("mo@kestrelkids.example")
    page.get_by_role("button", name="Send the invitation").click()
    assert "mo@kestrelkids.example" in page.content()
    assert_accessible(page)
    sign_out(page)

    page.context.clear_cookies()
    page.goto(live_server.url + emailed_path("mo@kestrelkids.example", "/accounts/invitations/"))
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account and accept").click()
    assert page.url.endswith("/provider/")
    page.get_by_role("link", name="Add a service").click()
    page.get_by_label("Service name").fill("Saturday Splash")
    page.get_by_label("Description").fill("Swimming with one-to-one support.")
    page.get_by_label("Youngest age").fill("5")
    page.get_by_label("Oldest age").fill("16")
    page.get_by_label("Autism").first.check()
    page.locator("input[name='break_kinds']").first.check()
    page.get_by_label("Saturday").check()
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("12:00")
    page.get_by_label("This service is free to families").check()
    page.get_by_label("Postcode areas it comes to").fill("DE1")
    page.get_by_label("Accessibility").fill("Step-free, with a changing place.")
    page.get_by_label("How the service supports children with SEND").fill("One-to-one support in the water.")
    page.get_by_label("Staff training and experience").fill("All staff trained in autism awareness.")
    page.get_by_label("How families get in touch or are referred").fill("Email us.")
    page.get_by_role("button", name="Send for approval").click()
    if page.locator(".govuk-error-summary").count():
        raise AssertionError(page.locator(".govuk-error-summary").inner_text())
    assert "sent to the council for approval" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
