import datetime as dt
from decimal import Decimal

from django.utils import timezone

from shortbreaks.core.roles import Role
from shortbreaks.procurement.models import Award, Evaluator, Opportunity

from ..factories import PASSWORD, make_organisation, make_user
from ..ocds_schemas import package_validator
from .pages import assert_accessible, emailed_path, sign_in


def _typed(when: dt.datetime) -> str:
    """A deadline as a commissioner types it: "6 December 2026 14:30", in UK time."""
    when = timezone.localtime(when)
    return f"{when.day} {when:%B %Y %H:%M}"


def _typed_day(day: dt.date) -> str:
    """A date as a person types it: "5 January 2027"."""
    return f"{day.day} {day:%B %Y}"


def _menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()


def _the_opportunity(page, reference: str = "SB-27") -> None:
    """The commissioner's way to the opportunity's page: the menu's Procurement, then its reference."""
    _menu(page, "Procurement")
    page.get_by_role("link", name=reference).click()


def _banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def _page_form(page, summary: str, action: str):
    """One of the opportunity page's folded forms: open its details, then the form posting to `action`."""
    page.get_by_text(summary, exact=True).click()
    return page.locator(f"form[action$='{action}']")


def _add_officers(page) -> None:
    """The officers' panel: another officer scores, and the commissioner moderates."""
    for email, moderator in (("scorer@example.org", False), ("commissioner@example.org", True)):
        form = _page_form(page, "Add an evaluator", "/evaluators/")
        form.get_by_label("Their email address").fill(email)
        form.get_by_label("Panel").select_option(label="Council officers")
        if moderator:
            form.get_by_label("Moderator (agrees the final scores)").check()
        form.get_by_role("button", name="Add the evaluator").click()
        assert "added to the evaluation" in _banner(page)


def _open_lot(page, lot: str) -> None:
    """From the evaluation's page to a lot's, declaring no conflict of interest on the way."""
    page.get_by_role("link", name=lot).click()
    page.get_by_label("No", exact=True).check()  # neither answer is chosen beforehand
    page.get_by_role("button", name="Record my declaration").click()
    assert "Declaration recorded" in _banner(page)


def _bid_letter(page, answer: str) -> str:
    """The letter of the bid whose answer reads `answer` (evaluators never see who bid)."""
    for letter in "ABC":
        cards = page.locator(".govuk-summary-card", has_text=f"Bid {letter},")
        if cards.count() and answer in cards.first.inner_text():
            return letter
    raise AssertionError(f"no bid answers {answer!r}")


def _score(page, button: str, score: str, why: str, *, score_label="Your score", why_label="Why") -> None:
    form = page.locator("form", has=page.get_by_role("button", name=button))
    form.get_by_label(score_label, exact=True).select_option(score)
    form.get_by_label(why_label, exact=True).fill(why)
    form.get_by_role("button", name=button).click()
    assert "Score saved" in _banner(page)


