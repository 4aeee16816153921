"""Evaluation and award as the evaluators and the commissioner meet them: selection questions are
pass or fail gates, nothing "failed" before it is scored, the moderator is never the only officer
evaluating, the results table and the award agree, and the award is confirmed first."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.procurement.models import Award, Lot, Score
from shortbreaks.procurement.scoring import lot_results
from shortbreaks.procurement.services import award_decide, evaluator_add, score_agree, score_record

from .factories import build, make_user, opened_for_evaluation, sign_in
from .ocds_schemas import package_validator


@pytest.fixture
def opened(authority, commissioner, bidders, officer):
    return opened_for_evaluation(authority, commissioner, bidders, officer)


def _questions(opportunity) -> dict:
    """0: the selection question; 1 and 2: the award questions (the parents' 70%, officers' 30%)."""
    return {q.number if q.kind == "award" else 0: q for q in opportunity.questions.all()}


def _agree_all(moderator, bids_scores: dict, questions: dict) -> None:
    for bid, scores in bids_scores.items():
        for number, score in scores.items():
            score_agree(
                moderator=moderator, submission=bid, question=questions[number], score=score, rationale="Agreed"
            )


def _total_in_table(page: str, bidder: str) -> str:
    """The Total column of the bidder's row in the results table."""
    cells = r"(?:<td[^>]*>[^<]*</td>)"
    row = re.search(rf"<td[^>]*>{bidder}</td>{cells}{{2}}<td[^>]*>([^<]*)</td>", page)
    return row.group(1)


def _manage(client, opportunity) -> str:
    return client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()


