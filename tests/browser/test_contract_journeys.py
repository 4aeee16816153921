"""Issue 6's journeys: an award becomes a contract the provider accepts; a monthly return is
sent and the payment approved; a child's "I felt unsafe" raises the alert and the officer records
each step until it is closed; a decommissioning
plan is blocked until every affected child has an alternative."""

import datetime as dt
import re
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from shortbreaks.contracts.models import Contract, ContractReturn, MonitoringPolicy, Payment, SafeguardingAlert
from shortbreaks.core.roles import Role
from shortbreaks.procurement.models import Award

from ..factories import (
    PASSWORD,
    booked,
    make_child,
    make_family,
    make_organisation,
    make_service,
    make_session,
    make_user,
    session_on,
)
from .pages import assert_accessible, sign_in


def test_an_award_becomes_a_contract_the_provider_accepts_then_a_return_is_paid(
    page, live_server, authority, commissioner, parent
):
    from shortbreaks.procurement.services import (
        award_decide,
        conflict_declare,
        evaluator_add,
        opportunity_publish,
        score_agree,
        submissions_open,
    )

    from ..factories import build, pass_deadline, submit

    alpha = make_organisation(authority, name="Alpha Trust")
    alpha_user = make_user(authority, Role.PROVIDER, organisation=alpha, email="alpha@example.org")
    opportunity = opportunity_publish(opportunity=build(authority, commissioner, lots=1), published_by=commissioner)
    bid = submit(opportunity, alpha, alpha_user, "12000")
    pass_deadline(opportunity)
    opportunity = submissions_open(opportunity=opportunity, opened_by=commissioner)
    scorer = make_user(authority, Role.OFFICER, email="scorer@example.org")  # the moderator is never the only officer
    evaluator_add(opportunity=opportunity, user=scorer, panel="officers", is_moderator=False, added_by=commissioner)
    moderator = evaluator_add(
        opportunity=opportunity, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner
    )
    lot = opportunity.lots.get()
    conflict_declare(evaluator=moderator, lot=lot, has_conflict=False, details="")
    for question in opportunity.questions.all():
        score_agree(moderator=moderator, submission=bid, question=question, score=10, rationale="Agreed")
    award = award_decide(lot=lot, decided_by=commissioner)
    Award.objects.filter(pk=award.pk).update(standstill_ends_on=timezone.localdate() - dt.timedelta(days=1))

    # The commissioner confirms the award once the standstill has passed.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/contracts/")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and offer the contract").click()
    assert "offered to the provider" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    # The provider reads the offer's terms, then accepts it online.
    sign_in(page, live_server, "alpha@example.org", PASSWORD)
    page.goto(f"{live_server.url}/provider/contracts/")
    assert_accessible(page)
    page.get_by_role("link", name="Read the offer and accept or decline it").click()
    terms = page.locator("main").inner_text()
    assert "£12,000.00" in terms and "Starts" in terms and "Documents" in terms
    assert_accessible(page)
    page.get_by_role("button", name="Accept the contract").click()
    assert "Contract accepted" in page.locator(".govuk-notification-banner").inner_text()
    contract = Contract.objects.get()
    assert contract.status == "active"

    # A month of sessions, then the return falls due; the provider sends it in the browser.
    service = make_service(alpha, name="Alpha Saturdays")
    contract.services.add(service)
    Contract.objects.filter(pk=contract.pk).update(
        starts_on=timezone.localdate().replace(day=1) - dt.timedelta(days=40)
    )
    contract.refresh_from_db()
    family = make_family(authority, carer_user=parent)
    session = session_on(service, contract.starts_on + dt.timedelta(days=2))
    booked(session, make_child(family, "Sam")), booked(session, make_child(family, "Alex"), status="no_show")
    from shortbreaks.contracts.services.monitoring import returns_schedule

    returns_schedule()
    ret = ContractReturn.objects.filter(contract=contract).order_by("period_start").first()
    page.goto(f"{live_server.url}/provider/contracts/{contract.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Send the return for {ret.period_start:%B %Y}").click()
    assert "Places booked" in page.content()
    page.get_by_label("Amount you claim (£)").fill("lots")
    page.get_by_label("Place-hours delivered").fill("10")
    page.get_by_role("button", name="Send the return").click()
    assert (
        "Enter the price as a number"
        in page.locator(".govuk-error-summary, .govuk-notification-banner").first.inner_text()
    )
    page.get_by_label("Place-hours delivered").fill("10")
    page.get_by_label("Amount you claim (£)").fill("950")
    assert_accessible(page)
    page.get_by_role("button", name="Send the return").click()
    assert "Return sent" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    # The commissioner sees the platform's figures and approves the payment.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/contracts/{contract.pk}/")
    assert_accessible(page)
    assert "1 / 2" in page.content()  # attended of booked, from the register
    page.get_by_role("button", name=f"Approve and pay £950.00 for {ret.period_start:%B %Y}").click()
    assert "payment recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert Payment.objects.get().amount == Decimal("950")
    page.goto(f"{live_server.url}/contracts/budget/")
    assert_accessible(page)


