"""Contracts after signature: returns filled from bookings and paid on approval, KPI ratings,
variations within and beyond tolerance, the budget's figures against the records, feedback
with the safeguarding alert, and decommissioning plans that cannot end while a child has no
alternative."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from shortbreaks.contracts.models import (
    BudgetLine,
    Contract,
    ContractReturn,
    Feedback,
    MonitoringPolicy,
    Payment,
    SafeguardingAlert,
)
from shortbreaks.contracts.selectors import block_use, budget_figures, in_year_share, provider_feedback
from shortbreaks.contracts.selectors.ratings import rate_return, yearly_summary
from shortbreaks.contracts.services import variation_decide, variation_propose
from shortbreaks.contracts.services.decommissioning import alternative_set, plan_complete, plan_create
from shortbreaks.contracts.services.feedback import feedback_give
from shortbreaks.contracts.services.monitoring import (
    kpi_set,
    payment_record,
    return_decide,
    return_submit,
    returns_schedule,
)
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.years import year_of
from shortbreaks.families.models import LedgerEntry

from .clock import TODAY
from .factories import booked, fund, make_child, make_family, make_service, make_session, make_user, session_on, sign_in


@pytest.fixture
def contract(authority, organisation, commissioner):
    start = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the first of last month
    contract = Contract.objects.create(
        authority=authority,
        reference="BLK-1",
        title="Saturday club places",
        kind=Contract.Kind.BLOCK,
        organisation=organisation,
        value=Decimal("24000"),
        guaranteed_hours=600,
        starts_on=start,
        ends_on=start + dt.timedelta(days=364),
        status=Contract.Status.ACTIVE,
    )
    service = make_service(organisation)
    contract.services.add(service)
    return contract


@pytest.fixture
def children(authority, parent):
    family = make_family(authority, carer_user=parent)
    return [make_child(family, name) for name in ("Sam", "Alex", "Jo")]


class TestReturns:
    def test_returns_fall_due_with_the_platforms_figures_and_pay_on_approval(
        self, authority, contract, children, provider, commissioner, django_capture_on_commit_callbacks
    ):
        service = contract.services.get()
        session = session_on(service, contract.starts_on + dt.timedelta(days=3))
        booked(session, children[0]), booked(session, children[1], status="no_show")
        booked(session, children[2], status="cancelled")
        with django_capture_on_commit_callbacks(execute=True):
            done = returns_schedule(today=contract.starts_on + dt.timedelta(days=40))
        assert done["opened"] == 1
        ret = ContractReturn.objects.get()
        assert (ret.period_start, ret.due_on) == (contract.starts_on, ret.period_end + dt.timedelta(days=10))
        # Reminded once before the due date, chased once after it.
        with django_capture_on_commit_callbacks(execute=True):
            returns_schedule(today=ret.due_on - dt.timedelta(days=2))
            returns_schedule(today=ret.due_on - dt.timedelta(days=1))
            returns_schedule(today=ret.due_on + dt.timedelta(days=1))
            returns_schedule(today=ret.due_on + dt.timedelta(days=2))
        subjects = [m.subject for m in mail.outbox]
        assert sum("Return due" in s for s in subjects) == 1 and sum("overdue" in s for s in subjects) == 1

        with pytest.raises(NotAllowed, match="more than is left"):
            return_submit(
                contract_return=ret,
                submitted_by=provider,
                hours_delivered=Decimal("5"),
                incidents=0,
                complaints=0,
                amount_claimed=Decimal("24000.01"),
            )
        ret = return_submit(
            contract_return=ret,
            submitted_by=provider,
            hours_delivered=Decimal("10"),
            incidents=1,
            complaints=0,
            amount_claimed=Decimal("1500"),
        )
        assert (ret.sessions_delivered, ret.places_booked, ret.attended, ret.cancellations) == (1, 2, 1, 1)
        with pytest.raises(NotAllowed, match="Say what needs correcting"):
            return_decide(contract_return=ret, decided_by=commissioner, approve=False)
        return_decide(contract_return=ret, decided_by=commissioner, approve=False, reason="Hours look low")
        ret = return_submit(
            contract_return=ret,
            submitted_by=provider,
            hours_delivered=Decimal("12"),
            incidents=1,
            complaints=0,
            amount_claimed=Decimal("1500"),
        )
        return_decide(contract_return=ret, decided_by=commissioner, approve=True)
        payment = Payment.objects.get()
        assert (payment.amount, payment.kind, payment.contract_return) == (Decimal("1500"), "return", ret)
        with pytest.raises(NotAllowed, match="Only a submitted return"):
            return_decide(contract_return=ret, decided_by=commissioner, approve=True)

    def test_returns_cannot_be_sent_before_the_period_ends(self, authority, contract, provider):
        ret = ContractReturn.objects.create(
            authority=authority,
            contract=contract,
            period_start=TODAY,
            period_end=TODAY + dt.timedelta(days=5),
            due_on=TODAY + dt.timedelta(days=15),
        )
        with pytest.raises(NotAllowed, match="once the period has ended"):
            return_submit(
                contract_return=ret,
                submitted_by=provider,
                hours_delivered=Decimal("1"),
                incidents=0,
                complaints=0,
                amount_claimed=Decimal("1"),
            )
        assert ContractReturn.objects.get().status == "due"

    def test_kpi_ratings_per_period_and_for_the_year(self, authority, contract, commissioner):
        policy = MonitoringPolicy.objects.get(authority=authority, version=1)
        kpi_set(contract=contract, measure="attendance", target=Decimal("90"), set_by=commissioner)
        kpi_set(contract=contract, measure="incidents", target=Decimal("0"), set_by=commissioner)
        with pytest.raises(NotAllowed, match="percentage up to 100"):
            kpi_set(contract=contract, measure="attendance", target=Decimal("120"), set_by=commissioner)
        kpis = list(contract.kpis.all())

        def ret(attended, incidents, month):
            start = contract.starts_on + dt.timedelta(days=month)  # the same financial year
            return ContractReturn(
                authority=authority,
                contract=contract,
                period_start=start,
                period_end=start,
                due_on=start,
                places_booked=100,
                attended=attended,
                incidents=incidents,
                status="approved",
            )

        # 90% = on target; 85% is 5.6% short: approaching; 75% is 16.7% short: requires
        # improvement; 60% inadequate. One incident against a target of none is 100% over.
        assert rate_return(ret(90, 0, 0), kpis, policy).overall == "good"
        assert rate_return(ret(85, 0, 0), kpis, policy).overall == "approaching"
        assert rate_return(ret(75, 0, 0), kpis, policy).overall == "requires_improvement"
        assert rate_return(ret(95, 1, 0), kpis, policy).overall == "inadequate"
        for n, attended in enumerate((90, 95, 85)):
            ret(attended, 0, n).save()
        summary = yearly_summary(contract, year_of(contract.starts_on), policy)
        # Good, good, approaching: the commonest rating is the year's.
        assert (summary["periods"], summary["overall"]) == (3, "Good")
        assert dict(summary["ratings"]) == {
            "Good": 2,
            "Approaching target": 1,
            "Requires improvement": 0,
            "Inadequate": 0,
        }
        # The newest approved return (85%: approaching) is the contract's latest rating.
        from shortbreaks.contracts.selectors.ratings import latest_ratings

        assert latest_ratings([contract], policy)[contract.pk].overall == "approaching"


class TestVariations:
    def test_within_tolerance_another_person_approves_beyond_it_needs_a_decision(
        self, authority, contract, commissioner, django_capture_on_commit_callbacks
    ):
        colleague = make_user(authority, Role.PROCUREMENT_OFFICER, email="po@example.org")
        small = variation_propose(
            contract=contract, kind="price", after=Decimal("25000"), reason="Inflation", proposed_by=commissioner
        )
        assert (small.change_percent, small.needs_decision) == (Decimal("4.17"), False)
        with pytest.raises(NotAllowed, match="already waiting"):
            variation_propose(contract=contract, kind="volume", after=700, reason="More", proposed_by=commissioner)
        with pytest.raises(NotAllowed, match="Someone other than"):
            variation_decide(variation=small, decided_by=commissioner, approve=True)
        variation_decide(variation=small, decided_by=colleague, approve=True)
        contract.refresh_from_db()
        assert contract.value == Decimal("25000")

        big = variation_propose(
            contract=contract, kind="volume", after=900, reason="Demand grew", proposed_by=commissioner
        )
        assert big.needs_decision and big.change_percent == Decimal("50.00")
        assert (big.before_shown, big.after_shown) == ("600 place-hours", "900 place-hours")
        with pytest.raises(NotAllowed, match="beyond the council's tolerance"):
            variation_decide(variation=big, decided_by=colleague, approve=True)
        variation_decide(variation=big, decided_by=colleague, approve=True, decision_reference="CMD-2026-114")
        longer = variation_propose(
            contract=contract,
            kind="term",
            after=contract.ends_on + dt.timedelta(days=30),
            reason="Bridge to the new framework",
            proposed_by=commissioner,
        )
        variation_decide(variation=longer, decided_by=colleague, approve=False, note="Re-procure instead")
        contract.refresh_from_db()
        assert contract.guaranteed_hours == 900 and contract.ends_on == longer.contract.ends_on
        assert [v.status for v in contract.variations.order_by("proposed_at")] == ["approved", "approved", "rejected"]

    def test_payments_never_exceed_the_contract(self, contract, commissioner):
        payment_record(
            contract=contract, kind="set_up", amount=Decimal("4000"), description="Set-up", approved_by=commissioner
        )
        with pytest.raises(NotAllowed, match="more than is left"):
            payment_record(
                contract=contract,
                kind="milestone",
                amount=Decimal("20000.01"),
                description="M1",
                approved_by=commissioner,
            )
        with pytest.raises(NotAllowed, match="below what has already been paid"):
            variation_propose(
                contract=contract, kind="price", after=Decimal("3999"), reason="x", proposed_by=commissioner
            )


class TestBudget:
    def test_figures_equal_the_sums_of_the_records(
        self, client, authority, organisation, contract, commissioner, children
    ):
        year = year_of(TODAY)
        start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
        grant = Contract.objects.create(
            authority=authority,
            reference="GR-1",
            title="Grant",
            kind="grant",
            organisation=organisation,
            value=Decimal("3650"),
            starts_on=start - dt.timedelta(days=365),
            ends_on=end,
            status="active",
        )
        Contract.objects.create(
            authority=authority,
            reference="DEC-1",
            title="Declined",
            kind="spot",
            organisation=organisation,
            value=Decimal("999"),
            starts_on=start,
            ends_on=end,
            status="declined",
        )
        payment_record(
            contract=contract, kind="set_up", amount=Decimal("1200"), description="Set-up", approved_by=commissioner
        )
        payment_record(
            contract=grant, kind="milestone", amount=Decimal("500"), description="M1", approved_by=commissioner
        )
        for child in children:
            fund(child, "300.00")
        BudgetLine.objects.create(authority=authority, year=year, kind="procured", amount=Decimal("50000"))
        sign_in(client, commissioner)
        client.post(reverse("contracts:budget") + f"?year={year}", {"kind": "grants", "amount": "£10,000"})
        figures = {f.kind: f for f in budget_figures(authority=authority, year=year)}

        # Against the records, computed independently.
        active = Contract.objects.filter(status="active")
        procured = sum(in_year_share(c, start, end) for c in active.exclude(kind="grant"))
        assert figures["procured"].committed == procured
        assert (
            figures["grants"].committed
            == in_year_share(grant, start, end)
            == (Decimal("3650") * ((end - start).days + 1) / ((grant.ends_on - grant.starts_on).days + 1)).quantize(
                Decimal("0.01")
            )
        )
        paid = Payment.objects.filter(paid_on__range=(start, end))
        assert figures["procured"].spent == paid.exclude(contract__kind="grant").aggregate(s=Sum("amount"))["s"]
        assert figures["grants"].spent == Decimal("500")
        granted = LedgerEntry.objects.filter(kind__in=["allocation_granted", "top_up"]).aggregate(s=Sum("amount"))["s"]
        assert figures["direct_payments"].committed == granted
        assert (figures["procured"].budget, figures["grants"].budget) == (Decimal("50000"), Decimal("10000"))
        page = client.get(reverse("contracts:budget") + f"?year={year}").content.decode()
        for f in figures.values():
            assert f"£{f.committed:,.2f}" in page and f"£{f.budget:,.2f}" in page
        response = client.post(
            reverse("contracts:budget") + f"?year={year}", {"kind": "grants", "amount": "lots"}, follow=True
        )
        assert "Enter the price as a number" in response.content.decode()
        assert BudgetLine.objects.get(kind="grants").amount == Decimal("10000")

    def test_block_use_warns_when_behind(self, contract, children):
        service = contract.services.get()
        session = session_on(service, contract.starts_on + dt.timedelta(days=2))  # 10:00 to 15:00 is 5 hours
        booked(session, children[0])
        rows = block_use(contract, contract.starts_on + dt.timedelta(days=40))
        assert rows[0].guaranteed == Decimal("50.00") and rows[0].used == Decimal("5.00") and rows[0].behind

    def test_the_policy_in_force_says_when_use_is_behind(self, authority, contract, children):
        booked(session_on(contract.services.get(), contract.starts_on + dt.timedelta(days=2)), children[0])
        MonitoringPolicy.objects.create(authority=authority, version=2, block_behind_below_percent=10)
        rows = block_use(contract, contract.starts_on + dt.timedelta(days=40))
        assert rows[0].cumulative_used == Decimal("5.00") and not rows[0].behind  # 5 of 50 is not below a tenth

    def test_block_use_is_in_place_hours_pro_rata_to_the_day_and_warns_either_way(
        self, client, authority, contract, children, commissioner
    ):
        from shortbreaks.contracts.selectors import block_standing

        service = contract.services.get()
        # One 5-hour session with three children: 15 place-hours (one child for one hour).
        for child in children:
            booked(session_on(service, contract.starts_on + dt.timedelta(days=1)), child)
        ten_days_in = contract.starts_on + dt.timedelta(days=9)
        standing = block_standing(contract, ten_days_in)
        # 600 a year, 10 days in: 16.44 guaranteed so far, 15 used (91%): neither behind nor ahead.
        assert (standing.used, standing.expected, standing.percent) == (Decimal("15.00"), Decimal("16.44"), 91)
        assert not standing.behind and not standing.ahead
        assert block_standing(contract, contract.starts_on + dt.timedelta(days=30)).behind  # 15 of 50.96
        for day in range(2, 9):
            for child in children:
                booked(session_on(service, contract.starts_on + dt.timedelta(days=day)), child)
        standing = block_standing(contract, ten_days_in)
        assert standing.used == Decimal("120.00") and standing.ahead and not standing.behind
        # The commissioner's home and the contract's page say the unit, and warn.
        sign_in(client, commissioner)
        home = client.get(reverse("insight:home")).content.decode()
        assert "place-hours used of" in home and "600 a year" in home and "Ahead" in home
        assert ".00 place-hours" not in home and "guaranteed hours" not in home
        page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
        assert "one child for one hour" in page and "Use is running ahead of the guarantee" in page
        assert "600 place-hours a year" in page
        # The KPI and a variation of the volume are in the same unit, never bare "hours".
        assert "Place-hours delivered (one child for one hour)" in page and "Hours of break" not in page
        assert "Volume (guaranteed place-hours a year)" in page and "guaranteed hours" not in page


class TestFeedback:
    def test_a_child_who_felt_unsafe_raises_the_alert_at_once(
        self, authority, organisation, parent, children, officer, provider, django_capture_on_commit_callbacks
    ):
        service = make_service(organisation)
        MonitoringPolicy.objects.filter(authority=authority).update(
            safeguarding_officer_name="Dee Lane", safeguarding_officer_email="dso@dovebridge.example"
        )
        with django_capture_on_commit_callbacks(execute=True):
            feedback_give(
                service=service,
                given_by=parent,
                child=children[0],
                from_child=True,
                enjoyed="not_good",
                felt_safe="no",
                comment="A big boy pushed me",
                outcomes={"made_friends": False},
            )
        alert = SafeguardingAlert.objects.get()
        assert alert.sent_to == "dso@dovebridge.example"
        message = mail.outbox[-1]
        assert message.to == ["dso@dovebridge.example"] and "pushed me" in message.body
        assert children[0].first_name not in message.body  # names only behind sign-in
        # The provider never sees the concern; other feedback it sees without names.
        feedback_give(
            service=service,
            given_by=parent,
            enjoyed="great",
            felt_safe="yes",
            comment="Brilliant",
            may_publish=True,
            outcomes={"had_fun": True, "carer_had_break": True},
        )
        seen = list(provider_feedback(services=[service]))
        assert [f.comment for f in seen] == ["Brilliant"] and seen[0].review == "pending"

    def test_children_never_publish_and_bad_choices_are_refused(self, organisation, parent):
        service = make_service(organisation)
        with pytest.raises(NotAllowed, match="Pick a face"):
            feedback_give(service=service, given_by=parent, from_child=True, enjoyed="meh")
        item = feedback_give(
            service=service,
            given_by=parent,
            from_child=True,
            enjoyed="great",
            comment="Fun",
            may_publish=True,
            outcomes={"carer_had_break": True},
        )
        assert item.review == "private" and item.carer_had_break is None
        assert Feedback.objects.count() == 1

    def test_who_sees_what(
        self, client, authority, organisation, other_provider, provider, parent, children, commissioner, officer
    ):
        service = make_service(organisation)
        feedback_give(
            service=service,
            given_by=parent,
            child=children[0],
            enjoyed="okay",
            felt_safe="no",
            comment="Scared at pick-up",
        )
        for user in (provider, other_provider, parent, commissioner):
            sign_in(client, user)
            assert client.get(reverse("contracts:safeguarding")).status_code == 403
        sign_in(client, provider)
        assert "Scared" not in client.get(reverse("contracts:provider-feedback")).content.decode()
        alert = SafeguardingAlert.objects.get()
        for user in (provider, parent, commissioner):
            sign_in(client, user)
            assert client.get(reverse("contracts:safeguarding-alert", args=[alert.pk])).status_code == 403
        sign_in(client, officer)
        assert "Sam" in client.get(reverse("contracts:safeguarding")).content.decode()
        page = client.get(reverse("contracts:safeguarding-alert", args=[alert.pk])).content.decode()
        assert "Scared at pick-up" in page and "Sam" in page

    def test_the_forms_record_outcomes_and_young_people_get_their_own_version(
        self, client, authority, organisation, parent, children
    ):
        service = make_service(organisation)
        went = booked(session_on(service, TODAY - dt.timedelta(days=2)), children[0])
        sign_in(client, parent)
        response = client.post(
            reverse("contracts:feedback"),
            {"booking": went.pk, "felt_safe": "yes", "had_fun": "yes"},
            follow=True,
        )
        assert "Choose how the break was" in response.content.decode() and not Feedback.objects.exists()
        client.post(
            reverse("contracts:feedback"),
            {
                "booking": went.pk,
                "enjoyed": "great",
                "felt_safe": "yes",
                "had_fun": "yes",
                "carer_had_break": "yes",
            },
        )
        given = Feedback.objects.get()
        assert (given.had_fun, given.made_friends, given.carer_had_break, given.child) == (
            True,
            False,
            True,
            children[0],
        )
        assert "What you have told us" in client.get(reverse("contracts:feedback")).content.decode()
        young = make_user(authority, Role.YOUNG_PERSON, email="young@example.org")
        children[1].user = young  # the young person's own record, linked to their account
        children[1].save(update_fields=["user"])
        theirs = booked(session_on(service, TODAY - dt.timedelta(days=9)), children[1])
        sign_in(client, young)
        assert client.get(reverse("contracts:feedback")).url == reverse("contracts:feedback-child")
        client.post(reverse("contracts:feedback-child"), {"booking": theirs.pk, "enjoyed": "okay", "felt_safe": "yes"})
        mine = Feedback.objects.get(given_by=young)
        assert mine.from_child and mine.child == children[1] and mine.carer_had_break is None


class TestDecommissioning:
    def test_the_plan_cannot_complete_while_a_child_has_no_alternative(
        self, authority, organisation, children, commissioner
    ):
        service, other = make_service(organisation), make_service(organisation, name="Sunday Club")
        booked(session_on(service, TODAY - dt.timedelta(days=20)), children[0])
        booked(make_session(service), children[1], status="confirmed")
        booked(session_on(service, TODAY - dt.timedelta(days=400)), children[2])  # too long ago
        with pytest.raises(NotAllowed, match="before the last day"):
            plan_create(
                service=service,
                change="end",
                reasons="Funding ends",
                communications="",
                families_told_by=TODAY + dt.timedelta(days=40),
                last_day=TODAY + dt.timedelta(days=30),
                created_by=commissioner,
            )
        plan = plan_create(
            service=service,
            change="end",
            reasons="Funding ends",
            communications="Letters",
            families_told_by=TODAY + dt.timedelta(days=7),
            last_day=TODAY + dt.timedelta(days=60),
            created_by=commissioner,
        )
        entries = {e.child.first_name: e for e in plan.affected.select_related("child")}
        assert set(entries) == {"Sam", "Alex"}
        alternative_set(entry=entries["Sam"], alternative=other, set_by=commissioner)
        with pytest.raises(NotAllowed, match="1 affected child has no alternative yet: Alex"):
            plan_complete(plan=plan, completed_by=commissioner)
        with pytest.raises(NotAllowed, match="different service"):
            alternative_set(entry=entries["Alex"], alternative=service, set_by=commissioner)
        alternative_set(entry=entries["Alex"], notes="A personal assistant on Saturdays", set_by=commissioner)
        # A child booked since the plan began joins it, and blocks it too.
        booked(make_session(service, days_ahead=20), children[2], status="confirmed")
        with pytest.raises(NotAllowed, match="1 newly booked"):
            plan_complete(plan=plan, completed_by=commissioner)
        plan.refresh_from_db()
        assert plan.status == "draft"


def test_returns_command_runs(authority, contract):
    call_command("contract_returns")
    assert ContractReturn.objects.filter(contract=contract).exists() == (contract.starts_on < TODAY.replace(day=1))


class TestQualityVisits:
    def test_draft_corrections_final_and_an_action_plan_after_a_poor_rating(
        self, client, authority, contract, commissioner, provider
    ):
        from shortbreaks.contracts.services.quality import action_add, visit_finalise, visit_record

        standards = [name for name, _ in MonitoringPolicy.objects.get(authority=authority, version=1).quality_standards]
        with pytest.raises(NotAllowed, match="from 1 \\(inadequate\\) to 4"):
            visit_record(
                contract=contract, visited_on=TODAY, scores={standards[0]: 4}, evidence={}, visited_by=commissioner
            )
        scores = dict.fromkeys(standards, 2) | {standards[0]: 1}
        visit = visit_record(
            contract=contract,
            visited_on=TODAY,
            scores=scores,
            evidence={standards[0]: "No DBS log"},
            visited_by=commissioner,
        )
        # 30 x 1 + 70 x 2 = 170 / 100 = 1.7: requires improvement.
        assert (visit.overall, visit.rating, visit.poor) == (Decimal("1.70"), "Requires improvement", True)
        with pytest.raises(NotAllowed, match="has until"):
            visit_finalise(visit=visit, response="", finalised_by=commissioner)

        sign_in(client, provider)
        url = reverse("contracts:provider-contract", args=[contract.pk])
        correct = reverse("contracts:provider-corrections", args=[contract.pk])
        client.post(correct, {"visit": visit.pk, "corrections": "The DBS log was in the office"})
        visit.refresh_from_db()
        assert visit.corrections == "The DBS log was in the office"
        with pytest.raises(NotAllowed, match="Say how the provider's corrections"):
            visit_finalise(visit=visit, response="", finalised_by=commissioner)
        with pytest.raises(NotAllowed, match="needs an action plan"):
            visit_finalise(visit=visit, response="Seen; the log was out of date", finalised_by=commissioner)
        item = action_add(
            visit=visit,
            action="Bring DBS checks up to date",
            due_on=TODAY + dt.timedelta(days=30),
            added_by=commissioner,
        )
        visit_finalise(visit=visit, response="Seen; the log was out of date", finalised_by=commissioner)
        client.post(
            reverse("contracts:provider-action-done", args=[contract.pk]), {"item": item.pk, "note": "All renewed"}
        )
        item.refresh_from_db()
        assert item.done_on == TODAY and item.provider_note == "All renewed"
        response = client.post(correct, {"visit": visit.pk, "corrections": "late"})
        assert response.status_code == 400 and "has passed" in response.content.decode()
        assert client.get(url).status_code == 200

    def test_the_commissioner_records_a_visit_through_the_page(self, client, authority, contract, commissioner):
        sign_in(client, commissioner)
        url = reverse("contracts:visit", args=[contract.pk])
        data = {"visited_on": TODAY.isoformat()} | {f"score-{n}": "4" for n in range(5)}
        response = client.post(url, data | {"score-4": ""})
        assert "Score &#x27;Listening to children and families&#x27; from 1" in response.content.decode()
        client.post(url, data)
        assert contract.visits.get().rating == "Good"


class TestFamilyCallOffs:
    def test_a_parent_calls_off_with_the_budget_and_a_decline_gives_it_back(
        self, client, authority, organisation, provider, parent, children, commissioner
    ):
        from shortbreaks.contracts.services import contract_answer
        from shortbreaks.families.services.budget import account_for

        from .factories import awarded_framework

        _, lot = awarded_framework(
            authority,
            organisation,
            commissioner,
            reference="FW-1",
            title="Short breaks framework",
            lot_title="Weekend activities",
        )
        fund(children[0], "300.00")
        sign_in(client, parent)
        url = reverse("contracts:frameworks")
        assert "Weekend activities" in client.get(url).content.decode()
        data = {
            "lot": lot.pk,
            "organisation": organisation.pk,
            "child": children[0].pk,
            "title": "Saturday sessions, spring term",
            "idempotency_key": "k" * 32,  # kept by the page shown again, so used for the second try too
        }
        response = client.post(url, data | {"price": "400"}, follow=True)
        assert "£300.00 is available and this needs £400.00" in response.content.decode()
        assert not Contract.objects.exists()
        client.post(url, data | {"price": "250"})
        contract = Contract.objects.get()
        account = account_for(children[0])
        assert (contract.kind, contract.status, contract.value) == ("call_off", "offered", Decimal("250"))
        assert (account.available, account.committed) == (Decimal("50.00"), Decimal("250.00"))
        outsider = make_user(authority, Role.PARENT, email="other-parent@example.org")
        sign_in(client, outsider)
        client.post(url, data | {"price": "10"})
        assert Contract.objects.count() == 1  # not their child
        contract_answer(contract=contract, answered_by=provider, accept=False, reason="No places left this term")
        account.refresh_from_db()
        assert (account.available, account.committed) == (Decimal("300.00"), Decimal("0.00"))


def test_moderated_reviews_reach_the_public_page_and_the_provider_home_sums_up(
    client, authority, organisation, provider, parent, commissioner, contract
):
    from shortbreaks.contracts.services.feedback import feedback_moderate, feedback_reply

    service = contract.services.get()
    kept = feedback_give(
        service=service, given_by=parent, enjoyed="great", comment="Our son loves Saturdays", may_publish=True
    )
    private = feedback_give(service=service, given_by=parent, enjoyed="okay", comment="Pick-up was late")
    page = client.get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "loves Saturdays" not in page  # not yet moderated
    sign_in(client, commissioner)
    client.post(reverse("contracts:reviews"), {"feedback": kept.pk, "action": "publish"})
    with pytest.raises(NotAllowed):
        feedback_moderate(feedback=private, publish=True, moderated_by=commissioner)
    feedback_reply(feedback=Feedback.objects.get(pk=kept.pk), reply="Thank you!", replied_by=provider)
    client.logout()
    page = client.get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "loves Saturdays" in page and "Thank you!" in page and "Pick-up was late" not in page

    ContractReturn.objects.create(
        authority=authority,
        contract=contract,
        period_start=contract.starts_on,
        period_end=contract.starts_on + dt.timedelta(days=27),
        due_on=TODAY - dt.timedelta(days=1),
    )
    sign_in(client, provider)
    home = client.get(reverse("directory:provider-home")).content.decode()
    assert "Contracts and money" in home and "overdue" in home and "2 comments" in home


def test_grant_milestones_are_planned_then_paid_once(client, authority, organisation, commissioner):
    grant = Contract.objects.create(
        authority=authority,
        reference="GR-9",
        title="Youth club grant",
        kind="grant",
        organisation=organisation,
        value=Decimal("6000"),
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=365),
        status="active",
        conditions="Spend on holiday clubs; report termly; unspent money returned",
    )
    sign_in(client, commissioner)
    url = reverse("contracts:milestone", args=[grant.pk])
    client.post(url, {"title": "Summer club runs", "due_on": "2027-08-31", "amount": "4000"})
    response = client.post(url, {"title": "Too much", "due_on": "2027-09-30", "amount": "2500"})
    assert "more than is left" in response.content.decode()
    milestone = grant.milestones.get()
    pay = reverse("contracts:milestone-pay", args=[grant.pk])
    client.post(pay, {"milestone": milestone.pk, "idempotency_key": "k" * 32})
    response = client.post(pay, {"milestone": milestone.pk, "idempotency_key": "l" * 32})
    assert "already paid" in response.content.decode()
    assert Payment.objects.get().kind == "milestone" and Payment.objects.get().amount == Decimal("4000")


def test_the_years_summary_says_money_hours_and_counts_as_people_write_them(contract):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    totals = {"sessions_delivered": 1, "attended": 1, "places_booked": 1, "hours_delivered": Decimal("187.50")}
    summary = SimpleNamespace(
        periods=1, overall="", paid=Decimal("1234"), totals=totals | {"incidents": 1, "complaints": 1}
    )
    context = {"contract": contract, "rated": [], "payments": [], "summary": summary, "provider": True}
    page = " ".join(render_to_string("contracts/_ratings.html", context).split())
    assert "1 approved return:" in page and "1 session," in page and "1 of 1 place attended" in page
    assert "187.5 place-hours, 1 incident, 1 complaint; £1,234.00 paid" in page
    summary.totals = totals | {"incidents": 2, "complaints": 0, "hours_delivered": Decimal("2400.00")}
    page = " ".join(render_to_string("contracts/_ratings.html", context).split())
    assert "2,400 place-hours, 2 incidents, 0 complaints" in page
