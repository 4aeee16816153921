import datetime as dt
from decimal import Decimal

from django.utils import timezone

from shortbreaks.core.roles import Role
from shortbreaks.procurement.models import Award, Opportunity, Submission

from ..factories import PASSWORD, make_organisation, make_user
from ..ocds_schemas import package_validator
from .pages import assert_accessible, sign_in


def test_a_two_lot_tender_with_a_parents_panel_from_notice_to_award(page, live_server, authority, commissioner):
    from shortbreaks.procurement.services import (
        evaluator_add,
        lot_add,
        opportunity_create,
        opportunity_publish,
        question_add,
    )

    alpha = make_organisation(authority, name="Alpha Trust")
    beta = make_organisation(authority, name="Beta Care")
    make_user(authority, Role.PROVIDER, organisation=alpha, email="alpha@example.org")
    make_user(authority, Role.PROVIDER, organisation=beta, email="beta@example.org")
    mum = make_user(authority, Role.PANEL_MEMBER, email="mum@example.org")
    now = timezone.now()
    opportunity = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="SB-27",
        title="Holiday short breaks",
        description="Two lots of holiday breaks.",
        route="open",
        panel_shares={"parents": 60},
        clarification_deadline=now + dt.timedelta(days=2),
        submission_deadline=now + dt.timedelta(days=4),
    )
    for title in ("North", "South"):
        lot_add(opportunity=opportunity, title=title, description="", value=Decimal("80000"), added_by=commissioner)
    question_add(
        opportunity=opportunity,
        kind="award",
        text="How will you keep children safe?",
        guidance="",
        weight=40,
        panel="officers",
        added_by=commissioner,
    )
    panel = evaluator_add(opportunity=opportunity, user=mum, panel="parents", is_moderator=False, added_by=commissioner)
    scorer = make_user(authority, Role.OFFICER, email="scorer@example.org")  # the moderator is never the only officer
    evaluator_add(opportunity=opportunity, user=scorer, panel="officers", is_moderator=False, added_by=commissioner)
    evaluator_add(
        opportunity=opportunity, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner
    )

    # The parents' panel sets its own criterion within its share.
    sign_in(page, live_server, "mum@example.org", PASSWORD)
    page.goto(f"{live_server.url}/evaluate/{opportunity.pk}/")
    assert_accessible(page)
    page.get_by_label("What should providers tell you about?").fill("How will my child have fun and make friends?")
    page.get_by_label("How much it counts").fill("60")
    page.get_by_role("button", name="Add the criterion").click()
    page.get_by_role("button", name="Sign out").click()
    opportunity = opportunity_publish(opportunity=opportunity, published_by=commissioner)

    # Two providers bid on lot 1 in the browser.
    lot = opportunity.lots.get(number=1)
    for email, price in (("alpha@example.org", "60000"), ("beta@example.org", "50000")):
        sign_in(page, live_server, email, PASSWORD)
        page.goto(f"{live_server.url}/opportunities/")
        page.get_by_role("link", name="Holiday short breaks").click()
        assert_accessible(page)
        page.get_by_role("link", name="Respond to lot 1").click()
        for area in page.locator("textarea").all():
            area.fill(f"Answer from {email}")
        page.get_by_label("Your price for the lot").fill(price)
        assert_accessible(page)
        page.get_by_role("button", name="Submit the bid").click()
        assert "Nobody at the council can read it" in page.locator(".govuk-notification-banner").inner_text()
        page.get_by_role("button", name="Sign out").click()

    # Before the deadline the commissioner sees nothing of the bids.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/procurement/{opportunity.pk}/")
    assert "Sealed until" in page.content() and "Answer from" not in page.content()
    Opportunity.objects.filter(pk=opportunity.pk).update(
        clarification_deadline=now - dt.timedelta(days=1), submission_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    page.reload()
    page.get_by_role("button", name="Open the submissions").click()
    assert "Answer from alpha@example.org" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The parents' panel declares, then scores bids it sees only by letter.
    sign_in(page, live_server, "mum@example.org", PASSWORD)
    page.goto(f"{live_server.url}/evaluate/{opportunity.pk}/lots/{lot.pk}/")
    page.get_by_label("No", exact=True).check()  # neither answer is chosen beforehand
    page.get_by_role("button", name="Record my declaration").click()
    assert "Bid A" in page.content() and "Alpha Trust" not in page.content()
    assert_accessible(page)
    page.get_by_label("Your score").first.select_option("9")
    page.get_by_label("Why").first.fill("Lots of choice for children")
    page.get_by_role("button", name="Save my score for bid A").first.click()
    assert "Score saved" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    # The moderator (an officer) declares, scores the officers' question, and agrees every score.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/evaluate/{opportunity.pk}/lots/{lot.pk}/")
    page.get_by_label("No", exact=True).check()  # neither answer is chosen beforehand
    page.get_by_role("button", name="Record my declaration").click()
    assert "Lots of choice for children" in page.content()  # the panel's score, with its reason
    bids = {s.organisation.name: s for s in Submission.objects.filter(lot=lot)}
    letter = {name: "A" if bids[name].pk == min(b.pk for b in bids.values()) else "B" for name in bids}
    agreed = {"Alpha Trust": {"parents": "9", "officers": "8"}, "Beta Care": {"parents": "5", "officers": "6"}}
    for name, scores in agreed.items():
        for question in opportunity.questions.all():
            form = page.locator(
                "form",
                has=page.get_by_role(
                    "button", name=f"Record the agreed score for bid {letter[name]} question {question.number}"
                ),
            )
            form.get_by_label("Agreed score", exact=True).select_option(scores[question.panel])
            form.get_by_label("Rationale for the agreed score").fill(f"Agreed by the panel and officers for {name}")
            form.get_by_role("button").click()
            assert "Score saved" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/procurement/{opportunity.pk}/")
    page.get_by_role("link", name="Award lot 1").click()
    # The award is confirmed first, on a page saying what will happen.
    assert "What happens when you confirm" in page.content() and "standstill period runs until" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the award of lot 1").click()
    assert "standstill period ends" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    assert Award.objects.get(lot=lot).submission.organisation == alpha
    assert panel.scores.count() == 1
    page.get_by_role("button", name="Sign out").click()

    # Each bidder reads its assessment summary.
    sign_in(page, live_server, "beta@example.org", PASSWORD)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    outcome = page.locator(".govuk-notification-banner", has_text="Your outcome for lot 1").inner_text()
    assert "You have not been selected" in outcome and "the winner" in outcome
    assert_accessible(page)
    package_validator().validate(page.request.get(f"{live_server.url}/api/ocds/releases").json())


def test_a_dynamic_list_admits_and_removes_by_its_criteria(page, live_server, authority, commissioner):
    from shortbreaks.procurement.models import Membership
    from shortbreaks.procurement.services import lot_add, opportunity_create, opportunity_publish, question_add

    alpha = make_organisation(authority, name="Alpha Trust")
    make_user(authority, Role.PROVIDER, organisation=alpha, email="alpha@example.org")
    listing = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="DL-9",
        route="dynamic_list",
        price_formula="none",
        title="Approved providers",
        description="Join at any time.",
    )
    lot_add(
        opportunity=listing,
        title="Community breaks",
        description="",
        value=Decimal("100000"),
        added_by=commissioner,
        max_providers=20,
    )
    question_add(
        opportunity=listing,
        kind="selection",
        text="Are you registered with Ofsted?",
        guidance="",
        weight=0,
        panel="officers",
        added_by=commissioner,
    )
    opportunity_publish(opportunity=listing, published_by=commissioner)

    sign_in(page, live_server, "alpha@example.org", PASSWORD)
    page.goto(f"{live_server.url}/opportunities/")
    assert "apply at any time" in page.content()
    page.get_by_role("link", name="Approved providers").click()
    page.get_by_role("link", name="Respond to lot 1").click()
    page.get_by_label("Selection (pass or fail) question 1").fill("Yes, URN 123456")
    page.get_by_role("button", name="Submit the bid").click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/procurement/{listing.pk}/")
    assert "Yes, URN 123456" in page.content()
    assert_accessible(page)
    page.locator("button[value=admit]").click()
    assert "Decision recorded" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_label("Criteria no longer met (to remove Alpha Trust)").fill("Ofsted registration cancelled")
    page.get_by_role("button", name="Remove from the list").click()
    assert_accessible(page)
    membership = Membership.objects.get()
    assert membership.status == "removed" and membership.reasons == "Ofsted registration cancelled"


