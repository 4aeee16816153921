"""Procurement: building and publishing an opportunity, thresholds, clarifications, sealed
submissions (every path tried), the deadline to the second, opening, and OCDS output."""

import datetime as dt
import io
import json
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import site_url
from shortbreaks.procurement.models import Award, Opportunity, Question, Score, Submission
from shortbreaks.procurement.selectors import readable_submissions
from shortbreaks.procurement.services import (
    clarification_answer,
    clarification_ask,
    lot_add,
    opportunity_create,
    opportunity_publish,
    opportunity_update,
    question_add,
    submission_confirm,
    submission_save,
    submission_submit,
    submission_withdraw,
    submissions_open,
    threshold_warnings,
)

from .clock import NOW
from .factories import (
    answers_for,
    build,
    call_off_fields,
    call_off_terms,
    make_organisation,
    make_user,
    opened_for_evaluation,
    pass_deadline,
    sign_in,
    submit,
)
from .ocds_schemas import package_validator


class TestBuilding:
    def test_publish_needs_lots_deadlines_and_weights_adding_to_100(self, authority, commissioner):
        opportunity = opportunity_create(
            authority=authority, created_by=commissioner, reference="X-1", title="T", description="D", route="open"
        )
        with pytest.raises(NotAllowed) as refused:
            opportunity_publish(opportunity=opportunity, published_by=commissioner)
        assert "Add at least one lot" in str(refused.value) and "submission deadline" in str(refused.value)
        good = build(authority, commissioner, reference="X-2")
        Question.objects.filter(opportunity=good, weight=30).update(weight=20)
        with pytest.raises(NotAllowed, match="add up to 90"):
            opportunity_publish(opportunity=good, published_by=commissioner)

    def test_direct_routes_need_a_justification_and_thresholds_warn(self, authority, commissioner):
        with pytest.raises(NotAllowed, match="Record why"):
            opportunity_create(
                authority=authority, created_by=commissioner, reference="S-1", title="T", description="D", route="spot"
            )
        big = build(authority, commissioner, value="700000")
        assert any("light-touch threshold" in w for w in threshold_warnings(big))
        spot = opportunity_create(
            authority=authority,
            created_by=commissioner,
            reference="S-2",
            title="T",
            description="D",
            route="spot",
            justification="One child, urgent",
        )
        lot_add(opportunity=spot, title="Placement", description="", value=Decimal("150000"), added_by=commissioner)
        assert any("tender threshold" in w for w in threshold_warnings(spot))

    def test_a_spot_purchase_offers_no_lots_questions_or_panel_shares(self, client, authority, commissioner):
        spot = opportunity_create(
            authority=authority,
            created_by=commissioner,
            reference="S-3",
            title="Placement for one child",
            description="D",
            route="spot",
            justification="One child, urgent",
        )
        sign_in(client, commissioner)
        page = client.get(reverse("procurement:manage", args=[spot.pk])).content.decode()
        assert "record the agreement with the provider" in page
        for offer in ("Add a lot", "Add a question", "share of the marks", "<h2 class=\"govuk-heading-m\">Lots"):
            assert offer not in page, offer

    def test_frameworks_last_four_years_unless_open_and_reopening(self, authority, commissioner):
        closed = build(authority, commissioner, route="framework", reference="F-1", term_months=60)
        assert any("four years at most" in w for w in threshold_warnings(closed))
        open_framework = build(
            authority, commissioner, route="framework", reference="F-2", term_months=96, reopens_every_months=24
        )
        assert not threshold_warnings(open_framework)
        # Due to re-open on the 1st of a month soon: said "1 March 2027", never "01 March 2027".
        from dateutil.relativedelta import relativedelta

        due = (timezone.localdate() + relativedelta(months=2)).replace(day=1)
        open_framework.award_date = due - relativedelta(months=24)
        open_framework.save(update_fields=["award_date"])
        said = f"The framework is due to re-open to new providers by 1 {due:%B %Y}."
        assert said in threshold_warnings(open_framework)

    def test_quality_and_price_add_up(self, authority, commissioner):
        with pytest.raises(NotAllowed, match="add up to 100"):
            opportunity_create(
                authority=authority,
                created_by=commissioner,
                reference="Q-1",
                title="T",
                description="D",
                route="open",
                quality_weight=60,
                price_weight=30,
            )


class TestSubmissions:
    def test_deadlines_are_said_in_govuk_style(self, authority, commissioner, bidders, client):
        """ "11 December 2026 at 10am": no 24-hour clock, seconds or leading zero, on the pages
        and in what the services say."""
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        deadline = (timezone.localtime() + dt.timedelta(days=20)).replace(hour=10, minute=0, second=0, microsecond=0)
        Opportunity.objects.filter(pk=opportunity.pk).update(submission_deadline=deadline)
        opportunity = opportunity_publish(
            opportunity=Opportunity.objects.get(pk=opportunity.pk), published_by=commissioner
        )
        said = f"{deadline.day} {deadline:%B %Y} at 10am"
        sign_in(client, commissioner)
        manage = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        assert f"Submissions close</dt><dd class=\"govuk-summary-list__value\">{said}</dd>" in manage
        assert "10:00" not in manage
        with pytest.raises(NotAllowed, match=f"sealed until {said}\\."):
            submissions_open(opportunity=opportunity, opened_by=commissioner)
        sign_in(client, alpha_user)
        lot = opportunity.lots.first()
        respond = client.get(reverse("procurement:respond", args=[opportunity.pk, lot.pk])).content.decode()
        assert f"Submissions close {said}, by the server's clock" in respond and "10:00" not in respond
        listed = client.get(reverse("procurement:public")).content.decode()
        assert "10:00" not in listed
        # The lots table stacks on a phone, each cell saying its column, so nothing runs off the screen.
        detail = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
        assert 'class="govuk-table app-table-stack"' in detail and 'data-label="Your bid"' in detail

    def test_sealed_until_opened_after_the_deadline(self, authority, commissioner, bidders, client):
        alpha, alpha_user, beta, beta_user = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        mine = submit(opportunity, alpha, alpha_user)
        submit(opportunity, beta, beta_user, price="45000")

        # Before the deadline: the commissioner and the other bidder read nothing, anywhere.
        assert not readable_submissions(user=commissioner, authority=authority, opportunity=opportunity).exists()
        assert list(readable_submissions(user=alpha_user, authority=authority, opportunity=opportunity)) == [mine]
        sign_in(client, commissioner)
        page = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        assert "Our answer" not in page and "Sealed until" in page
        with pytest.raises(NotAllowed, match="sealed until"):
            submissions_open(opportunity=opportunity, opened_by=commissioner)
        admin = make_user(authority, email="admin@example.org")
        admin.is_staff = admin.is_superuser = True
        admin.save()
        sign_in(client, admin)
        assert client.get("/admin/procurement/submission/").status_code == 404
        assert client.get("/admin/procurement/answer/").status_code == 404
        assert "Our answer" not in client.get("/api/ocds/releases").content.decode()
        out = io.StringIO()
        call_command("export_ocds", stdout=out)
        assert "Our answer" not in out.getvalue() and "45000" not in out.getvalue()
        sign_in(client, beta_user)
        page = client.get(reverse("procurement:respond", args=[opportunity.pk, mine.lot_id])).content.decode()
        assert "Submitted" in page  # Beta's own bid, never Alpha's
        assert "50000" not in page and "Alpha" not in page

        # After the deadline: late submissions are refused; opening is audited; then readable.
        pass_deadline(opportunity)
        with pytest.raises(NotAllowed, match="deadline .* has passed"):
            submission_withdraw(submission=mine, withdrawn_by=alpha_user)
        opportunity = submissions_open(opportunity=opportunity, opened_by=commissioner)
        assert AuditEvent.objects.filter(action="procurement.opened").count() == 1
        assert readable_submissions(user=commissioner, authority=authority, opportunity=opportunity).count() == 2
        sign_in(client, commissioner)
        assert "Our answer to" in client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        # Another bidder still sees only its own.
        assert readable_submissions(user=beta_user, authority=authority, opportunity=opportunity).count() == 1

    def test_the_deadline_is_to_the_second(self, authority, commissioner, bidders):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        Opportunity.objects.filter(pk=opportunity.pk).update(
            clarification_deadline=timezone.now() - dt.timedelta(hours=1), submission_deadline=timezone.now()
        )
        with pytest.raises(NotAllowed, match="submissions are closed"):
            submit(opportunity, alpha, alpha_user)
        assert not Submission.objects.exists()

    def test_incomplete_bids_are_refused_and_withdraw_resubmit_works(self, authority, commissioner, bidders):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        draft = submission_save(
            opportunity=opportunity,
            lot=opportunity.lots.first(),
            organisation=alpha,
            answers={},
            price=None,
            saved_by=alpha_user,
        )
        with pytest.raises(NotAllowed, match="Answer selection question 1.*Give your price"):
            submission_submit(submission=draft, submitted_by=alpha_user)
        submitted = submit(opportunity, alpha, alpha_user)
        with pytest.raises(NotAllowed, match="withdraw it to change it"):
            submission_save(
                opportunity=opportunity,
                lot=submitted.lot,
                organisation=alpha,
                answers={},
                price=None,
                saved_by=alpha_user,
            )
        submission_withdraw(submission=submitted, withdrawn_by=alpha_user)
        again = submit(opportunity, alpha, alpha_user, price="48000")
        assert again.pk == submitted.pk and again.status == "submitted" and again.price == Decimal("48000")

    def test_a_change_after_submitting_asks_providers_to_confirm(
        self, authority, commissioner, bidders, django_capture_on_commit_callbacks
    ):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        submission = submit(opportunity, alpha, alpha_user)
        with django_capture_on_commit_callbacks(execute=True):
            opportunity_update(
                opportunity=opportunity,
                updated_by=commissioner,
                submission_deadline=opportunity.submission_deadline + dt.timedelta(days=3),
            )
        submission.refresh_from_db()
        assert submission.needs_confirmation
        assert any("changed after you submitted" in m.body for m in mail.outbox)
        submission_confirm(submission=submission, confirmed_by=alpha_user)
        submission.refresh_from_db()
        assert not submission.needs_confirmation