class TestSelectionIsAGate:
    def test_nothing_has_failed_selection_before_it_is_scored(self, client, commissioner, opened):
        opportunity, lot, a, b, moderator, _ = opened
        results = lot_results(lot)
        assert all(r.passed for r in results) and all(r.missing == 3 for r in results)
        sign_in(client, commissioner)
        page = _manage(client, opportunity)
        assert "Failed selection" not in page and "3 answers not agreed" in page
        # An agreed fail fails it, and its award answers need no agreed score then.
        score_agree(moderator=moderator, submission=b, question=_questions(opportunity)[0], score=0, rationale="No")
        failed = next(r for r in lot_results(lot) if r.submission == b)
        assert not failed.passed and failed.rank is None and failed.missing == 0
        page = _manage(client, opportunity)
        assert page.count("Failed selection") == 1 and "3 answers not agreed" in page

    def test_a_failed_bid_neither_needs_marks_nor_sets_the_lowest_price(self, commissioner, opened):
        opportunity, lot, a, b, moderator, _ = opened  # Alpha £50,000; Beta £40,000
        questions = _questions(opportunity)
        _agree_all(moderator, {a: {0: 10, 1: 8, 2: 8}, b: {0: 0}}, questions)
        (winner, beaten) = lot_results(lot)
        # Alpha is marked against its own price, not the failed bid's lower one: 0.6 x 80 + 0.4 x 100.
        assert (winner.submission, winner.price_score, winner.total) == (a, Decimal("100.00"), Decimal("88.00"))
        assert beaten.submission == b and not beaten.passed
        award = award_decide(lot=lot, decided_by=commissioner)  # nothing is missing
        assert award.submission == a and award.total == winner.total

    def test_the_evaluator_and_the_moderator_choose_pass_or_fail(self, client, commissioner, officer, opened):
        opportunity, lot, a, b, moderator, _ = opened
        selection = _questions(opportunity)[0]
        scorer = opportunity.evaluators.get(user__email="scorer@example.org")
        from shortbreaks.procurement.services import conflict_declare

        conflict_declare(evaluator=scorer, lot=lot, has_conflict=False, details="")
        sign_in(client, scorer.user)
        url = reverse("procurement:score", args=[opportunity.pk, lot.pk])
        page = client.get(url).content.decode()
        field = f"score-{a.pk}-{selection.pk}"
        assert f'id="{field}" name="score" type="radio" value="10">' in page
        assert ">Pass</label>" in page and ">Fail</label>" in page and "Your decision" in page
        assert 'value="10" checked' not in page and 'value="0" checked' not in page  # neither chosen for them
        saving = reverse("procurement:score-save", args=[opportunity.pk, lot.pk])
        posted = {"submission": a.pk, "question": selection.pk, "justification": "Certificate seen"}
        for bad in ("", "7"):
            response = client.post(saving, posted | {"score": bad})
            body = response.content.decode()
            assert (
                response.status_code == 400 and "Choose pass or fail" in body and "Certificate seen</textarea>" in body
            )
            assert f'href="#{field}"' in body
        client.post(saving, posted | {"score": "10"})
        assert Score.objects.get(evaluator=scorer, question=selection).score == 10
        # The moderator sees it as a pass, and agrees with a radio of their own.
        sign_in(client, commissioner)
        page = client.get(url).content.decode()
        assert "scorer pass (Certificate seen)" in page and "Agreed decision" in page
        agreeing = reverse("procurement:score-agreed", args=[opportunity.pk, lot.pk])
        response = client.post(agreeing, posted | {"score": "5", "justification": "Seen"})
        assert response.status_code == 400 and "Choose pass or fail" in response.content.decode()
        client.post(agreeing, posted | {"score": "0", "justification": "Expired certificate"})
        assert Score.objects.get(moderated=True, question=selection).score == 0

    def test_a_bid_that_failed_selection_is_not_offered_for_award_scoring(self, client, commissioner, opened):
        opportunity, lot, a, b, moderator, parent_panel = opened
        questions = _questions(opportunity)
        score_agree(moderator=moderator, submission=b, question=questions[0], score=0, rationale="No insurance")
        url = reverse("procurement:score", args=[opportunity.pk, lot.pk])
        sign_in(client, commissioner)
        page = client.get(url).content.decode()
        letter = "AB"[sorted([a.pk, b.pk]).index(b.pk)]  # bids are lettered in a fixed order, not by bidder
        assert page.count("failed selection, so it is not scored further") == 1
        assert f"Bid {letter} failed selection" in page and "If the agreed fail was wrong, change it below." in page
        for number in (1, 2):
            assert f'id="agreed-score-{a.pk}-{questions[number].pk}"' in page  # the other bid is still scored
            assert f'id="agreed-score-{b.pk}-{questions[number].pk}"' not in page
            assert f'id="score-{b.pk}-{questions[number].pk}"' not in page
        assert f'id="agreed-score-{b.pk}-{questions[0].pk}"' in page  # the agreed fail can still be changed
        # Asking anyway is refused, saying why, with the page shown again.
        response = client.post(
            reverse("procurement:score-agreed", args=[opportunity.pk, lot.pk]),
            {"submission": b.pk, "question": questions[1].pk, "score": "7", "justification": "Good plan"},
        )
        assert response.status_code == 400
        assert "This bid failed selection: it is not scored further." in response.content.decode()
        assert not Score.objects.filter(submission=b, question=questions[1]).exists()
        # The parents' panel is not offered its award question for the failed bid either.
        sign_in(client, parent_panel.user)
        page = client.get(url).content.decode()
        assert f"Bid {letter} failed selection" in page and "change it below" not in page
        assert f'id="score-{a.pk}-{questions[1].pk}"' in page
        assert f'id="score-{b.pk}-{questions[1].pk}"' not in page
        with pytest.raises(NotAllowed, match="failed selection"):
            score_record(evaluator=parent_panel, submission=b, question=questions[1], score=7, justification="x")
        # Once the moderator changes the fail to a pass, the bid is scored like any other.
        score_agree(moderator=moderator, submission=b, question=questions[0], score=10, rationale="Insurance seen")
        page = client.get(url).content.decode()
        assert "failed selection" not in page and f'id="score-{b.pk}-{questions[1].pk}"' in page