def test_a_framework_mini_competition_call_off(page, live_server, authority, commissioner):
    from shortbreaks.procurement.models import CallOff, Lot
    from shortbreaks.procurement.services import (
        award_decide,
        conflict_declare,
        evaluator_add,
        lot_add,
        opportunity_create,
        opportunity_publish,
        question_add,
        score_agree,
        submission_save,
        submission_submit,
        submissions_open,
    )

    now = timezone.now()
    framework = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="FW-1",
        route="framework",
        title="Overnight framework",
        description="Overnights.",
        term_months=48,
        clarification_deadline=now + dt.timedelta(days=1),
        submission_deadline=now + dt.timedelta(days=2),
    )
    lot = lot_add(
        opportunity=framework,
        title="Overnights",
        description="",
        value=Decimal("500000"),
        added_by=commissioner,
        max_providers=3,
    )
    question_add(
        opportunity=framework,
        kind="award",
        text="Quality?",
        guidance="",
        weight=100,
        panel="officers",
        added_by=commissioner,
    )
    framework = opportunity_publish(opportunity=framework, published_by=commissioner)
    organisations = {}
    for name, email in (("Alpha Trust", "alpha@example.org"), ("Beta Care", "beta@example.org")):
        organisation = make_organisation(authority, name=name)
        user = make_user(authority, Role.PROVIDER, organisation=organisation, email=email)
        bid = submission_save(
            opportunity=framework,
            lot=lot,
            organisation=organisation,
            saved_by=user,
            answers={str(q.pk): "Good" for q in framework.questions.all()},
            price=Decimal("100000"),
        )
        organisations[name] = submission_submit(submission=bid, submitted_by=user)
    Opportunity.objects.filter(pk=framework.pk).update(
        clarification_deadline=now - dt.timedelta(days=1), submission_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    framework = submissions_open(opportunity=framework, opened_by=commissioner)
    scorer = make_user(authority, Role.OFFICER, email="scorer@example.org")  # the moderator is never the only officer
    evaluator_add(opportunity=framework, user=scorer, panel="officers", is_moderator=False, added_by=commissioner)
    moderator = evaluator_add(
        opportunity=framework, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner
    )
    conflict_declare(evaluator=moderator, lot=lot, has_conflict=False, details="")
    for name, value in (("Alpha Trust", 9), ("Beta Care", 6)):
        score_agree(
            moderator=moderator,
            submission=organisations[name],
            question=framework.questions.get(),
            score=value,
            rationale="Agreed",
        )
    award = award_decide(lot=Lot.objects.get(pk=lot.pk), decided_by=commissioner)

    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/procurement/{framework.pk}/")
    # No call-off while the framework's standstill runs: the page says when they can start.
    assert "Call-offs can start on" in page.locator("#call-off-blocked").inner_text()
    award.__class__.objects.filter(pk=award.pk).update(standstill_ends_on=timezone.localdate() - dt.timedelta(days=1))
    page.reload()
    page.get_by_label("What is being called off").fill("Summer overnights")
    page.get_by_label("Specification").fill("Overnight breaks in the summer holiday for six children")
    page.get_by_label("Estimated value (£, including VAT)").fill("45000")
    page.get_by_label("Starts on").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Ends on").fill((timezone.localdate() + dt.timedelta(days=90)).isoformat())
    page.get_by_label("Deadline for prices").fill(
        (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Create the call-off").click()
    assert_accessible(page)
    call_off = CallOff.objects.get()
    page.get_by_role("button", name="Sign out").click()

    for email, price in (("alpha@example.org", "40000"), ("beta@example.org", "30000")):
        sign_in(page, live_server, email, PASSWORD)
        page.goto(f"{live_server.url}/opportunities/{framework.pk}/")
        page.get_by_role("link", name="Summer overnights").click()
        assert_accessible(page)
        page.get_by_label("Your price").fill(price)
        page.get_by_role("button", name="Send the price").click()
        assert "Nobody at the council sees it" in page.locator(".govuk-notification-banner").inner_text()
        page.get_by_role("button", name="Sign out").click()

    CallOff.objects.filter(pk=call_off.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/procurement/call-offs/{call_off.pk}/")
    page.get_by_role("button", name="Award to the best ranked").click()
    call_off.refresh_from_db()
    # Alpha: 90 x 0.6 + 75 x 0.4 = 84; Beta: 60 x 0.6 + 100 x 0.4 = 76.
    assert call_off.awarded_to.name == "Alpha Trust" and call_off.awarded_price == Decimal("40000")