class TestClarifications:
    def test_answers_are_published_without_saying_who_asked(self, authority, commissioner, bidders, client):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        clarification = clarification_ask(
            opportunity=opportunity, organisation=alpha, question="Is transport included?", asked_by=alpha_user
        )
        page = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
        assert "Is transport included?" not in page  # not until answered
        clarification_answer(
            clarification=clarification, answer="No, it is a separate lot later.", answered_by=commissioner
        )
        page = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
        assert "Is transport included?" in page and "separate lot" in page and "Alpha Trust" not in page


class TestPages:
    def test_commissioner_builds_and_publishes_through_the_pages(self, client, authority, commissioner):
        sign_in(client, commissioner)
        response = client.post(reverse("procurement:list"), {"reference": "bad ref!", "title": "", "route": "open"})
        assert "Use letters, numbers" in response.content.decode()
        now = timezone.localtime()
        response = client.post(
            reverse("procurement:list"),
            {
                "reference": "SB-9",
                "title": "Overnight breaks",
                "description": "Nights away.",
                "route": "open",
                "quality_weight": 60,
                "price_weight": 40,
                "price_formula": "lowest",
                "clarification_deadline": (now + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
                "submission_deadline": (now + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        opportunity = Opportunity.objects.get(reference="SB-9")
        url = reverse("procurement:manage", args=[opportunity.pk])
        assert response.url == url
        client.post(
            reverse("procurement:lot-add", args=[opportunity.pk]), {"lot-title": "Overnights", "lot-value": "250000"}
        )
        client.post(
            reverse("procurement:question-add", args=[opportunity.pk]),
            {
                "question-kind": "award",
                "question-text": "Quality?",
                "question-weight": 100,
                "question-panel": "officers",
            },
        )
        client.post(reverse("procurement:publish", args=[opportunity.pk]))
        opportunity.refresh_from_db()
        assert opportunity.status == "open"
        assert "Overnight breaks" in client.get(reverse("procurement:public")).content.decode()

    def test_provider_responds_through_the_page(self, client, authority, commissioner, bidders):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        lot = opportunity.lots.first()
        sign_in(client, alpha_user)
        url = reverse("procurement:respond", args=[opportunity.pk, lot.pk])
        data = {f"answer-{q.pk}": "Yes" for q in opportunity.questions.all()}
        response = client.post(url, {**data, "price": "lots", "action": "submit"})
        assert "Enter the price as a number" in response.content.decode()
        response = client.post(url, {**data, "price": "£52,000", "action": "submit"})
        assert response.status_code == 302
        assert Submission.objects.get().price == Decimal("52000")

    def test_a_bid_on_one_lot_leaves_the_others_to_bid_on(self, client, authority, commissioner, bidders):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)  # two lots
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        first, second = opportunity.lots.order_by("number")
        submit(opportunity, alpha, alpha_user)  # on lot 1
        sign_in(client, alpha_user)
        page = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
        assert "Submitted: open" in page and "your bid on lot 1" in page
        assert reverse("procurement:respond", args=[opportunity.pk, second.pk]) in page
        assert "Respond<span class=\"govuk-visually-hidden\"> to lot 2" in page
        assert "to lot 1<" not in page

    def test_a_submitted_bid_is_read_back_and_receipted(
        self, client, authority, commissioner, bidders, django_capture_on_commit_callbacks
    ):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        lot = opportunity.lots.first()
        sign_in(client, alpha_user)
        url = reverse("procurement:respond", args=[opportunity.pk, lot.pk])
        data = {f"answer-{q.pk}": f"Our answer to question {q.number}" for q in opportunity.questions.all()}
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {**data, "price": "£52,000", "action": "submit"})
        receipts = [m for m in mail.outbox if m.subject.startswith("Bid received")]
        assert sorted(m.to[0] for m in receipts) == sorted({alpha.email, alpha_user.email})  # one each
        assert all(len(m.to) == 1 for m in receipts)
        # A link to read it back, not the bid itself.
        assert site_url(authority) + url in receipts[0].body and "Our answer" not in receipts[0].body
        page = client.get(url).content.decode()
        assert "What you submitted" in page and "£52,000.00" in page
        for q in opportunity.questions.all():
            assert f"Our answer to question {q.number}" in page
        pass_deadline(opportunity)
        page = client.get(url).content.decode()
        assert "What you submitted" in page and "Withdraw it to change it" not in page
        detail = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
        assert "Closed: read your bid" in detail


class TestOpenContractingData:
    def test_every_release_validates_against_ocds_with_lots(self, client, authority, commissioner):
        assert client.get("/api/ocds/releases").status_code == 404  # nothing published yet
        for n, route in enumerate(["open", "framework", "dynamic_list"]):
            opportunity_publish(
                opportunity=build(authority, commissioner, route=route, reference=f"SB-{n}"), published_by=commissioner
            )
        build(authority, commissioner, reference="DRAFT-1")  # drafts are not published
        from shortbreaks.procurement.services import opportunity_announce

        opportunity_announce(opportunity=build(authority, commissioner, reference="PLAN-1"), announced_by=commissioner)
        package = client.get("/api/ocds/releases").json()
        package_validator().validate(package)
        # The lots extension by its release for OCDS 1.1 (master's refers to definitions 1.1 lacks).
        assert package["extensions"] == [
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
        ]
        planning = [r for r in package["releases"] if r["tag"] == ["planning"]]
        assert len(planning) == 1 and planning[0]["planning"]["budget"]["amount"]["amount"] == 120000
        package["releases"] = [r for r in package["releases"] if r["tag"] == ["tender"]]
        assert len(package["releases"]) == 3
        assert {len(r["tender"]["lots"]) for r in package["releases"]} == {2}
        out = io.StringIO()
        call_command("export_ocds", stdout=out)
        exported = json.loads(out.getvalue())
        package_validator().validate(exported)
        assert [r["ocid"] for r in exported["releases"] if r["tag"] == ["tender"]] == [
            r["ocid"] for r in package["releases"]
        ]
        assert client.get("/api/ocds/releases?page=0").status_code == 400
        assert client.get("/api/ocds/releases?page=2").status_code == 404

    @pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
    def test_changes_after_publication_are_tender_amendments(self, client, authority, commissioner, clock):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from shortbreaks.procurement.services import document_add

        opportunity = build(authority, commissioner)
        opportunity = opportunity_update(opportunity=opportunity, updated_by=commissioner, title="Before publishing")
        document_add(
            opportunity=opportunity,
            title="Draft spec",
            upload=SimpleUploadedFile("draft.pdf", TestDocuments.PDF),
            uploaded_by=commissioner,
        )
        opportunity = opportunity_publish(opportunity=opportunity, published_by=commissioner)

        def releases():
            package = client.get(f"/api/ocds/releases?ocid={opportunity.ocid}").json()
            package_validator().validate(package)
            return package["releases"]

        assert [r["tag"] for r in releases()] == [["tender"]]  # changes while a draft are not amendments
        clock.move_to(NOW + dt.timedelta(hours=1))
        opportunity = opportunity_update(
            opportunity=opportunity,
            updated_by=commissioner,
            submission_deadline=opportunity.submission_deadline + dt.timedelta(days=7),
            description="Now with transport.",
        )
        clock.move_to(NOW + dt.timedelta(hours=2))
        document_add(
            opportunity=opportunity,
            title="Specification, version 2",
            upload=SimpleUploadedFile("spec.pdf", TestDocuments.PDF),
            uploaded_by=commissioner,
        )
        tender, first, second = releases()
        assert [first["tag"], second["tag"]] == [["tenderAmendment"], ["tenderAmendment"]]
        assert first["date"] < second["date"] and first["id"] != second["id"] != tender["id"]
        assert [a["description"] for a in second["tender"]["amendments"]] == [
            "Changed: description, submission deadline.",
            "Document added: Specification, version 2.",
        ]
        assert first["tender"]["amendments"] == second["tender"]["amendments"][:1]
        assert second["tender"]["tenderPeriod"]["endDate"] == tender["tender"]["tenderPeriod"]["endDate"]
        assert second["parties"] == tender["parties"] and second["buyer"] == tender["buyer"]


class TestEvaluation:
    def test_sensitivity_finds_the_smallest_change_of_any_one_weight(self, authority, commissioner):
        from shortbreaks.procurement.scoring import BidResult, sensitivity

        opportunity = build(authority, commissioner, lots=1)
        q1, q2 = opportunity.questions.filter(kind="award").order_by("number")
        assert (q1.weight, q2.weight) == (70, 30)
        # Same price; Alpha 10 and 0, Beta 5 and 10: quality 70 against 65, totals 82 against 79.
        alpha = BidResult(None, True, Decimal(70), Decimal(100), Decimal(82), 0, {q1.pk: 10, q2.pk: 0}, rank=1)
        beta = BidResult(None, True, Decimal(65), Decimal(100), Decimal(79), 0, {q1.pk: 5, q2.pk: 10}, rank=2)
        # Moving 3.33 points from question 1 to question 2 levels them (66.67 each); the
        # quality:price split would need 60 points.
        assert sensitivity([alpha, beta], opportunity) == (Decimal("3.33"), "the weight of award question 1")
        assert sensitivity([alpha], opportunity) == (None, "")

    def test_evaluators_are_invited_by_email(self, authority, commissioner, django_capture_on_commit_callbacks):
        from shortbreaks.procurement.services import evaluator_add

        opportunity = build(authority, commissioner, lots=1)
        panel_user = make_user(authority, Role.PANEL_MEMBER, email="dad@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            evaluator_add(
                opportunity=opportunity, user=panel_user, panel="parents", is_moderator=False, added_by=commissioner
            )
        invitation = mail.outbox[-1]
        assert invitation.to == ["dad@example.org"] and "parents' panel" in invitation.body
        assert f"/evaluate/{opportunity.pk}/" in invitation.body and "conflict of interest" in invitation.body

    def test_scores_agreed_totals_sensitivity_award_and_summaries(
        self, authority, commissioner, bidders, officer, django_capture_on_commit_callbacks
    ):
        from shortbreaks.procurement.scoring import lot_results
        from shortbreaks.procurement.services import (
            award_decide,
            score_agree,
            score_record,
            standstill_end,
        )

        opportunity, lot, a, b, moderator, parent_panel = opened_for_evaluation(
            authority, commissioner, bidders, officer
        )
        questions = {q.number if q.kind == "award" else 0: q for q in opportunity.questions.all()}
        with pytest.raises(NotAllowed, match="scored by the council officers"):
            score_record(evaluator=parent_panel, submission=a, question=questions[2], score=5, justification="x")
        score_record(
            evaluator=parent_panel, submission=a, question=questions[1], score=9, justification="Children lead"
        )
        score_record(
            evaluator=parent_panel, submission=a, question=questions[1], score=8, justification="On reflection"
        )
        assert AuditEvent.objects.filter(action="procurement.scored", summary__contains="(was 9)").exists()
        with pytest.raises(NotAllowed, match="pass \\(10\\) or fail"):
            score_agree(moderator=moderator, submission=a, question=questions[0], score=5, rationale="x")
        agreed = {a.pk: {0: 10, 1: 8, 2: 8}, b.pk: {0: 10, 1: 5, 2: 6}}
        for bid in (a, b):
            for number, score in agreed[bid.pk].items():
                score_agree(
                    moderator=moderator,
                    submission=bid,
                    question=questions[number],
                    score=score,
                    rationale=f"Agreed {score}",
                )
        results = lot_results(lot)
        # Alpha: quality 70*0.8+30*0.8 = 80, price 40000/50000 = 80 -> 80. Beta: 35+18 = 53, price 100 -> 71.8.
        assert [(r.submission.pk, r.total) for r in results] == [(a.pk, Decimal("80.00")), (b.pk, Decimal("71.80"))]
        with django_capture_on_commit_callbacks(execute=True):
            award = award_decide(lot=lot, decided_by=commissioner)
        assert award.submission == a
        # The lines cross where w*80+(100-w)*80 = w*53+(100-w)*100: w = 42.55..., 17.45 points from 60.
        assert (award.sensitivity_points, award.sensitivity_basis) == (Decimal("17.45"), "the quality:price split")
        assert award.standstill_ends_on == standstill_end(timezone.localdate(), 8)
        beta_mail = next(m for m in mail.outbox if "beta" in m.to[0] or m.to == [b.organisation.email])
        assert "not been selected" in beta_mail.body and "the winner 8" in beta_mail.body
        opportunity.refresh_from_db()
        assert opportunity.status == "awarded"
        from django.test import Client

        package = Client().get("/api/ocds/releases").json()
        package_validator().validate(package)
        award_release = next(r for r in package["releases"] if r["tag"] == ["award"])
        assert award_release["awards"][0]["suppliers"][0]["name"] == "Alpha Trust"
        assert award_release["awards"][0]["relatedLots"] == ["1"]
        # Each bidder reads its own assessment summary, and only its own.
        _, _, _, beta_user = bidders
        beta_client = Client()
        sign_in(beta_client, beta_user)
        page = beta_client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
        assert "You have not been selected" in page and "Your total: 71.80" in page
        assert "Your total: 80.00" not in page

    def test_conflicts_keep_an_evaluator_off_the_lot(self, authority, commissioner, bidders, officer):
        from shortbreaks.procurement.services import conflict_declare, evaluator_add, score_record

        opportunity, lot, a, b, moderator, parent_panel = opened_for_evaluation(
            authority, commissioner, bidders, officer
        )
        conflicted = evaluator_add(
            opportunity=opportunity, user=officer, panel="officers", is_moderator=False, added_by=commissioner
        )
        question = opportunity.questions.get(kind="award", number=2)
        with pytest.raises(NotAllowed, match="Declare whether"):
            score_record(evaluator=conflicted, submission=a, question=question, score=5, justification="x")
        with pytest.raises(NotAllowed, match="Say what the conflict is"):
            conflict_declare(evaluator=conflicted, lot=lot, has_conflict=True, details="")
        conflict_declare(evaluator=conflicted, lot=lot, has_conflict=True, details="My sister runs Alpha Trust")
        with pytest.raises(NotAllowed, match="with one, you cannot score"):
            score_record(evaluator=conflicted, submission=a, question=question, score=5, justification="x")

    def test_only_panel_roles_sit_on_panels(self, authority, commissioner, parent):
        from shortbreaks.procurement.services import evaluator_add

        opportunity = build(authority, commissioner)
        with pytest.raises(NotAllowed, match="does not hold a role"):
            evaluator_add(
                opportunity=opportunity, user=parent, panel="parents", is_moderator=False, added_by=commissioner
            )

    def test_standstill_skips_weekends_and_bank_holidays(self):
        from shortbreaks.procurement.services import standstill_end

        # Thursday 24 December 2026 + 3 working days: Christmas, Boxing Day (substitute Monday 28th)
        # and the weekend are skipped -> 29, 30, 31 December.
        assert standstill_end(dt.date(2026, 12, 24), 3) == dt.date(2026, 12, 31)


class TestEvaluationPages:
    def test_evaluators_see_bids_by_letter_after_declaring(self, client, authority, commissioner, bidders, officer):
        setup = opened_for_evaluation
        opportunity, lot, a, b, moderator, parent_panel = setup(authority, commissioner, bidders, officer)
        from shortbreaks.procurement.services import evaluator_add

        late = evaluator_add(
            opportunity=opportunity, user=officer, panel="officers", is_moderator=False, added_by=commissioner
        )
        sign_in(client, officer)
        url = reverse("procurement:score", args=[opportunity.pk, lot.pk])
        page = client.get(url).content.decode()
        assert "Before you see any bid" in page and "Our answer" not in page
        response = client.post(reverse("procurement:declare", args=[opportunity.pk, lot.pk]), {"details": ""})
        assert (
            response.status_code == 400 and "Say whether you have a conflict of interest" in response.content.decode()
        )
        page = client.get(url).content.decode()
        assert 'name="conflict"' in page and " checked" not in page  # neither answer is chosen for them
        client.post(reverse("procurement:declare", args=[opportunity.pk, lot.pk]), {"conflict": "no"})
        page = client.get(url).content.decode()
        assert "Bid A" in page and "Bid B" in page and "Alpha Trust" not in page and "Beta Care" not in page
        question = opportunity.questions.get(kind="award", number=2)
        scoring = reverse("procurement:score-save", args=[opportunity.pk, lot.pk])
        client.post(
            scoring,
            {
                "submission": a.pk,
                "question": question.pk,
                "score": "7",
                "justification": "Clear safeguarding",
            },
        )
        assert Score.objects.get(evaluator=late).score == 7
        response = client.post(
            scoring, {"submission": a.pk, "question": question.pk, "score": "x", "justification": "Kept"}
        )
        assert response.status_code == 400 and "Choose a score from 0 to 10" in response.content.decode()
        assert "Kept</textarea>" in response.content.decode()
        # Someone not on the evaluation sees nothing.
        other = make_user(authority, Role.OFFICER, email="other-officer@example.org")
        sign_in(client, other)
        assert client.get(url).status_code == 404

    def test_a_buyer_on_the_evaluation_finds_it_from_the_opportunitys_page(
        self, client, authority, commissioner, bidders, officer
    ):
        opportunity, *_ = opened_for_evaluation(authority, commissioner, bidders, officer)
        sign_in(client, commissioner)
        page = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        found = re.search(r'<p class="govuk-body" id="my-evaluation">(.*?)</p>', page)
        assert found, "the moderator has no way from the page to their evaluation"
        assert "You evaluate it (council officers, moderator)" in unescape(found.group(1))
        assert f'href="{reverse("procurement:evaluate", args=[opportunity.pk])}"' in found.group(1)
        # A buyer who is not evaluating it is offered nothing.
        sign_in(client, make_user(authority, Role.PROCUREMENT_OFFICER, email="buyer@example.org"))
        page = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        assert 'id="my-evaluation"' not in page

    def test_staff_who_evaluate_have_their_evaluations_in_the_menu(
        self, client, authority, commissioner, bidders, officer
    ):
        opportunity, *_ = opened_for_evaluation(authority, commissioner, bidders, officer)
        link = f'href="{reverse("procurement:my-evaluations")}">Your evaluations</a>'
        scorer = opportunity.evaluators.get(user__email="scorer@example.org").user
        sign_in(client, scorer)  # an evaluator who is not a buyer: not only from the emailed link
        assert link in client.get(reverse("families:caseload")).content.decode()
        sign_in(client, officer)  # an officer evaluating nothing
        assert link not in client.get(reverse("families:caseload")).content.decode()


class TestPanels:
    def test_a_parents_panel_sets_its_own_criteria_within_its_share(self, client, authority, commissioner):
        from shortbreaks.procurement.services import evaluator_add, panel_share_set

        opportunity = build(authority, commissioner)  # parents 70%, officers 30% from the commissioner
        Question.objects.filter(opportunity=opportunity, panel="parents").delete()
        panel_share_set(opportunity=opportunity, panel="parents", share=40, set_by=commissioner)
        Question.objects.filter(opportunity=opportunity, panel="officers", kind="award").update(weight=60)
        mum = make_user(authority, Role.PANEL_MEMBER, email="mum@example.org")
        evaluator_add(opportunity=opportunity, user=mum, panel="parents", is_moderator=False, added_by=commissioner)
        with pytest.raises(NotAllowed, match="has set criteria worth 0% of its 40%"):
            opportunity_publish(opportunity=opportunity, published_by=commissioner)
        sign_in(client, mum)
        url = reverse("procurement:evaluate", args=[opportunity.pk])
        client.post(url, {"text": "How will my child make friends?", "weight": "25"})
        response = client.post(url, {"text": "Will staff know my child?", "weight": "20"})
        assert response.status_code == 400 and "15% of its 40% left" in response.content.decode()
        assert "Will staff know my child?</textarea>" in response.content.decode()
        client.post(url, {"text": "Will staff know my child?", "weight": "15"})
        opportunity = opportunity_publish(opportunity=opportunity, published_by=commissioner)
        assert sorted(opportunity.questions.filter(panel="parents").values_list("weight", flat=True)) == [15, 25]

    def test_a_tender_with_a_parents_panel_is_built_and_published_from_the_pages(self, client, authority, commissioner):
        """Weights already at 100 make room for the panel's share: a question is changed, a lot
        removed (after asking), the parent invited before publication sets the panel's criterion,
        and the page says how the shares add up before it is published."""
        mum = make_user(authority, Role.PANEL_MEMBER, email="mum@example.org")
        sign_in(client, commissioner)
        now = timezone.localtime()
        client.post(
            reverse("procurement:list"),
            {
                "reference": "SB-PANEL",
                "title": "Weekend breaks",
                "description": "Weekends away.",
                "route": "open",
                "quality_weight": 60,
                "price_weight": 40,
                "price_formula": "lowest",
                "clarification_deadline": (now + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M"),
                "submission_deadline": (now + dt.timedelta(days=30)).strftime("%Y-%m-%d %H:%M"),
            },
        )
        opportunity = Opportunity.objects.get(reference="SB-PANEL")
        page_url = reverse("procurement:manage", args=[opportunity.pk])
        for title in ("Weekends", "Holidays"):
            client.post(
                reverse("procurement:lot-add", args=[opportunity.pk]), {"lot-title": title, "lot-value": "1000"}
            )
        client.post(
            reverse("procurement:question-add", args=[opportunity.pk]),
            {
                "question-kind": "award",
                "question-text": "Quality?",
                "question-weight": 100,
                "question-panel": "officers",
            },
        )
        client.post(reverse("procurement:panel-share", args=[opportunity.pk]), {"panel": "parents", "share": "30"})
        page = unescape(client.get(page_url).content.decode())
        weights = page[page.index('id="weights"') :]
        assert "Officers' questions" in weights and "70% left beside the panels' shares" in weights
        assert "Parents' panel" in weights and "its share is 30%" in weights

        question = opportunity.questions.get()
        change = reverse("procurement:question-change", args=[opportunity.pk, question.pk])
        fields = {"kind": "award", "text": "Quality of care?", "guidance": "", "panel": "officers"}
        response = client.post(change, {**fields, "weight": "lots"})
        assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
        assert "Quality of care?</textarea>" in response.content.decode()
        assert client.post(change, {**fields, "weight": "70"}).status_code == 302
        question.refresh_from_db()
        assert (question.text, question.weight) == ("Quality of care?", 70)

        first, second = opportunity.lots.order_by("number")
        client.post(
            reverse("procurement:lot-change", args=[opportunity.pk, second.pk]), {"title": "Holidays", "value": "2500"}
        )
        second.refresh_from_db()
        assert second.value == Decimal("2500")
        remove = reverse("procurement:lot-remove", args=[opportunity.pk, first.pk])
        assert "Are you sure you want to remove lot 1, Weekends?" in unescape(client.get(remove).content.decode())
        assert opportunity.lots.count() == 2  # asking removes nothing
        assert client.post(remove).status_code == 302
        assert list(opportunity.lots.values_list("number", "title")) == [(1, "Holidays")]

        # Invited before publication: she holds the panel member's role, so she joins at once.
        client.post(
            reverse("procurement:panel-invite", args=[opportunity.pk]),
            {"invite-email": "mum@example.org", "invite-full_name": "Mum Jones", "invite-panel": "parents"},
        )
        assert opportunity.evaluators.filter(user=mum, panel="parents").exists()
        client.post(reverse("procurement:publish", args=[opportunity.pk]))
        opportunity.refresh_from_db()
        assert opportunity.status == "draft"  # the panel has not set its criteria yet

        panel = Client()
        sign_in(panel, mum)
        panel.post(
            reverse("procurement:evaluate", args=[opportunity.pk]),
            {"text": "Will my child make friends?", "weight": "30"},
        )
        page = unescape(client.get(page_url).content.decode())
        weights = page[page.index('id="weights"') : page.index("</dl>", page.index('id="weights"'))]
        assert re.search(r"Officers' questions</dt><dd[^>]*>70%</dd>", weights)
        assert re.search(r"Parents' panel</dt><dd[^>]*>30%</dd>", weights)
        assert re.search(r"Total</dt><dd[^>]*>100%</dd>", weights)
        client.post(reverse("procurement:publish", args=[opportunity.pk]))
        opportunity.refresh_from_db()
        assert opportunity.status == "open"
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"procurement.question.changed", "procurement.lot.changed", "procurement.lot.removed"} <= actions
        # Once published, nothing is changed or removed any more.
        remove = reverse("procurement:lot-remove", args=[opportunity.pk, second.pk])
        assert remove not in client.get(page_url).content.decode()
        response = client.post(remove)
        assert response.status_code == 400 and "only while the opportunity is a draft" in response.content.decode()
        assert opportunity.lots.count() == 1

    def test_a_question_is_removed_after_asking_and_the_rest_renumbered(self, client, authority, commissioner):
        opportunity = build(authority, commissioner)
        award = list(opportunity.questions.filter(kind="award").order_by("number"))
        sign_in(client, commissioner)
        remove = reverse("procurement:question-remove", args=[opportunity.pk, award[0].pk])
        assert "Are you sure you want to remove award question 1?" in client.get(remove).content.decode()
        client.post(remove)
        assert list(opportunity.questions.filter(kind="award").values_list("number", flat=True)) == list(
            range(1, len(award))
        )
        assert AuditEvent.objects.filter(action="procurement.question.removed").count() == 1


class TestDynamicList:
    def test_apply_any_time_admitted_and_removed_by_criteria(
        self, client, authority, commissioner, bidders, django_capture_on_commit_callbacks
    ):
        from shortbreaks.procurement.models import Membership

        alpha, alpha_user, beta, beta_user = bidders
        opportunity = opportunity_create(
            authority=authority,
            created_by=commissioner,
            reference="DL-1",
            title="Preferred providers of short breaks",
            description="Join at any time.",
            route="dynamic_list",
            price_formula="none",
        )
        lot_add(
            opportunity=opportunity,
            title="Community short breaks",
            description="",
            value=Decimal("200000"),
            added_by=commissioner,
        )
        with pytest.raises(NotAllowed, match="Publish the criteria"):
            opportunity_publish(opportunity=opportunity, published_by=commissioner)
        question_add(
            opportunity=opportunity,
            kind="selection",
            text="Are you registered with Ofsted?",
            guidance="",
            weight=0,
            panel="officers",
            added_by=commissioner,
        )
        opportunity = opportunity_publish(opportunity=opportunity, published_by=commissioner)
        assert "apply at any time" in client.get(reverse("procurement:public")).content.decode()
        # No deadline and no price: neither page speaks of one, nor of a quality and price split.
        public = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
        assert "Apply at any time" in public and "Questions close" not in public
        assert "Quality : price" not in public
        sign_in(client, commissioner)
        manage = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        assert "At any time: there is no deadline" in manage
        assert "Submissions close" not in manage and "Clarifications close" not in manage
        assert "Quality : price" not in manage
        client.logout()
        a = submit(opportunity, alpha, alpha_user, price=None)
        b = submit(opportunity, beta, beta_user, price=None)
        # Not a competition: the commissioner reads applications as they arrive.
        assert readable_submissions(user=commissioner, authority=authority, opportunity=opportunity).count() == 2
        sign_in(client, commissioner)
        url = reverse("procurement:application-decide", args=[opportunity.pk])
        response = client.post(url, {"action": "refuse", "submission": b.pk, "reasons": ""})
        assert response.status_code == 400 and "Say which published criteria" in response.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"action": "admit", "submission": a.pk})
            client.post(url, {"action": "refuse", "submission": b.pk, "reasons": "No Ofsted registration"})
        assert dict(Membership.objects.values_list("organisation__name", "status")) == {
            "Alpha Trust": "admitted",
            "Beta Care": "refused",
        }
        assert any("No Ofsted registration" in m.body for m in mail.outbox)
        membership = Membership.objects.get(organisation=alpha)
        client.post(
            reverse("procurement:membership-remove", args=[opportunity.pk]),
            {"membership": membership.pk, "reasons": "Registration lapsed"},
        )
        membership.refresh_from_db()
        assert membership.status == "removed" and membership.reasons == "Registration lapsed"
        # Alpha can apply again once it meets the criteria.
        again = submit(opportunity, alpha, alpha_user, price=None)
        assert again.status == "submitted"
        client.post(url, {"action": "admit", "submission": again.pk})
        assert Membership.objects.filter(organisation=alpha, status="admitted").count() == 1