class TestModerator:
    def test_the_only_officer_evaluating_cannot_also_moderate(self, client, authority, commissioner, officer):
        opportunity = build(authority, commissioner, lots=1)
        with pytest.raises(NotAllowed, match="would be the only council officer evaluating"):
            evaluator_add(
                opportunity=opportunity, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner
            )
        # On the form: the page again, with the reason and what was typed.
        sign_in(client, commissioner)
        url = reverse("procurement:evaluator-add", args=[opportunity.pk])
        posted = {"email": "commissioner@example.org", "panel": "officers", "moderator": "on"}
        response = client.post(url, posted)
        page = response.content.decode()
        assert response.status_code == 400 and "govuk-error-summary" in page
        assert "would be the only council officer evaluating" in page and 'value="commissioner@example.org"' in page
        assert not opportunity.evaluators.exists()
        # A panel member does not count as an officer; another officer does.
        mum = make_user(authority, Role.PANEL_MEMBER, email="mum@example.org")
        evaluator_add(opportunity=opportunity, user=mum, panel="parents", is_moderator=False, added_by=commissioner)
        assert client.post(url, posted).status_code == 400
        evaluator_add(
            opportunity=opportunity, user=officer, panel="officers", is_moderator=False, added_by=commissioner
        )
        assert client.post(url, posted).status_code == 302
        assert opportunity.evaluators.get(user=commissioner).is_moderator


class TestOneTotal:
    def test_the_results_table_and_the_award_give_the_same_total(self, client, commissioner, opened):
        opportunity, lot, a, b, moderator, _ = opened
        # A second lot, with no bids, keeps the opportunity open for scoring after lot 1's award.
        Lot.objects.create(authority=lot.authority, opportunity=opportunity, number=2, title="Later", value=1)
        _agree_all(moderator, {a: {0: 10, 1: 8, 2: 8}, b: {0: 10, 1: 5, 2: 6}}, _questions(opportunity))
        award = award_decide(lot=lot, decided_by=commissioner)
        (winner, _) = lot_results(lot)
        assert award.total == winner.total == Decimal("80.00")
        sign_in(client, commissioner)
        page = _manage(client, opportunity)
        assert _total_in_table(page, "Alpha Trust") == str(award.total)
        assert "Awarded to Alpha Trust with a total of 80.00 out of 100." in page
        assert "A change of 17.45 percentage points in the quality:price split would change the winner" in page
        # The awarded lot's scores are final, so the two cannot drift apart.
        with pytest.raises(NotAllowed, match="its scores are final"):
            score_agree(moderator=moderator, submission=a, question=_questions(opportunity)[1], score=2, rationale="x")
        with pytest.raises(NotAllowed, match="its scores are final"):
            score_record(
                evaluator=moderator, submission=b, question=_questions(opportunity)[2], score=9, justification="x"
            )
        assert Award.objects.get(pk=award.pk).total == lot_results(lot)[0].total

    def test_an_open_tenders_total_weighs_price_by_its_published_price_weight(
        self, client, authority, commissioner, bidders, officer
    ):
        # 70 : 30, not the default 60 : 40; Alpha £50,000, Beta £40,000 (the lowest).
        opportunity, lot, a, b, moderator, _ = opened_for_evaluation(
            authority, commissioner, bidders, officer, quality_weight=70, price_weight=30
        )
        _agree_all(moderator, {a: {0: 10, 1: 9, 2: 9}, b: {0: 10, 1: 6, 2: 6}}, _questions(opportunity))
        (winner, second) = lot_results(lot)
        # Alpha: 0.7 x 90 + 0.3 x (100 x 40,000 / 50,000) = 63 + 24; Beta: 0.7 x 60 + 0.3 x 100 = 42 + 30.
        assert (winner.submission, winner.price_score, winner.total) == (a, Decimal("80.00"), Decimal("87.00"))
        assert (second.submission, second.price_score, second.total) == (b, Decimal("100.00"), Decimal("72.00"))
        sign_in(client, commissioner)
        page = _manage(client, opportunity)
        assert "70 : 30" in page  # the weights the page publishes are the ones applied
        assert (_total_in_table(page, "Alpha Trust"), _total_in_table(page, "Beta Care")) == ("87.00", "72.00")
        award = award_decide(lot=lot, decided_by=commissioner)
        assert award.submission == a and award.total == winner.total