def _fine_at_both_widths(page) -> None:
    """axe-clean on a desktop and on a 390px phone, with nothing wider than the phone's screen."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 844})


def test_a_child_who_felt_unsafe_is_told_who_will_read_it_then_the_officer_records_each_step(
    page, live_server, authority, parent, officer
):
    organisation = make_organisation(authority, name="Alpha Trust")
    service = make_service(organisation, name="Alpha Saturdays")
    family = make_family(authority, carer_user=parent)
    child = make_child(family, "Sam")
    went = booked(session_on(service, timezone.localdate() - dt.timedelta(days=3)), child)
    day = went.session.date
    label = f"Alpha Saturdays, Alpha Trust: {day:%A} {day.day} {day:%B}" + (
        f" {day.year}" if day.year != timezone.localdate().year else ""
    )
    MonitoringPolicy.objects.filter(authority=authority).update(
        safeguarding_officer_name="Dee Lane", safeguarding_officer_email="dso@dovebridge.example"
    )

    # The parent starts, forgets to say how it was: everything they gave is still there.
    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/feedback/")
    _fine_at_both_widths(page)
    page.get_by_label("Which break").select_option(label=label)
    page.get_by_label("My child had fun").check()
    page.get_by_label("Anything else (optional)").fill("He talks about it all week")
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".govuk-error-summary")
    assert "Choose how the break was" in summary.inner_text()
    summary.get_by_role("link", name="Choose how the break was").click()
    assert page.evaluate("document.activeElement.id") == "id_enjoyed"
    assert page.get_by_label("Which break").input_value() == str(went.pk)
    assert page.get_by_label("My child had fun").is_checked()
    assert page.get_by_label("Anything else (optional)").input_value() == "He talks about it all week"
    _fine_at_both_widths(page)

    # They hand the phone to Sam, who answers the children's version: no place is chosen for him.
    page.get_by_role("link", name="the version for children and young people").click()
    assert page.get_by_label("Where did you go?").input_value() == ""
    _fine_at_both_widths(page)
    page.get_by_label("Where did you go?").select_option(label=label)
    page.locator("label[for=enjoyed-not_good]").click()
    page.locator("label[for=safe-no]").click()
    page.get_by_label("Anything you want to tell us?").fill("Someone shouted at me on the bus")
    page.get_by_role("button", name="Send").click()
    main = page.locator("main").inner_text()
    assert "Thank you for telling us!" in main
    assert "Dee Lane, who keeps children safe at Dovebridge Borough Council, will read what you told us" in main
    assert "0800 1111" in main and "999" in main
    _fine_at_both_widths(page)
    alert = SafeguardingAlert.objects.get()
    assert alert.feedback.from_child and alert.feedback.child == child and alert.feedback.session == went.session
    assert any(m.to == ["dso@dovebridge.example"] and "shouted" in m.body for m in mail.outbox)
    page.get_by_role("button", name="Sign out").click()

    # The officer opens the alert: the child, the family's contacts, the session and the provider.
    sign_in(page, live_server, "officer@example.org", PASSWORD)
    page.goto(f"{live_server.url}/safeguarding/")
    _fine_at_both_widths(page)
    page.get_by_role("link", name="Sam Shah at Alpha Saturdays").click()
    main = page.locator("main").inner_text()
    assert "shouted" in main and "parent@example.org" in main and "Alpha Trust" in main
    assert f"{day:%A} {day.day} {day:%B %Y}" in main
    assert (
        page.get_by_role("link", name=re.compile(r"Sam Shah\s?'s record")).get_attribute("href")
        == f"/caseload/children/{child.pk}/"
    )
    _fine_at_both_widths(page)

    # Step by step: a step without what was done keeps the note; then the family; then closed.
    page.get_by_label("What happened").fill("Called Sam's mum, who will keep him off the bus")
    page.get_by_role("button", name="Record the step").click()
    assert "Choose what was done" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("What happened").input_value() == "Called Sam's mum, who will keep him off the bus"
    _fine_at_both_widths(page)
    page.get_by_label("Contacted the family").check()
    page.get_by_role("button", name="Record the step").click()
    assert "Step recorded: contacted the family" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_label("Closed with outcome").check()
    page.get_by_label("What happened").fill("The transport firm spoke to its driver; the family are content")
    page.get_by_role("button", name="Record the step").click()
    assert "Alert closed with its outcome" in page.locator(".govuk-notification-banner").inner_text()
    steps = page.locator(".app-steps li").all_inner_texts()
    assert [text.splitlines()[0] for text in steps] == ["Contacted the family", "Closed with outcome"]
    assert page.get_by_role("button", name="Record the step").count() == 0
    _fine_at_both_widths(page)
    assert list(alert.steps.values_list("kind", "taken_by")) == [
        ("contacted_family", officer.pk),
        ("closed", officer.pk),
    ]
    assert not SafeguardingAlert.objects.open().exists()


def test_a_decommissioning_plan_is_blocked_until_every_child_has_an_alternative(
    page, live_server, authority, commissioner, parent
):
    organisation = make_organisation(authority, name="Alpha Trust")
    service = make_service(organisation, name="Alpha Saturdays")
    make_service(organisation, name="Beta Sundays")
    family = make_family(authority, carer_user=parent)
    for name in ("Sam", "Alex"):
        booked(make_session(service), make_child(family, name), status="confirmed")

    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/decommissioning/")
    assert_accessible(page)
    page.get_by_label("Service", exact=True).select_option(label="Alpha Saturdays (Alpha Trust)")
    page.get_by_label("End the service").check()
    page.get_by_label("Reasons").fill("The building closes")
    page.get_by_label("Families told by").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.get_by_label("Last day of the service as it is").fill(
        (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    )
    page.get_by_role("button", name="Start the plan").click()
    assert "2 children affected" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    page.get_by_text("Record the alternative for Sam").click()
    page.locator("form", has=page.get_by_role("button", name="Save the alternative for Sam")).get_by_label(
        "Alternative service"
    ).select_option(label="Beta Sundays")
    page.get_by_role("button", name="Save the alternative for Sam").click()
    page.get_by_role("button", name="Complete the plan").click()
    assert "1 affected child has no alternative yet" in page.content()
    assert_accessible(page)
    page.get_by_text("Record the alternative for Alex").click()
    page.locator("form", has=page.get_by_role("button", name="Save the alternative for Alex")).get_by_label(
        "Notes"
    ).fill("A personal assistant on Saturdays")
    page.get_by_role("button", name="Save the alternative for Alex").click()
    page.get_by_role("button", name="Complete the plan").click()
    assert "Plan completed" in page.locator(".govuk-notification-banner").inner_text()
