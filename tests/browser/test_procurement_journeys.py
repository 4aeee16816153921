import datetime as dt
from decimal import Decimal

from django.utils import timezone

from shortbreaks.accounts.roles import Role
from shortbreaks.procurement.models import Award, Opportunity, Submission

from ..conftest import PASSWORD, make_organisation, make_user
from ..ocds_schemas import package_validator
from .conftest import assert_accessible, sign_in


def test_a_two_lot_tender_with_a_parents_panel_from_notice_to_award(page, live_server, authority, commissioner):
    from shortbreaks.procurement.evaluation import conflict_declare, evaluator_add, score_agree
    from shortbreaks.procurement.services import lot_add, opportunity_create, opportunity_publish, question_add

    alpha = make_organisation(authority, name="Alpha Trust")
    beta = make_organisation(authority, name="Beta Care")
    make_user(authority, Role.PROVIDER, organisation=alpha, email="alpha@example.org")
    make_user(authority, Role.PROVIDER, organisation=beta, email="beta@example.org")
    mum = make_user(authority, Role.PANEL_MEMBER, email="mum@example.org")
    now = timezone.now()
    opportunity = opportunity_create(
        authority=authority, created_by=commissioner, reference="SB-27", title="Holiday short breaks",
        description="Two lots of holiday breaks.", route="open", panel_shares={"parents": 60},
        clarification_deadline=now + dt.timedelta(days=2), submission_deadline=now + dt.timedelta(days=4))
    for title in ("North", "South"):
        lot_add(opportunity=opportunity, title=title, description="", value=Decimal("80000"), added_by=commissioner)
    question_add(opportunity=opportunity, kind="award", text="How will you keep children safe?", guidance="",
                 weight=40, panel="officers", added_by=commissioner)
    panel = evaluator_add(opportunity=opportunity, user=mum, panel="parents", is_moderator=False, added_by=commissioner)
    moderator = evaluator_add(opportunity=opportunity, user=commissioner, panel="officers", is_moderator=True,
                              added_by=commissioner)

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
    Opportunity.objects.filter(pk=opportunity.pk).update(clarification_deadline=now - dt.timedelta(days=1),
                                                         submission_deadline=timezone.now() - dt.timedelta(seconds=1))
    page.reload()
    page.get_by_role("button", name="Open the submissions").click()
    assert "Answer from alpha@example.org" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The parents' panel declares, then scores bids it sees only by letter.
    sign_in(page, live_server, "mum@example.org", PASSWORD)
    page.goto(f"{live_server.url}/evaluate/{opportunity.pk}/lots/{lot.pk}/")
    page.get_by_role("button", name="Record my declaration").click()
    assert "Bid A" in page.content() and "Alpha Trust" not in page.content()
    assert_accessible(page)
    page.get_by_label("Your score").first.select_option("9")
    page.get_by_label("Why").first.fill("Lots of choice for children")
    page.get_by_role("button", name="Save my score for bid A").first.click()
    assert "Score saved" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    # The moderator agrees every score (in the service here), and the commissioner awards.
    conflict_declare(evaluator=moderator, lot=lot, has_conflict=False, details="")
    bids = {s.organisation.name: s for s in Submission.objects.filter(lot=lot)}
    for name, scores in (("Alpha Trust", (9, 8)), ("Beta Care", (5, 6))):
        for question, value in zip(opportunity.questions.order_by("-panel"), scores):
            score_agree(moderator=moderator, submission=bids[name], question=question, score=value, rationale="Agreed")
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/procurement/{opportunity.pk}/")
    page.get_by_role("button", name="Award lot 1").click()
    assert "standstill period ends" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    assert Award.objects.get(lot=lot).submission.organisation == alpha
    assert panel.scores.count() == 1
    package_validator().validate(page.request.get(f"{live_server.url}/api/ocds/releases").json())