class TestAwardIsConfirmed:
    def test_award_asks_for_confirmation_saying_what_will_happen(
        self, client, authority, commissioner, opened, django_capture_on_commit_callbacks
    ):
        from django.core import mail
        from django.utils import dateformat, timezone

        from shortbreaks.procurement.services import standstill_end

        opportunity, lot, a, b, moderator, _ = opened
        sign_in(client, commissioner)
        url = reverse("procurement:award", args=[opportunity.pk])
        # Before every answer has its agreed score, the page says why it cannot be awarded.
        page = client.get(url, {"lot": lot.pk}).content.decode()
        assert "You cannot award this lot yet. 6 answers on lot 1 have no agreed score yet." in page
        assert "Confirm the award" not in page
        _agree_all(moderator, {a: {0: 10, 1: 8, 2: 8}, b: {0: 10, 1: 5, 2: 6}}, _questions(opportunity))
        page = client.get(url, {"lot": lot.pk}).content.decode()
        ends = standstill_end(timezone.localdate(), 8)
        assert "Awarded to</dt>" in page and "Alpha Trust" in page and "80.00 out of 100" in page
        assert _total_in_table(page, "Alpha Trust") == "80.00" and _total_in_table(page, "Beta Care") == "71.80"
        assert "(Alpha Trust and Beta Care) is emailed their assessment summary" in page
        assert f"The standstill period runs until {dateformat.format(ends, 'l j F Y')}" in page
        assert "the contract is offered to Alpha Trust" in page
        assert "A change of 17.45 percentage points in the quality:price split would change the winner" in page
        assert not Award.objects.exists() and not mail.outbox  # nothing happens until it is confirmed
        # The opportunity's page leads here (no award from its own button); confirming awards it.
        manage = _manage(client, opportunity)
        assert f'href="{url}?lot={lot.pk}"' in manage and "Award lot 1</a>" in manage
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"lot": lot.pk})
        assert response.status_code == 302
        award = Award.objects.get(lot=lot)
        assert award.submission == a and award.standstill_ends_on == ends
        assert len([m for m in mail.outbox if m.subject.startswith("Outcome")]) == 2
        banner = client.get(response.url).content.decode()
        assert f"the standstill period ends on {dateformat.format(ends, 'l j F Y')}" in banner
        # Awarded: the confirmation page is no longer there, and a second award is refused.
        assert client.get(url, {"lot": lot.pk}).status_code == 404
        assert client.get(url, {"lot": "not-a-uuid"}).status_code == 404
        assert client.post(url, {"lot": lot.pk}).status_code == 400