def _bid(page, live_server, lot: int, answer: str, price: str, title: str = "Holiday short breaks") -> None:
    page.goto(f"{live_server.url}/opportunities/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name=f"Respond to lot {lot}").click()
    for area in page.locator("form textarea").all():
        area.fill(answer)
    page.get_by_label("Your price for the lot").fill(price)
    assert_accessible(page)
    page.get_by_role("button", name="Submit the bid").click()
    assert "Nobody at the council can read it" in _banner(page)


def _accept_the_offer(page, live_server, value: str) -> None:
    page.goto(f"{live_server.url}/provider/contracts/")
    page.get_by_role("link", name="Read the offer and accept or decline it").click()
    assert value in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Accept the contract").click()
    assert "Contract accepted" in _banner(page)


ALPHA = "A holiday club with a sensory room and a quiet space"  # what each bidder writes
BETA = "Trained staff working one to one, with trips every week"


def test_a_two_lot_tender_with_a_parents_panel_from_notice_to_award(page, live_server, authority, commissioner):
    from shortbreaks.contracts.models import Contract

    alpha = make_organisation(authority, name="Alpha Trust")
    beta = make_organisation(authority, name="Beta Care")
    make_user(authority, Role.PROVIDER, organisation=alpha, email="alpha@example.org")
    make_user(authority, Role.PROVIDER, organisation=beta, email="beta@example.org")
    mum = make_user(authority, Role.PANEL_MEMBER, email="mum@example.org")
    make_user(authority, Role.OFFICER, email="scorer@example.org")  # the moderator is never the only officer
    now = timezone.now()

    # The commissioner starts the draft from the procurement page.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/procurement/")
    assert "No opportunities yet." in page.content()
    assert_accessible(page)
    page.get_by_label("Reference").fill("SB-27")
    page.get_by_label("Title").fill("Holiday short breaks")
    page.get_by_label("What the council is buying").fill("Two lots of holiday breaks.")
    page.get_by_label("Open tender (single stage)").check()
    page.get_by_label("Clarification questions close").fill(_typed(now + dt.timedelta(days=2)))
    page.get_by_label("Submissions close").fill(_typed(now + dt.timedelta(days=4)))
    page.get_by_role("button", name="Create the draft").click()
    assert "Draft created" in _banner(page)
    opportunity = Opportunity.objects.get(reference="SB-27")

    # Both lots, the officers' question, and the parents' panel's share of the marks.
    for title in ("North", "South"):
        form = _page_form(page, "Add a lot", "/lots/")
        form.get_by_label("Lot title").fill(title)
        form.get_by_label("Estimated value (£, including VAT)").fill("80000")
        form.get_by_role("button", name="Add the lot").click()
        assert "Lot added" in _banner(page)
    form = _page_form(page, "Add a question", "/questions/")
    form.get_by_label("Award (scored 0 to 10)").check()
    form.get_by_label("Question", exact=True).fill("How will you keep children safe?")
    form.get_by_label("Weight (% of the quality marks; 0 for pass or fail)").fill("40")
    form.get_by_label("Council officers").check()
    form.get_by_role("button", name="Add the question").click()
    assert "Question added" in _banner(page)
    form = _page_form(page, "Give a panel of parents or young people a share of the marks", "/panel/share/")
    form.get_by_label("Panel").select_option(label="Parents' panel")
    form.get_by_label("Share of the quality marks (%)").fill("60")
    form.get_by_role("button", name="Save the share").click()
    assert "Panel share saved" in _banner(page)
    weights = page.locator("#weights").inner_text()
    assert "40%" in weights and "its share is 60%" in weights

    # The panel's parent is invited (she can sit on it already, so joins at once); then the officers.
    form = _page_form(page, "Invite someone to a panel", "/panel/invite/")
    form.get_by_label("Their email address").fill("mum@example.org")
    form.get_by_label("Their name").fill("Mo Jones")
    form.get_by_label("Parents' panel").check()
    form.get_by_role("button", name="Invite them").click()
    assert "is on the evaluation (Parents' panel)" in _banner(page)
    _add_officers(page)
    assert_accessible(page)

    # Not published while the panel's share has no criteria: the reason is at the top.
    page.get_by_role("button", name="Publish", exact=True).click()
    assert "criteria worth 0% of its 60%" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The parents' panel sets its own criterion within its share.
    sign_in(page, live_server, "mum@example.org", PASSWORD)
    _menu(page, "Your evaluations")
    page.get_by_role("link", name="Holiday short breaks").click()
    assert_accessible(page)
    page.get_by_label("What should providers tell you about?").fill("How will my child have fun and make friends?")
    page.get_by_label("How much it counts").fill("60")
    page.get_by_role("button", name="Add the criterion").click()
    assert "Your panel's criterion is added" in _banner(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    _the_opportunity(page)
    assert "How will my child have fun and make friends?" in page.locator("main").inner_text()
    page.get_by_role("button", name="Publish", exact=True).click()
    assert "Published: providers can see it and submit" in _banner(page)
    page.get_by_role("button", name="Sign out").click()

    # Beta asks a clarification question; the commissioner answers it for every provider.
    sign_in(page, live_server, "beta@example.org", PASSWORD)
    page.goto(f"{live_server.url}/opportunities/")
    page.get_by_role("link", name="Holiday short breaks").click()
    page.get_by_label("Ask a question").fill("Can one provider bid on both lots?")
    page.get_by_role("button", name="Send the question").click()
    assert "Question sent" in _banner(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    _the_opportunity(page)
    assert "Can one provider bid on both lots?" in page.content() and "Beta Care" not in page.content()
    page.get_by_label("Answer, published to every provider without saying who asked").fill(
        "Yes: bid on each lot separately."
    )
    page.get_by_role("button", name="Publish the answer").click()
    assert "Answer published to every provider" in _banner(page)
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Alpha reads the answer and bids on both lots; Beta bids on lot 1.
    sign_in(page, live_server, "alpha@example.org", PASSWORD)
    page.goto(f"{live_server.url}/opportunities/")
    page.get_by_role("link", name="Holiday short breaks").click()
    assert "Yes: bid on each lot separately." in page.locator("main").inner_text()
    assert_accessible(page)
    _bid(page, live_server, 1, ALPHA, "60000")
    _bid(page, live_server, 2, ALPHA, "70000")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "beta@example.org", PASSWORD)
    _bid(page, live_server, 1, BETA, "50000")
    page.get_by_role("button", name="Sign out").click()

    # Before the deadline the commissioner sees nothing of the bids; after it, they open them.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    _the_opportunity(page)
    assert "Sealed until" in page.content() and ALPHA not in page.content()
    Opportunity.objects.filter(pk=opportunity.pk).update(
        clarification_deadline=now - dt.timedelta(days=1), submission_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    page.reload()
    page.get_by_role("button", name="Open the submissions").click()
    assert ALPHA in page.content() and BETA in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    panel_question = opportunity.questions.get(panel="parents").number
    officers_question = opportunity.questions.get(panel="officers").number
    # The parents' panel (from the menu) and the other officer (from the link they were emailed
    # when added) each score their own question, seeing bids only by letter.
    for email, question, marks in (
        ("mum@example.org", panel_question, {ALPHA: "5", BETA: "9"}),
        ("scorer@example.org", officers_question, {ALPHA: "6", BETA: "8"}),
    ):
        sign_in(page, live_server, email, PASSWORD)
        if email == "mum@example.org":
            _menu(page, "Your evaluations")
            page.get_by_role("link", name="Holiday short breaks").click()
        else:
            page.goto(live_server.url + emailed_path(email, f"/evaluate/{opportunity.pk}/"))
        for lot, bids in (("Lot 1: North", (ALPHA, BETA)), ("Lot 2: South", (ALPHA,))):
            _open_lot(page, lot)
            assert "Alpha Trust" not in page.content() and "Beta Care" not in page.content()
            for answer in bids:
                letter = _bid_letter(page, answer)
                _score(page, f"Save my score for bid {letter} question {question}", marks[answer], f"Read: {answer}")
            assert_accessible(page)
            page.get_by_role("link", name="Holiday short breaks").click()  # back to the evaluation's page
        page.get_by_role("button", name="Sign out").click()

    # The moderator, from the opportunity's page, reads every score with its reason and records the agreed ones.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    _the_opportunity(page)
    assert "You evaluate it (council officers, moderator)" in page.locator("#my-evaluation").inner_text()
    page.get_by_role("link", name="Your evaluation of SB-27").click()
    agreed = {ALPHA: {panel_question: "5", officers_question: "6"}, BETA: {panel_question: "9", officers_question: "8"}}
    for lot, bids in (("Lot 1: North", (ALPHA, BETA)), ("Lot 2: South", (ALPHA,))):
        _open_lot(page, lot)
        assert f"Read: {ALPHA}" in page.content()  # the evaluators' scores, with their reasons
        for answer in bids:
            letter = _bid_letter(page, answer)
            for question, value in agreed[answer].items():
                _score(
                    page,
                    f"Record the agreed score for bid {letter} question {question}",
                    value,
                    "Agreed by the panel and officers",
                    score_label="Agreed score",
                    why_label="Rationale for the agreed score",
                )
        assert_accessible(page)
        page.get_by_role("link", name="Holiday short breaks").click()

    # Each lot is awarded from a page saying what will happen.
    _the_opportunity(page)
    for number, winner in ((1, "Beta Care"), (2, "Alpha Trust")):
        page.get_by_role("link", name=f"Award lot {number}").click()
        assert winner in page.locator("#award-outlook").inner_text()
        assert "What happens when you confirm" in page.content() and "standstill period runs until" in page.content()
        assert_accessible(page)
        page.get_by_role("button", name=f"Confirm the award of lot {number}").click()
        assert f"Lot {number} awarded to {winner}" in _banner(page)
        assert "standstill period ends" in _banner(page)
    assert_accessible(page)
    assert {a.lot.number: a.submission.organisation for a in Award.objects.select_related("lot")} == {1: beta, 2: alpha}
    assert Evaluator.objects.get(user=mum).scores.count() == 3

    # Once the standstill period has passed, the commissioner offers both contracts.
    Award.objects.update(standstill_ends_on=timezone.localdate() - dt.timedelta(days=1))
    _menu(page, "Contracts")
    assert_accessible(page)
    for number in (1, 2):
        page.get_by_role("button", name=f"Confirm and offer the contract for SB-27 lot {number}").click()
        assert "offered to the provider" in _banner(page)
    page.get_by_role("button", name="Sign out").click()

    # Alpha reads its outcome for lot 1, then each winner accepts its contract.
    sign_in(page, live_server, "alpha@example.org", PASSWORD)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    outcome = page.locator(".govuk-notification-banner", has_text="Your outcome for lot 1").inner_text()
    assert "You have not been selected" in outcome and "the winner" in outcome
    assert_accessible(page)
    _accept_the_offer(page, live_server, "£70,000.00")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "beta@example.org", PASSWORD)
    _accept_the_offer(page, live_server, "£50,000.00")
    assert set(Contract.objects.values_list("reference", "status")) == {("SB-27-L1", "active"), ("SB-27-L2", "active")}
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
    from shortbreaks.procurement.models import CallOff

    for name, email in (("Alpha Trust", "alpha@example.org"), ("Beta Care", "beta@example.org")):
        make_user(authority, Role.PROVIDER, organisation=make_organisation(authority, name=name), email=email)
    make_user(authority, Role.OFFICER, email="scorer@example.org")  # the moderator is never the only officer
    now = timezone.now()

    # The commissioner starts the framework from the procurement page, with its lot, question and officers.
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    _menu(page, "Procurement")
    page.get_by_label("Reference").fill("FW-1")
    page.get_by_label("Title").fill("Overnight framework")
    page.get_by_label("What the council is buying").fill("Overnights.")
    page.get_by_label("Framework agreement").check()
    page.get_by_label("Clarification questions close").fill(_typed(now + dt.timedelta(days=1)))
    page.get_by_label("Submissions close").fill(_typed(now + dt.timedelta(days=2)))
    page.get_by_label("Term in months").fill("48")
    page.get_by_role("button", name="Create the draft").click()
    assert "Draft created" in _banner(page)
    framework = Opportunity.objects.get(reference="FW-1")
    form = _page_form(page, "Add a lot", "/lots/")
    form.get_by_label("Lot title").fill("Overnights")
    form.get_by_label("Estimated value (£, including VAT)").fill("500000")
    form.get_by_label("Providers to appoint").fill("3")
    form.get_by_role("button", name="Add the lot").click()
    assert "Lot added" in _banner(page)
    assert "up to 3 providers" in page.locator("main").inner_text()
    form = _page_form(page, "Add a question", "/questions/")
    form.get_by_label("Award (scored 0 to 10)").check()
    form.get_by_label("Question", exact=True).fill("How will you run good overnights?")
    form.get_by_label("Weight (% of the quality marks; 0 for pass or fail)").fill("100")
    form.get_by_label("Council officers").check()
    form.get_by_role("button", name="Add the question").click()
    assert "Question added" in _banner(page)
    _add_officers(page)
    assert_accessible(page)
    page.get_by_role("button", name="Publish", exact=True).click()
    assert "Published: providers can see it and submit" in _banner(page)
    page.get_by_role("button", name="Sign out").click()

    # Both providers bid for the framework's lot.
    for email, answer in (("alpha@example.org", ALPHA), ("beta@example.org", BETA)):
        sign_in(page, live_server, email, PASSWORD)
        _bid(page, live_server, 1, answer, "100000", title="Overnight framework")
        page.get_by_role("button", name="Sign out").click()

    # After the deadline the commissioner opens the bids.
    Opportunity.objects.filter(pk=framework.pk).update(
        clarification_deadline=now - dt.timedelta(days=1), submission_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    _the_opportunity(page, "FW-1")
    page.get_by_role("button", name="Open the submissions").click()
    assert ALPHA in page.content() and BETA in page.content()
    page.get_by_role("button", name="Sign out").click()

    # The other officer scores from the menu, seeing bids only by letter; the moderator agrees the scores.
    question = framework.questions.get().number
    marks = {ALPHA: "9", BETA: "6"}
    sign_in(page, live_server, "scorer@example.org", PASSWORD)
    _menu(page, "Your evaluations")
    page.get_by_role("link", name="Overnight framework").click()
    _open_lot(page, "Lot 1: Overnights")
    assert "Alpha Trust" not in page.content() and "Beta Care" not in page.content()
    for answer, value in marks.items():
        letter = _bid_letter(page, answer)
        _score(page, f"Save my score for bid {letter} question {question}", value, f"Read: {answer}")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    _the_opportunity(page, "FW-1")
    page.get_by_role("link", name="Your evaluation of FW-1").click()
    _open_lot(page, "Lot 1: Overnights")
    assert f"Read: {ALPHA}" in page.content()
    for answer, value in marks.items():
        _score(
            page,
            f"Record the agreed score for bid {_bid_letter(page, answer)} question {question}",
            value,
            "Agreed",
            score_label="Agreed score",
            why_label="Rationale for the agreed score",
        )
    assert_accessible(page)

    # The lot is awarded from the page saying what will happen: both providers join the framework.
    _the_opportunity(page, "FW-1")
    page.get_by_role("link", name="Award lot 1").click()
    assert "Alpha Trust" in page.locator("#award-outlook").inner_text()
    effects = page.locator("#award-effects").inner_text()
    assert "Alpha Trust and Beta Care join lot 1 as its members" in effects
    assert "standstill period runs until" in effects
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the award of lot 1").click()
    assert "Lot 1 awarded to Alpha Trust" in _banner(page)

    # No call-off while the framework's standstill runs: the page says when they can start.
    _the_opportunity(page, "FW-1")
    assert "Call-offs can start on" in page.locator("#call-off-blocked").inner_text()
    Award.objects.filter(lot__opportunity=framework).update(
        standstill_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    page.reload()
    today = timezone.localdate()
    page.get_by_label("What is being called off").fill("Summer overnights")
    page.get_by_label("Specification").fill("Overnight breaks in the summer holiday for six children")
    page.get_by_label("Estimated value (£, including VAT)").fill("45000")
    page.get_by_label("Starts on").fill(_typed_day(today + dt.timedelta(days=30)))
    page.get_by_label("Ends on").fill(_typed_day(today + dt.timedelta(days=90)))
    page.get_by_label("Deadline for prices").fill(f"{_typed_day(today + dt.timedelta(days=2))} 2pm")
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
        assert "Nobody at the council sees it" in _banner(page)
        page.get_by_role("button", name="Sign out").click()

    CallOff.objects.filter(pk=call_off.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    _the_opportunity(page, "FW-1")
    page.get_by_role("link", name="Summer overnights").click()
    page.get_by_role("button", name="Award to the best ranked").click()
    call_off.refresh_from_db()
    # Alpha: 90 x 0.6 + 75 x 0.4 = 84; Beta: 60 x 0.6 + 100 x 0.4 = 76.
    assert call_off.awarded_to.name == "Alpha Trust" and call_off.awarded_price == Decimal("40000")
