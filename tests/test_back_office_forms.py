"""Every back-office form in contracts, posted with one bad field: the page comes back (never a
redirect) with a GOV.UK error summary, and what was typed in the other fields is shown again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from shortbreaks.contracts.models import Contract, ContractReturn, Milestone, SafeguardingAlert
from shortbreaks.contracts.selectors import policy_for
from shortbreaks.contracts.services import variation_propose
from shortbreaks.contracts.services.decommissioning import plan_create
from shortbreaks.contracts.services.feedback import feedback_give
from shortbreaks.contracts.services.quality import action_add, visit_record
from shortbreaks.procurement.services import lot_add, opportunity_create

from .clock import TODAY
from .factories import booked, make_child, make_family, make_service, session_on, sign_in


@pytest.fixture
def world(authority, organisation, commissioner, provider, parent, officer):
    start = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
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
    contract.services.add(make_service(organisation))
    offered = Contract.objects.create(
        authority=authority,
        reference="SVC-2",
        title="Holiday club",
        kind=Contract.Kind.SERVICE,
        organisation=organisation,
        value=Decimal("5000"),
        starts_on=start,
        ends_on=start + dt.timedelta(days=364),
        status=Contract.Status.OFFERED,
    )
    variation = variation_propose(
        contract=contract, kind="price", after=Decimal("24500"), reason="Prices rose", proposed_by=commissioner
    )
    ret = ContractReturn.objects.create(
        authority=authority,
        contract=contract,
        period_start=start,
        period_end=start + dt.timedelta(days=27),
        due_on=start + dt.timedelta(days=40),
        status=ContractReturn.Status.SUBMITTED,
        amount_claimed=Decimal("950"),
        submitted_at=dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC),
    )
    due = ContractReturn.objects.create(
        authority=authority,
        contract=contract,
        period_start=start + dt.timedelta(days=28),
        period_end=start + dt.timedelta(days=55),
        due_on=start + dt.timedelta(days=70),
    )
    standards = policy_for(authority).quality_standards
    visit = visit_record(
        contract=contract,
        visited_by=commissioner,
        visited_on=TODAY,
        scores={name: 1 for name, _ in standards},
        evidence={name: "" for name, _ in standards},
    )
    item = action_add(visit=visit, action="Renew checks", due_on=TODAY + dt.timedelta(days=30), added_by=commissioner)
    milestone = Milestone.objects.create(
        authority=authority, contract=contract, title="Summer", due_on=TODAY, amount=Decimal("100")
    )
    spot = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="SPOT-1",
        title="Sam's overnights",
        description="Urgent overnight care",
        route="spot",
        justification="One child, urgent",
    )
    lot_add(opportunity=spot, title="Placement", description="", value=Decimal("9000"), added_by=commissioner)
    club = make_service(organisation, name="Saturday Club")
    sam = make_child(make_family(authority, carer_user=parent), "Sam")
    booked(session_on(club, TODAY - dt.timedelta(days=5)), sam)
    plan = plan_create(
        service=club,
        change="end",
        reasons="Funding ends",
        communications="Letters",
        families_told_by=TODAY + dt.timedelta(days=7),
        last_day=TODAY + dt.timedelta(days=60),
        created_by=commissioner,
    )
    review = feedback_give(
        service=club, given_by=parent, child=sam, enjoyed="great", comment="Lovely staff", may_publish=True
    )
    unsafe = feedback_give(service=club, given_by=parent, child=sam, enjoyed="not_good", felt_safe="no")
    return {
        "plan": plan,
        "entry": plan.affected.get(),
        "club": club,
        "review": review,
        "alert": SafeguardingAlert.objects.get(feedback=unsafe),
        "officer": officer,
        "contract": contract,
        "offered": offered,
        "variation": variation,
        "return": ret,
        "due": due,
        "visit": visit,
        "item": item,
        "milestone": milestone,
        "spot": spot,
        "organisation": organisation,
        "commissioner": commissioner,
        "provider": provider,
    }


def _contract(name):
    return lambda w: reverse(f"contracts:{name}", args=[w["contract"].pk])


# (name, who, url, data, bad field and value, what must be shown again)
CASES = [
    (
        "terms",
        "commissioner",
        _contract("terms"),
        lambda w: {"extensions": "12", "break_clause": "Either side, 3 months' notice"},
        ("extensions", "twelve"),
        ["Either side, 3 months&#x27; notice", 'value="twelve"'],
    ),
    (
        "services",
        "commissioner",
        _contract("services"),
        lambda w: {"services": [str(w["contract"].services.get().pk)]},
        ("services", ["not-an-id"]),
        [],
    ),
    (
        "kpi",
        "commissioner",
        _contract("kpi"),
        lambda w: {"measure": "hours", "target": "40"},
        ("target", "lots"),
        ['value="hours" selected', 'value="lots"'],
    ),
    (
        "milestone",
        "commissioner",
        _contract("milestone"),
        lambda w: {"title": "Summer club runs", "due_on": "2027-08-31", "amount": "4000"},
        ("due_on", "next summer"),
        ['value="Summer club runs"', 'value="4000"'],
    ),
    (
        "payment",
        "commissioner",
        _contract("payment"),
        lambda w: {"kind": "set_up", "amount": "1200", "description": "Set-up grant", "idempotency_key": "k" * 32},
        ("amount", "lots"),
        ['value="set_up" selected', 'value="Set-up grant"', "Enter the amount paid as a number of pounds"],
    ),
    (
        "variation",
        "commissioner",
        _contract("variation"),
        lambda w: {"kind": "volume", "after": "700", "reason": "More children"},
        ("after", "many"),
        ['value="volume" selected', "More children</textarea>"],
    ),
    (
        "visit",
        "commissioner",
        _contract("visit"),
        lambda w: {"visited_on": TODAY.isoformat(), "score-0": "3", "evidence-0": "Saw the DBS log"},
        ("visited_on", "last week"),
        ["Saw the DBS log</textarea>", 'value="3" selected'],
    ),
    (
        "variation-decide",
        "commissioner",
        _contract("variation-decide"),
        lambda w: {"variation": str(w["variation"].pk), "note": "Agreed at the meeting", "action": "approve"},
        ("action", "maybe"),
        ['value="Agreed at the meeting"'],
    ),
    (
        "return-decide",
        "commissioner",
        _contract("return-decide"),
        lambda w: {"contract_return": str(w["return"].pk), "reason": "Hours look high", "action": "query"},
        ("action", "maybe"),
        ['value="Hours look high"'],
    ),
    (
        "milestone-pay",
        "commissioner",
        _contract("milestone-pay"),
        lambda w: {"milestone": str(w["milestone"].pk), "idempotency_key": "k" * 32},
        ("milestone", "not-an-id"),
        [],
    ),
    (
        "visit-action",
        "commissioner",
        _contract("visit-action"),
        lambda w: {"visit": str(w["visit"].pk), "plan_action": "Train the new staff", "due_on": "2027-09-01"},
        ("due_on", "soon"),
        ['value="Train the new staff"', "govuk-error-message"],
    ),
    (
        "visit-finalise",
        "commissioner",
        _contract("visit-finalise"),
        # The provider still has time to correct facts: the service says so.
        lambda w: {"visit": str(w["visit"].pk), "response": "Seen and agreed"},
        ("response", "Seen and agreed"),
        ["Seen and agreed</textarea>", "to correct facts"],
    ),
    (
        "award-confirm",
        "commissioner",
        lambda w: reverse("contracts:award-confirm"),
        lambda w: {},
        ("award", "not-an-id"),
        ["Choose an award in its standstill period"],
    ),
    (
        "budget",
        "commissioner",
        lambda w: reverse("contracts:budget"),
        lambda w: {"kind": "grants", "amount": "10000"},
        ("amount", "lots"),
        ['value="grants" selected', 'value="lots"', "Enter the price as a number"],
    ),
    (
        "direct",
        "commissioner",
        lambda w: reverse("contracts:direct", args=[w["spot"].pk]),
        lambda w: {
            "organisation": str(w["organisation"].pk),
            "value": "9000",
            "starts_on": "2027-04-01",
            "ends_on": "2028-03-31",
        },
        ("value", "nine thousand"),
        ['value="2027-04-01"', 'value="2028-03-31"', "selected>Rainbow Trust"],
    ),
    (
        "answer",
        "provider",
        lambda w: reverse("contracts:offer", args=[w["offered"].pk]),
        lambda w: {"reason": "We are full", "action": "decline"},
        ("action", "maybe"),
        ['value="We are full"', 'id="id_reason"'],
    ),
    (
        "return",
        "provider",
        lambda w: reverse("contracts:return", args=[w["due"].pk]),
        lambda w: {"hours": "10", "incidents": "0", "complaints": "1", "amount": "950", "notes": "Busy month"},
        ("amount", "lots"),
        ['value="10"', 'value="1"', "Busy month</textarea>", "Enter the price as a number"],
    ),
    (
        "provider-corrections",
        "provider",
        lambda w: reverse("contracts:provider-corrections", args=[w["contract"].pk]),
        lambda w: {"visit": str(w["visit"].pk), "corrections": "The log was in the office"},
        ("corrections", ""),
        ["Say which facts are wrong", "govuk-error-message"],
    ),
    (
        "provider-action-done",
        "provider",
        lambda w: reverse("contracts:provider-action-done", args=[w["contract"].pk]),
        lambda w: {"item": str(w["item"].pk), "note": "All renewed"},
        ("note", ""),
        ["Say what you did", "govuk-error-message"],
    ),
]


CASES += [
    (
        "plans",
        "commissioner",
        lambda w: reverse("contracts:plans"),
        lambda w: {
            "service": str(w["club"].pk),
            "change": "reduce",
            "reasons": "The hall closes on Sundays",
            "communications": "Letters home",
            "families_told_by": (TODAY + dt.timedelta(days=7)).isoformat(),
            "last_day": (TODAY + dt.timedelta(days=60)).isoformat(),
        },
        ("last_day", "in the spring"),
        ["The hall closes on Sundays</textarea>", "Letters home</textarea>", 'value="reduce" checked'],
    ),
    (
        "plan-alternative",
        "commissioner",
        lambda w: reverse("contracts:plan-alternative", args=[w["plan"].pk]),
        lambda w: {"entry": str(w["entry"].pk), "alternative": "", "notes": "A personal assistant", "told_on": ""},
        ("told_on", "yesterday"),
        ['value="A personal assistant"', "govuk-error-message"],
    ),
    (
        "plan-complete",
        "commissioner",
        lambda w: reverse("contracts:plan-complete", args=[w["plan"].pk]),
        lambda w: {},
        ("action", "complete"),
        ["no alternative yet"],
    ),
    (
        "reviews",
        "commissioner",
        lambda w: reverse("contracts:reviews"),
        lambda w: {"feedback": str(w["review"].pk), "action": "publish"},
        ("action", "maybe"),
        ["Choose to publish or not"],
    ),
    (
        "safeguarding",
        "officer",
        lambda w: reverse("contracts:safeguarding-alert", args=[w["alert"].pk]),
        lambda w: {"kind": "contacted_family", "note": "Called the family"},
        ("kind", "phoned"),
        ["Choose what was done", "govuk-error-message", "Called the family</textarea>"],
    ),
    (
        "provider-feedback",
        "provider",
        lambda w: reverse("contracts:provider-feedback"),
        lambda w: {"feedback": str(w["review"].pk), "reply": "Thank you"},
        ("reply", ""),
        ["Write your reply", "govuk-error-message"],
    ),
]


@pytest.mark.parametrize(("name", "who", "url", "data", "bad", "shown"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_field_shows_the_form_again_with_what_was_typed(client, world, name, who, url, data, bad, shown):
    sign_in(client, world[who])
    field, value = bad
    posted = data(world) | {field: value}
    response = client.post(url(world), posted)
    assert response.status_code in (200, 400), response.get("Location")
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "This field is required" not in page
    for text in shown:
        assert text in page, text


def test_a_malformed_row_id_is_a_form_error_and_changes_nothing(client, world):
    sign_in(client, world["commissioner"])
    response = client.post(
        reverse("contracts:return-decide", args=[world["contract"].pk]),
        {"contract_return": "1; drop table", "action": "approve"},
    )
    assert response.status_code == 400 and "Choose a return of this contract" in response.content.decode()
    world["return"].refresh_from_db()
    assert world["return"].status == ContractReturn.Status.SUBMITTED


def test_another_providers_contract_cannot_be_answered_through_the_form(client, world, other_provider):
    sign_in(client, other_provider)
    response = client.post(reverse("contracts:offer", args=[world["offered"].pk]), {"action": "accept"})
    assert response.status_code == 404
    world["offered"].refresh_from_db()
    assert world["offered"].status == Contract.Status.OFFERED


def test_the_services_saved_are_audited(client, world):
    from shortbreaks.core.models import AuditEvent

    sign_in(client, world["commissioner"])
    contract = world["contract"]
    response = client.post(reverse("contracts:services", args=[contract.pk]), {})
    assert response.status_code == 302 and not contract.services.exists()
    assert AuditEvent.objects.filter(action="contracts.services", target_id=str(contract.pk)).exists()


def test_a_family_call_off_that_cannot_be_paid_keeps_what_was_typed(
    client, authority, organisation, commissioner, parent
):
    from .factories import awarded_framework, fund

    _, lot = awarded_framework(
        authority, organisation, commissioner, reference="FW-1", title="Short breaks", lot_title="Weekends"
    )
    child = make_child(make_family(authority, carer_user=parent), "Sam")
    fund(child, "300.00")
    sign_in(client, parent)
    data = {
        "lot": str(lot.pk),
        "organisation": str(organisation.pk),
        "child": str(child.pk),
        "title": "Spring Saturdays",
        "idempotency_key": "k" * 32,
    }
    response = client.post(reverse("contracts:frameworks"), data | {"price": "400"})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and "this needs £400.00" in page
    assert 'value="Spring Saturdays"' in page and 'value="400"' in page
    response = client.post(reverse("contracts:frameworks"), data | {"price": "lots"})
    assert response.status_code == 400 and "Enter the price as a number of pounds" in response.content.decode()
    response = client.post(reverse("contracts:frameworks"), data | {"lot": "x", "price": "10"})
    assert response.status_code == 400 and not Contract.objects.exists()


def test_each_form_on_the_contracts_page_posts_to_its_own_view(client, world):
    import re

    sign_in(client, world["commissioner"])
    contract = world["contract"]
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    actions = set(re.findall(r'<form method="post" action="([^"]*)"', page))
    expected = {
        reverse(f"contracts:{name}", args=[contract.pk])
        for name in (
            "terms",
            "services",
            "kpi",
            "milestone",
            "milestone-pay",
            "payment",
            "variation-decide",
            "return-decide",
            "visit",
            "visit-action",
        )
    }
    assert expected <= actions, expected - actions
    assert page.count('<form method="post"') == page.count('<form method="post" action=')
    for label in ("Save the terms", "Save the services", "Save the KPI", "Record the payment", "Record the visit"):
        assert label in page


def test_feedback_without_an_answer_keeps_what_was_typed_and_ticked(client, world, parent):
    from shortbreaks.bookings.models import Booking

    sign_in(client, parent)
    went = Booking.objects.get(session__service=world["club"])
    data = {"booking": str(went.pk), "felt_safe": "yes", "had_fun": "yes", "comment": "Pick-up was late"}
    response = client.post(reverse("contracts:feedback"), data)
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page and "Choose how the break was" in page
    assert "Pick-up was late</textarea>" in page and 'value="yes" checked' in page
    assert f'<option value="{went.pk}" selected>' in page
    assert 'href="#id_enjoyed"' in page and 'id="id_enjoyed"' in page


def test_a_visit_actions_due_date_is_typed_as_words_not_picked(client, world):
    sign_in(client, world["commissioner"])
    contract, visit = world["contract"], world["visit"]
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'type="date"' not in page
    assert f'id="due_on-{visit.pk}" name="due_on" type="text"' in page
    assert f'id="due_on-{visit.pk}-hint" class="govuk-hint">For example, 1 September 2027' in page
    response = client.post(
        reverse("contracts:visit-action", args=[contract.pk]),
        {"visit": str(visit.pk), "plan_action": "Train the new staff", "due_on": "1 September 2027"},
    )
    assert response.status_code == 302
    assert visit.actions.get(action="Train the new staff").due_on == dt.date(2027, 9, 1)
    response = client.post(
        reverse("contracts:visit-action", args=[contract.pk]),
        {"visit": str(visit.pk), "plan_action": "Train the new staff", "due_on": "31 Sept 2027"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Enter the due date as a date, like 1 September 2027" in page and 'value="31 Sept 2027"' in page


def test_the_day_a_family_was_told_is_typed_and_shown_as_words(client, world):
    sign_in(client, world["commissioner"])
    plan, entry = world["plan"], world["entry"]
    page = client.get(reverse("contracts:plan", args=[plan.pk])).content.decode()
    assert 'type="date"' not in page and f'id="told_on-{entry.pk}-hint" class="govuk-hint"' in page
    response = client.post(
        reverse("contracts:plan-alternative", args=[plan.pk]),
        {"entry": str(entry.pk), "alternative": "", "notes": "A personal assistant", "told_on": "30 November 2026"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.family_told_on == dt.date(2026, 11, 30)
    page = client.get(reverse("contracts:plan", args=[plan.pk])).content.decode()
    assert f'id="told_on-{entry.pk}" name="told_on" type="text"' in page and 'value="30 November 2026"' in page


@pytest.mark.parametrize("typed", ["31 March 2028", "2028-03-31"])
def test_a_term_variation_takes_the_new_end_date_in_words_or_iso(client, world, typed):
    from shortbreaks.contracts.models import Variation

    Variation.objects.filter(pk=world["variation"].pk).update(status=Variation.Status.REJECTED)  # none waiting
    sign_in(client, world["commissioner"])
    contract = world["contract"]
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "a date like 31 March 2028 for the term" in page and "2028-03-31" not in page
    response = client.post(
        reverse("contracts:variation", args=[contract.pk]),
        {"kind": "term", "after": typed, "reason": "Bridge to the new framework"},
    )
    assert response.status_code == 302
    assert Variation.objects.get(contract=contract, kind="term").after == "2028-03-31"
    # Each variation says its figures as people read them, not as they are stored.
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    ends = contract.ends_on
    assert f"Term (end date): {ends.day} {ends:%B %Y} to 31 March 2028 (" in page
    assert "Price (contract value): £24,000.00 to £24,500.00 (" in page


def test_a_term_variation_with_a_date_that_is_not_one_says_how_to_write_it(client, world):
    sign_in(client, world["commissioner"])
    response = client.post(
        reverse("contracts:variation", args=[world["contract"].pk]),
        {"kind": "term", "after": "31 Sept 2028", "reason": "Bridge to the new framework"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Give the new figure: pounds for price" in page
    assert 'value="31 Sept 2028"' in page