class TestGrants:
    def test_a_grant_bid_asks_the_amount_requested_and_needs_it_to_submit(
        self, client, authority, commissioner, bidders
    ):
        from shortbreaks.procurement.models import Submission
        from shortbreaks.procurement.services import opportunity_publish

        _, alpha_user, _, _ = bidders
        grant = build(authority, commissioner, route="grant", reference="G-2", lots=1, price_formula="none")
        grant = opportunity_publish(opportunity=grant, published_by=commissioner)
        lot = grant.lots.get()
        sign_in(client, alpha_user)
        url = reverse("procurement:respond", args=[grant.pk, lot.pk])
        page = client.get(url).content.decode()
        assert "Amount requested (£)" in page and 'name="price"' in page
        assert "Your price for the lot" not in page
        data = {f"answer-{q.pk}": "Our answer" for q in grant.questions.all()}
        response = client.post(url, {**data, "price": "", "action": "submit"})
        body = response.content.decode()
        assert response.status_code == 400 and "Give the amount requested." in body
        assert not Submission.objects.filter(status=Submission.Status.SUBMITTED).exists()
        response = client.post(url, {**data, "price": "£12,000", "action": "submit"})
        assert response.status_code == 302
        submission = Submission.objects.get(status=Submission.Status.SUBMITTED)
        assert submission.price == Decimal("12000")
        page = client.get(url).content.decode()
        assert "Amount requested</dt>" in page and "£12,000.00" in page

    def test_a_grant_offers_an_amount_up_to_the_request_and_takes_effect_at_once(
        self, client, authority, commissioner, officer, bidders, django_capture_on_commit_callbacks
    ):
        from django.core import mail

        from shortbreaks.contracts.models import Contract
        from shortbreaks.procurement.services import conflict_declare, opportunity_publish, submissions_open

        from .factories import pass_deadline, submit

        alpha, alpha_user, _, _ = bidders
        grant = build(authority, commissioner, route="grant", reference="G-1", lots=1, price_formula="none")
        grant = opportunity_publish(opportunity=grant, published_by=commissioner)
        bid = submit(grant, alpha, alpha_user, price="12000")  # the amount requested
        pass_deadline(grant)
        grant = submissions_open(opportunity=grant, opened_by=commissioner)
        evaluator_add(opportunity=grant, user=officer, panel="officers", is_moderator=False, added_by=commissioner)
        moderator = evaluator_add(
            opportunity=grant, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner
        )
        lot = grant.lots.get()
        conflict_declare(evaluator=moderator, lot=lot, has_conflict=False, details="")
        _agree_all(moderator, {bid: {0: 10, 1: 7, 2: 6}}, _questions(grant))
        sign_in(client, commissioner)
        url = reverse("procurement:award", args=[grant.pk])
        page = client.get(url, {"lot": lot.pk}).content.decode()
        assert "Amount requested</dt>" in page and "£12,000.00" in page
        assert "has no standstill period: the award takes effect at once" in page
        assert "standstill period runs until" not in page
        assert 'name="amount_offered"' in page and 'value="12000.00"' in page
        typed = {"lot": lot.pk, "amount_offered": "15,000", "conditions": "Holiday clubs; termly reports"}
        response = client.post(url, typed)
        body = response.content.decode()
        assert response.status_code == 400 and "cannot be more than the £12,000.00 requested" in body
        assert 'value="15,000"' in body and "Holiday clubs; termly reports</textarea>" in body
        assert client.post(url, typed | {"amount_offered": ""}).status_code == 400
        assert not Award.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, typed | {"amount_offered": "£10,000"})
        assert response.status_code == 302
        award = Award.objects.get(lot=lot)
        assert award.amount_offered == Decimal("10000") and award.status == Award.Status.CONFIRMED
        # At once: the grant agreement is offered now, for the amount offered.
        agreement = Contract.objects.get(award=award)
        assert (agreement.status, agreement.value, agreement.kind) == ("offered", Decimal("10000.00"), "grant")
        banner = client.get(response.url).content.decode()
        assert (
            "offered £10,000.00" in banner and "There is no standstill period: the award took effect at once" in banner
        )
        assert "There is no standstill period on a grant call: the award takes effect at once" in banner
        outcome = next(m for m in mail.outbox if m.subject.startswith("Outcome"))
        assert "The council offers £10,000.00 (you requested £12,000.00)." in outcome.body
        assert "standstill period ends" not in outcome.body and "takes effect at once" in outcome.body
        assert "Price score" not in outcome.body
        # The open data gives the amount offered as the award's value, and the award as active.
        package = client.get("/api/ocds/releases").json()
        package_validator().validate(package)
        (released,) = [a for r in package["releases"] if r["tag"] == ["award"] for a in r["awards"]]
        assert released["value"]["amount"] == 10000 and released["status"] == "active"


def test_the_evaluators_pages_give_the_deadline_as_a_date_and_a_gov_uk_time(client, authority, commissioner):
    from django.utils import dateformat, timezone

    from shortbreaks.core.templatetags.govuk import clock
    from shortbreaks.procurement.services import opportunity_publish

    opportunity = opportunity_publish(opportunity=build(authority, commissioner, lots=1), published_by=commissioner)
    mum = make_user(authority, Role.PANEL_MEMBER, email="mum@example.org")
    evaluator_add(opportunity=opportunity, user=mum, panel="parents", is_moderator=False, added_by=commissioner)
    deadline = timezone.localtime(opportunity.submission_deadline)
    said = f"{dateformat.format(deadline, 'j F Y')} at {clock(deadline)}"
    sign_in(client, mum)
    assert said in client.get(reverse("procurement:my-evaluations")).content.decode()
    assert said in client.get(reverse("procurement:evaluate", args=[opportunity.pk])).content.decode()