class TestFrameworks:
    def test_award_appoints_members_then_a_mini_competition_calls_off(
        self, client, authority, commissioner, bidders, officer
    ):
        from shortbreaks.contracts.services import call_off_award
        from shortbreaks.procurement.models import CallOff, Lot, Membership
        from shortbreaks.procurement.selectors.frameworks import mini_competition_ranking
        from shortbreaks.procurement.services import (
            award_decide,
            call_off_bid,
            call_off_create,
            conflict_declare,
            evaluator_add,
            score_agree,
        )

        alpha, alpha_user, beta, beta_user = bidders
        opportunity = build(authority, commissioner, route="framework", lots=1, term_months=48)
        Lot.objects.filter(opportunity=opportunity).update(max_providers=3)
        opportunity = opportunity_publish(opportunity=opportunity, published_by=commissioner)
        a, b = submit(opportunity, alpha, alpha_user, "50000"), submit(opportunity, beta, beta_user, "40000")
        pass_deadline(opportunity)
        opportunity = submissions_open(opportunity=opportunity, opened_by=commissioner)
        scorer = make_user(authority, Role.OFFICER, email="scorer@example.org")  # the moderator is never alone
        evaluator_add(opportunity=opportunity, user=scorer, panel="officers", is_moderator=False, added_by=commissioner)
        moderator = evaluator_add(
            opportunity=opportunity, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner
        )
        lot = opportunity.lots.get()
        conflict_declare(evaluator=moderator, lot=lot, has_conflict=False, details="")
        for bid, scores in ((a, (10, 9, 9)), (b, (10, 5, 5))):
            for question, value in zip(
                opportunity.questions.order_by("kind", "number"), (scores[1], scores[2], scores[0]), strict=False
            ):
                score_agree(moderator=moderator, submission=bid, question=question, score=value, rationale="Agreed")
        award_decide(lot=lot, decided_by=commissioner)
        assert set(
            Membership.objects.filter(lot=lot, status="admitted").values_list("organisation__name", flat=True)
        ) == {"Alpha Trust", "Beta Care"}

        framework = Opportunity.objects.get(pk=opportunity.pk)
        # Not during the framework's standstill: the award could still be challenged.
        terms = {**call_off_terms(), "title": "Easter", "method": "direct", "justification": "Ranked first"}
        with pytest.raises(NotAllowed, match="standstill period runs until"):
            call_off_create(framework=framework, lot=lot, deadline=None, created_by=commissioner, **terms)
        Award.objects.filter(lot=lot).update(standstill_ends_on=timezone.localdate() - dt.timedelta(days=1))
        with pytest.raises(NotAllowed, match="Say why a direct award"):
            call_off_create(
                **call_off_terms(),
                framework=framework,
                lot=lot,
                title="Easter",
                method="direct",
                justification="",
                deadline=None,
                created_by=commissioner,
            )
        call_off = call_off_create(
            **call_off_terms(),
            framework=framework,
            lot=lot,
            title="Summer 2027",
            method="mini",
            justification="",
            deadline=timezone.now() + dt.timedelta(days=7),
            created_by=commissioner,
        )
        outsider = make_organisation(authority, name="Gamma Ltd")
        with pytest.raises(NotAllowed, match="Only members"):
            call_off_bid(call_off=call_off, organisation=outsider, price=Decimal("1000"), submitted_by=commissioner)
        call_off_bid(call_off=call_off, organisation=alpha, price=Decimal("30000"), submitted_by=alpha_user)
        call_off_bid(call_off=call_off, organisation=beta, price=Decimal("20000"), submitted_by=beta_user)
        assert mini_competition_ranking(call_off) == []  # sealed until the deadline
        with pytest.raises(NotAllowed, match="after the deadline"):
            call_off_award(call_off=call_off, decided_by=commissioner)
        CallOff.objects.filter(pk=call_off.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
        call_off.refresh_from_db()
        ranking = mini_competition_ranking(call_off)
        # Alpha: quality 90 x 0.6 + (20000/30000 x 100) x 0.4 = 80.67; Beta: 50 x 0.6 + 100 x 0.4 = 70.
        assert [(org.name, total) for org, _, total in ranking] == [
            ("Alpha Trust", Decimal("80.67")),
            ("Beta Care", Decimal("70.00")),
        ]
        awarded = call_off_award(call_off=call_off, decided_by=commissioner)
        assert (awarded.awarded_to, awarded.awarded_price) == (alpha, Decimal("30000"))

        # Through the pages: a member prices a new mini-competition; the council cannot see it yet.
        sign_in(client, commissioner)
        client.post(
            reverse("procurement:call-off-new", args=[framework.pk]),
            {
                **call_off_fields(),
                "call-off-lot": lot.pk,
                "call-off-title": "October half-term",
                "call-off-method": "mini",
                "call-off-deadline": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        half_term = CallOff.objects.get(title="October half-term")
        sign_in(client, beta_user)
        assert "October half-term" in client.get(reverse("procurement:detail", args=[framework.pk])).content.decode()
        client.post(reverse("procurement:call-off-price", args=[half_term.pk]), {"price": "£18,500"})
        sign_in(client, commissioner)
        page = client.get(reverse("procurement:call-off", args=[half_term.pk])).content.decode()
        # Sealed means not even the count: the price is in, and nothing on the page says so.
        assert half_term.bids.count() == 1
        assert "Prices are sealed until" in page and "18,500" not in page
        assert not re.search(r"\d+ prices? (received|in)", page)
        client.post(
            reverse("procurement:call-off-new", args=[framework.pk]),
            {
                **call_off_fields(),
                "call-off-lot": lot.pk,
                "call-off-title": "Sam's Saturdays",
                "call-off-method": "direct",
                "call-off-justification": "The family chose Beta",
            },
        )
        direct = CallOff.objects.get(title="Sam's Saturdays")
        client.post(reverse("contracts:call-off-award", args=[direct.pk]), {"organisation": beta.pk, "price": "2400"})
        direct.refresh_from_db()
        assert (direct.awarded_to, direct.awarded_price) == (beta, Decimal("2400"))
        # Each awarded call-off is its own contracting process in the open data, tied to the framework.
        package = Client().get("/api/ocds/releases").json()
        package_validator().validate(package)
        call_offs = {r["tender"]["title"]: r for r in package["releases"] if r["tag"] == ["award", "contract"]}
        assert set(call_offs) == {"Summer 2027", "Sam's Saturdays"}
        saturdays = call_offs["Sam's Saturdays"]
        assert saturdays["relatedProcesses"][0]["identifier"] == framework.ocid
        assert saturdays["tender"]["procurementMethod"] == "limited"
        assert saturdays["awards"][0]["suppliers"][0]["name"] == "Beta Care"
        assert saturdays["contracts"][0]["value"]["amount"] == 2400 and saturdays["contracts"][0]["status"] == "pending"
        outsider_user = make_user(authority, Role.PROVIDER, organisation=outsider, email="gamma@example.org")
        sign_in(client, outsider_user)
        assert client.get(reverse("procurement:call-off-price", args=[half_term.pk])).status_code == 404

    def test_an_open_framework_reopens_and_its_winners_join_the_framework(self, authority, commissioner, bidders):
        from shortbreaks.procurement.models import Lot
        from shortbreaks.procurement.selectors.frameworks import members
        from shortbreaks.procurement.services import (
            award_decide,
            call_off_create,
            conflict_declare,
            evaluator_add,
            framework_reopen,
            score_agree,
        )

        alpha, alpha_user, beta, beta_user = bidders

        def award_to(opportunity, bids):
            opportunity = submissions_open(opportunity=opportunity, opened_by=commissioner)
            scorer = make_user(authority, Role.OFFICER)  # the moderator is never the only officer
            evaluator_add(
                opportunity=opportunity, user=scorer, panel="officers", is_moderator=False, added_by=commissioner
            )
            moderator = evaluator_add(
                opportunity=opportunity, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner
            )
            lot = opportunity.lots.get()
            conflict_declare(evaluator=moderator, lot=lot, has_conflict=False, details="")
            for bid in bids:
                for question in opportunity.questions.all():
                    score_agree(moderator=moderator, submission=bid, question=question, score=10, rationale="Agreed")
            award_decide(lot=lot, decided_by=commissioner)

        closed = build(authority, commissioner, route="framework", lots=1, term_months=48, reference="FW-CLOSED")
        framework = build(authority, commissioner, route="framework", lots=1, term_months=60, reopens_every_months=12)
        Lot.objects.filter(opportunity=framework).update(max_providers=5)
        with pytest.raises(NotAllowed, match="once its first competition is awarded"):
            framework_reopen(framework=framework, reopened_by=commissioner)
        with pytest.raises(NotAllowed, match="Only an open framework"):
            framework_reopen(framework=closed, reopened_by=commissioner)
        framework = opportunity_publish(opportunity=framework, published_by=commissioner)
        first = submit(framework, alpha, alpha_user)
        pass_deadline(framework)
        award_to(framework, [first])
        framework.refresh_from_db()
        lot = framework.lots.get()
        assert [m.organisation for m in members(lot)] == [alpha]

        reopening = framework_reopen(framework=framework, reopened_by=commissioner)
        assert (reopening.reference, reopening.status, reopening.reopening_of) == ("SB-2027-01-R1", "draft", framework)
        assert [(q.kind, q.number, q.weight, q.panel) for q in reopening.questions.all()] == [
            (q.kind, q.number, q.weight, q.panel) for q in framework.questions.all()
        ]
        assert reopening.lots.get().max_providers == 5 and reopening.term_months in (59, 60)
        with pytest.raises(NotAllowed, match="already under way"):
            framework_reopen(framework=framework, reopened_by=commissioner)
        opportunity_update(
            opportunity=reopening,
            updated_by=commissioner,
            clarification_deadline=timezone.now() + dt.timedelta(days=5),
            submission_deadline=timezone.now() + dt.timedelta(days=10),
        )
        reopening = opportunity_publish(opportunity=reopening, published_by=commissioner)
        newcomer = submit(reopening, beta, beta_user)
        pass_deadline(reopening)
        award_to(reopening, [newcomer])
        assert {m.organisation for m in members(lot)} == {alpha, beta}  # the newcomer joins; alpha stays
        reopening.refresh_from_db()
        with pytest.raises(NotAllowed, match="Call off from the framework itself"):
            call_off_create(
                **call_off_terms(),
                framework=reopening,
                lot=reopening.lots.get(),
                title="x",
                method="direct",
                justification="Family's choice",
                deadline=None,
                created_by=commissioner,
            )
        client = Client()
        sign_in(client, commissioner)
        page = client.get(reverse("procurement:manage", args=[framework.pk])).content.decode()
        assert "SB-2027-01-R1" in page and "Re-open to new providers" in page
        response = client.post(reverse("procurement:reopen", args=[framework.pk]))
        second = Opportunity.objects.get(reference="SB-2027-01-R2")
        assert response.url == reverse("procurement:manage", args=[second.pk])
        assert "re-opening of" in client.get(response.url).content.decode()


class TestRouteRules:
    def test_block_lots_need_a_guaranteed_volume_and_grants_need_conditions(
        self, client, authority, commissioner, bidders
    ):
        from shortbreaks.procurement.services import award_decide

        block = opportunity_create(
            authority=authority, created_by=commissioner, reference="B-1", title="Block", description="D", route="block"
        )
        # The commissioner enters the guarantee in the unit block use counts: place-hours, said.
        sign_in(client, commissioner)
        page = unescape(client.get(reverse("procurement:manage", args=[block.pk])).content.decode())
        assert "Guaranteed place-hours a year" in page and "Guaranteed hours a year" not in page
        assert "A place-hour is one child for one hour" in page
        with pytest.raises(NotAllowed, match=r"guaranteed minimum volume \(place-hours a year\)"):
            lot_add(
                opportunity=block, title="Overnights", description="", value=Decimal("300000"), added_by=commissioner
            )
        lot = lot_add(
            opportunity=block,
            title="Overnights",
            description="",
            value=Decimal("300000"),
            added_by=commissioner,
            guaranteed_hours=5000,
        )
        assert lot.guaranteed_hours == 5000
        page = unescape(client.get(reverse("procurement:manage", args=[block.pk])).content.decode())
        assert "5,000 place-hours a year guaranteed (one child for one hour)" in page
        grant = build(authority, commissioner, route="grant", reference="G-1", lots=1, price_formula="none")
        grant = opportunity_publish(opportunity=grant, published_by=commissioner)
        alpha, alpha_user, _, _ = bidders
        submit(grant, alpha, alpha_user, price="5000")  # a grant bid gives the amount requested
        pass_deadline(grant)
        submissions_open(opportunity=grant, opened_by=commissioner)
        with pytest.raises(NotAllowed, match="needs its conditions"):
            award_decide(lot=grant.lots.get(), decided_by=commissioner)


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
class TestDocuments:
    PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def test_opportunity_documents_are_public_and_bid_documents_sealed(self, client, authority, commissioner, bidders):
        from django.core.files.uploadedfile import SimpleUploadedFile

        alpha, alpha_user, beta, beta_user = bidders
        opportunity = build(authority, commissioner)
        sign_in(client, commissioner)
        manage = reverse("procurement:manage", args=[opportunity.pk])
        response = client.post(
            reverse("procurement:document-new", args=[opportunity.pk]),
            {"title": "Spec", "file": SimpleUploadedFile("spec.html", b"<html></html>")},
        )
        assert response.status_code == 400 and "must be a" in response.content.decode()
        assert 'value="Spec"' in response.content.decode()
        client.post(
            reverse("procurement:document-new", args=[opportunity.pk]),
            {"title": "Specification", "file": SimpleUploadedFile("spec.pdf", self.PDF)},
        )
        spec = opportunity.documents.get()
        url = reverse("procurement:document", args=[opportunity.pk, spec.pk])
        client.logout()
        assert client.get(url).status_code == 404  # not published yet
        opportunity = opportunity_publish(opportunity=opportunity, published_by=commissioner)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")

        lot = opportunity.lots.first()
        sign_in(client, alpha_user)
        client.post(
            reverse("procurement:respond", args=[opportunity.pk, lot.pk]),
            {**{f"answer-{q.pk}": "Yes" for q in opportunity.questions.all()}, "price": "1000", "action": "save"},
        )
        client.post(
            reverse("procurement:bid-document-new", args=[opportunity.pk, lot.pk]),
            {"title": "Insurance", "file": SimpleUploadedFile("insurance.pdf", self.PDF)},
        )
        bid_document = opportunity.documents.get(submission__isnull=False)
        bid_url = reverse("procurement:document", args=[opportunity.pk, bid_document.pk])
        assert client.get(bid_url).status_code == 200  # Alpha reads its own
        for reader in (commissioner, beta_user):
            sign_in(client, reader)
            assert client.get(bid_url).status_code == 404, reader
        client.logout()
        assert client.get(bid_url).status_code == 404
        submission_submit(submission=Submission.objects.get(), submitted_by=alpha_user)
        pass_deadline(opportunity)
        submissions_open(opportunity=opportunity, opened_by=commissioner)
        sign_in(client, commissioner)
        assert client.get(bid_url).status_code == 200
        assert "Insurance" in client.get(manage).content.decode()


def test_price_bands_score_by_distance_from_the_lowest_price(authority, commissioner):
    from shortbreaks.procurement.scoring import price_marks

    opportunity = build(authority, commissioner, price_formula="bands")
    marks = [price_marks(opportunity, Decimal("100"), Decimal(p)) for p in ("100", "104", "109", "125", "131")]
    assert marks == [100, 90, 75, 25, 0]
    with pytest.raises(NotAllowed, match="Price bands need"):
        opportunity_update(opportunity=opportunity, updated_by=commissioner, price_bands=[[10, 50], [5, 90]])


class TestTwoStage:
    def test_selection_first_then_only_the_shortlisted_tender(self, client, authority, commissioner, bidders):
        from shortbreaks.procurement.services import shortlist_decide

        alpha, alpha_user, beta, beta_user = bidders
        now = timezone.now()
        opportunity = build(authority, commissioner, route="two_stage", lots=1, reference="TS-1")
        with pytest.raises(NotAllowed, match="selection-stage deadline"):
            opportunity_publish(opportunity=opportunity, published_by=commissioner)
        Opportunity.objects.filter(pk=opportunity.pk).update(selection_deadline=now + dt.timedelta(days=2))
        opportunity = opportunity_publish(opportunity=opportunity, published_by=commissioner)
        lot = opportunity.lots.get()
        selection = {str(q.pk): "Yes" for q in opportunity.questions.filter(kind="selection")}
        for organisation, user in ((alpha, alpha_user), (beta, beta_user)):
            draft = submission_save(
                opportunity=opportunity,
                lot=lot,
                organisation=organisation,
                answers=selection,
                price=None,
                saved_by=user,
            )
            submission_submit(submission=draft, submitted_by=user)  # no award answers, no price yet
        a, b = Submission.objects.get(organisation=alpha), Submission.objects.get(organisation=beta)
        # During the selection stage, nobody at the council reads anything.
        sign_in(client, commissioner)
        assert (
            "Selection stage: shortlisting"
            not in client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        )
        Submission.objects.update(submitted_at=timezone.now() - dt.timedelta(hours=2))  # as if in good time
        Opportunity.objects.filter(pk=opportunity.pk).update(
            selection_deadline=timezone.now() - dt.timedelta(seconds=1),
            clarification_deadline=timezone.now() - dt.timedelta(hours=1),
        )
        a.refresh_from_db()
        b.refresh_from_db()
        page = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        assert "Selection stage: shortlisting" in page and "Alpha Trust" in page
        with pytest.raises(NotAllowed, match="Say which selection criteria"):
            shortlist_decide(submission=b, decided_by=commissioner, shortlisted=False, reasons="")
        shortlist_decide(submission=a, decided_by=commissioner, shortlisted=True, reasons="")
        shortlist_decide(submission=b, decided_by=commissioner, shortlisted=False, reasons="No safeguarding policy")
        opportunity.refresh_from_db()
        with pytest.raises(NotAllowed, match="Only providers shortlisted"):
            submission_save(
                opportunity=opportunity, lot=lot, organisation=beta, answers={}, price=None, saved_by=beta_user
            )
        full = submission_save(
            opportunity=opportunity,
            lot=lot,
            organisation=alpha,
            answers=answers_for(opportunity),
            price=Decimal("90000"),
            saved_by=alpha_user,
        )
        submission_submit(submission=full, submitted_by=alpha_user)
        assert not readable_submissions(user=commissioner, authority=authority, opportunity=opportunity).exists()
        pass_deadline(opportunity)
        opportunity = submissions_open(opportunity=opportunity, opened_by=commissioner)
        readable = list(readable_submissions(user=commissioner, authority=authority, opportunity=opportunity))
        assert readable == [a] and Submission.objects.get(pk=b.pk).status == "withdrawn"


def test_a_page_far_past_the_end_is_a_404_not_an_error(client, authority, commissioner):
    opportunity_publish(opportunity=build(authority, commissioner), published_by=commissioner)
    assert client.get(f"/api/ocds/releases?page={2**62}").status_code == 404


class _EditForm(HTMLParser):
    """What the edit page's form sends as the browser would: inputs' values, the checked radio,
    a textarea's text."""

    def __init__(self):
        super().__init__()
        self.fields, self._in_form, self._textarea = {}, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._in_form = True
        elif self._in_form and tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self._in_form and tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def _edit_page_fields(client, opportunity) -> dict:
    parser = _EditForm()
    parser.feed(client.get(reverse("procurement:edit", args=[opportunity.pk])).content.decode())
    # A textarea's first newline is the HTML's, not the text's.
    return {k: v[1:] if v.startswith("\n") else v for k, v in parser.fields.items()}


class TestTheLiveEdit:
    def test_saving_with_nothing_changed_changes_nothing(
        self, client, authority, commissioner, bidders, django_capture_on_commit_callbacks
    ):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        submission = submit(opportunity, alpha, alpha_user)
        opportunity.refresh_from_db()
        deadline = opportunity.submission_deadline
        assert deadline.second or deadline.microsecond  # what a service set, to the microsecond
        sign_in(client, commissioner)
        audited = AuditEvent.objects.count()
        fields = _edit_page_fields(client, opportunity)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("procurement:edit", args=[opportunity.pk]), fields)
        assert response.status_code == 302
        opportunity.refresh_from_db()
        submission.refresh_from_db()
        assert opportunity.submission_deadline == deadline
        assert not submission.needs_confirmation
        assert AuditEvent.objects.count() == audited and not mail.outbox

    def test_once_published_the_deadline_moves_earlier_only_with_a_reason_and_the_minimum_period(
        self, authority, commissioner, bidders, django_capture_on_commit_callbacks
    ):
        from shortbreaks.procurement.services.opportunities import MINIMUM_TENDER_DAYS

        alpha, alpha_user, beta, beta_user = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        opportunity = opportunity_update(
            opportunity=opportunity,
            updated_by=commissioner,
            submission_deadline=timezone.now() + dt.timedelta(days=40),
        )
        submit(opportunity, alpha, alpha_user)
        # Beta is still writing: a draft, not submitted.
        submission_save(
            opportunity=opportunity,
            lot=opportunity.lots.first(),
            organisation=beta,
            answers={},
            price=None,
            saved_by=beta_user,
        )
        sooner = timezone.now() + dt.timedelta(days=30)
        with pytest.raises(NotAllowed, match="earlier only with a reason"):
            opportunity_update(opportunity=opportunity, updated_by=commissioner, submission_deadline=sooner)
        with pytest.raises(NotAllowed, match=f"at least {MINIMUM_TENDER_DAYS} days from publication"):
            opportunity_update(
                opportunity=opportunity,
                updated_by=commissioner,
                submission_deadline=timezone.now() + dt.timedelta(days=10),
                deadline_reason="The funding ends sooner",
            )
        with django_capture_on_commit_callbacks(execute=True):
            opportunity_update(
                opportunity=opportunity,
                updated_by=commissioner,
                submission_deadline=sooner,
                deadline_reason="The funding ends sooner",
            )
        opportunity.refresh_from_db()
        assert opportunity.submission_deadline == sooner
        told = {m.to[0]: m.body for m in mail.outbox}
        assert set(told) == {"alpha@example.org", "beta@example.org"}  # every bidder, drafts too
        assert all("The council's reason: The funding ends sooner" in body for body in told.values())
        assert "confirm your submission" in told["alpha@example.org"]
        event = AuditEvent.objects.filter(summary__contains="changed: submission_deadline").latest("created_at")
        assert event.details["deadline_brought_forward_because"] == "The funding ends sooner"

    def test_the_edit_page_asks_for_a_reason_to_bring_the_deadline_forward(
        self, client, authority, commissioner, bidders
    ):
        alpha, alpha_user, _, _ = bidders
        opportunity = build(authority, commissioner)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        submit(opportunity, alpha, alpha_user)
        sign_in(client, commissioner)
        fields = _edit_page_fields(client, opportunity)
        sooner = timezone.localtime(opportunity.submission_deadline - dt.timedelta(days=2))
        fields["submission_deadline"] = sooner.strftime("%Y-%m-%d %H:%M")
        fields["title"] = "Breaks, retitled"
        response = client.post(reverse("procurement:edit", args=[opportunity.pk]), fields)
        page = response.content.decode()
        assert response.status_code == 400 and "govuk-error-summary" in page
        assert "earlier only with a reason" in page and "Breaks, retitled" in page
        opportunity.refresh_from_db()
        assert opportunity.title != "Breaks, retitled"

    def test_a_bid_never_confirmed_after_a_change_is_shown_as_such_and_not_evaluated(
        self, client, authority, commissioner, bidders, officer
    ):
        from shortbreaks.procurement.selectors.sealing import bids_for_evaluator, opened_bids, scorable_bids
        from shortbreaks.procurement.services import conflict_declare, evaluator_add

        alpha, alpha_user, beta, beta_user = bidders
        opportunity = build(authority, commissioner, lots=1)
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
        submit(opportunity, alpha, alpha_user)  # never confirmed after the change
        opportunity_update(opportunity=opportunity, updated_by=commissioner, title="Breaks, clarified")
        confirmed = submit(opportunity, beta, beta_user)  # submitted after the change
        pass_deadline(opportunity)
        opportunity = submissions_open(opportunity=opportunity, opened_by=commissioner)
        lot = opportunity.lots.get()
        assert [b.pk for b in opened_bids(lot)] == [confirmed.pk]
        evaluator = evaluator_add(
            opportunity=opportunity, user=officer, panel="officers", is_moderator=False, added_by=commissioner
        )
        conflict_declare(evaluator=evaluator, lot=lot, has_conflict=False, details="")
        assert [b.pk for b, _ in bids_for_evaluator(evaluator, lot)] == [confirmed.pk]
        assert list(scorable_bids(evaluator, lot)) == [confirmed]
        assert AuditEvent.objects.filter(action="procurement.opened").latest("created_at").details == {
            "not_confirmed": 1
        }
        sign_in(client, commissioner)
        page = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
        assert "Not confirmed after a change: not evaluated" in page
        assert page.count("Not confirmed after a change") == 1 and "Alpha Trust" in page
