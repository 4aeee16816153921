import copy
import datetime as dt
from decimal import Decimal

import pytest

from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed
from shortbreaks.core.models import AuditEvent
from shortbreaks.families.default_rule import DEFAULT_SPEC
from shortbreaks.families.models import Allocation, LedgerEntry
from shortbreaks.families.rules import evaluate, spec_problems
from shortbreaks.families.selectors.whatif import allocation_whatif
from shortbreaks.families.services.allocation import (
    InvalidRule,
    allocation_from_assessment,
    rule_draft_create,
    rule_draft_update,
    rule_publish,
)

from .factories import HIGH, LOW, MIDDLE, make_child, make_family


def test_points_bands_and_explanation():
    outcome = evaluate(DEFAULT_SPEC, MIDDLE)
    assert outcome.total_points == 350 and outcome.band["code"] == "band_3"
    assert outcome.annual_amount == Decimal("2200.00")
    assert [line.points for line in outcome.lines] == [80, 80, 90, 20, 40, 40, 0, 0]
    assert evaluate(DEFAULT_SPEC, LOW).band["code"] == "targeted"
    assert evaluate(DEFAULT_SPEC, HIGH).band["code"] == "band_5"
    assert evaluate(DEFAULT_SPEC, {}).lines[0].answer == "Not answered"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s["bands"][0].update(min_points=10), "first band must start at 0 points"),
        (lambda s: s["bands"].reverse(), "increasing numbers of points"),
        (lambda s: s["questions"].append(copy.deepcopy(s["questions"][0])), "its own code"),
        (lambda s: s["questions"][0]["answers"][0].update(points=-5), "questions > 0 > answers > 0 > points"),
        (lambda s: s["bands"][1].update(annual_amount="lots"), "bands > 1 > annual_amount"),
    ],
)
def test_bad_rules_are_explained(change, problem):
    spec = copy.deepcopy(DEFAULT_SPEC)
    change(spec)
    assert any(problem in p for p in spec_problems(spec)), spec_problems(spec)


def test_assessment_grants_an_allocation_and_credits_the_budget(authority, rule, officer):
    child = make_child(make_family(authority))
    allocation = allocation_from_assessment(
        child=child, answers=MIDDLE, assessed_on=dt.date(2026, 4, 1), assessor=officer
    )
    assert allocation.band_name == "Band 3" and allocation.annual_amount == Decimal("2200.00")
    assert allocation.period_end == dt.date(2027, 4, 1)
    assert allocation.explanation[0]["points"] == 80
    account = child.budget
    assert account.available == Decimal("2200.00")
    entry = account.entries.get()
    assert entry.kind == LedgerEntry.Kind.ALLOCATION_GRANTED and entry.created_by == officer
    assert AuditEvent.objects.filter(action="allocation.granted", target_id=str(child.pk)).exists()


def test_the_family_is_told_the_budget_granted(
    authority, rule, officer, parent, mailoutbox, django_capture_on_commit_callbacks
):
    child = make_child(make_family(authority, carer_user=parent), "Leo")
    with django_capture_on_commit_callbacks(execute=True):
        allocation_from_assessment(child=child, answers=MIDDLE, assessed_on=dt.date(2026, 4, 1), assessor=officer)
    (message,) = mailoutbox
    assert message.to == [parent.email] and message.subject == "Leo's short breaks budget"
    assert "Band 3: £2,200.00 for short breaks from 1 April 2026 to 1 April 2027" in message.body
    assert f"/family/children/{child.pk}/statement/" in message.body


def test_reassessment_moves_the_budget_by_the_difference(authority, rule, officer):
    child = make_child(make_family(authority))
    allocation_from_assessment(child=child, answers=MIDDLE, assessed_on=dt.date(2026, 4, 1), assessor=officer)
    allocation_from_assessment(child=child, answers=HIGH, assessed_on=dt.date(2026, 6, 1), assessor=officer)
    child.budget.refresh_from_db()
    assert child.budget.available == Decimal("4500.00")
    assert Allocation.objects.filter(child=child, status="active").count() == 1
    allocation_from_assessment(child=child, answers=LOW, assessed_on=dt.date(2026, 7, 1), assessor=officer)
    child.budget.refresh_from_db()
    assert child.budget.available == Decimal("0.00")
    assert child.budget.entries.last().kind == LedgerEntry.Kind.CLAWBACK


def test_every_question_must_be_answered(authority, rule, officer):
    child = make_child(make_family(authority))
    with pytest.raises(NotAllowed, match="Answer every question"):
        allocation_from_assessment(
            child=child, answers={"personal_care": "some"}, assessed_on=dt.date(2026, 4, 1), assessor=officer
        )
    assert not Allocation.objects.exists()


def test_no_rule_in_force_no_allocation(authority, officer):
    child = make_child(make_family(authority))
    with pytest.raises(NotAllowed, match="No allocation rule is in force"):
        allocation_from_assessment(child=child, answers=LOW, assessed_on=dt.date(2026, 4, 1), assessor=officer)


def test_drafts_publish_and_published_versions_are_frozen(authority, rule, commissioner):
    draft = rule_draft_create(authority=authority, based_on=rule, created_by=commissioner)
    assert draft.version == 2 and draft.status == "draft"
    with pytest.raises(InvalidRule):
        rule_draft_update(
            rule=draft, spec={"questions": []}, annual_budget=Decimal("1"), name="x", updated_by=commissioner
        )
    with pytest.raises(ChangedMeanwhile):
        rule_draft_update(rule=rule, spec=DEFAULT_SPEC, annual_budget=Decimal("1"), name="x", updated_by=commissioner)
    rule_publish(rule=draft, published_by=commissioner)
    rule.refresh_from_db()
    assert rule.status == "retired"


def test_whatif_shows_cost_bands_and_who_changes(authority, rule, officer, commissioner):
    a = make_family(authority, reference="F-A")
    b = make_family(authority, reference="F-B")
    for child, answers in ((make_child(a, "Amy"), MIDDLE), (make_child(a, "Ben"), LOW), (make_child(b, "Cal"), HIGH)):
        allocation_from_assessment(child=child, answers=answers, assessed_on=dt.date(2026, 4, 1), assessor=officer)

    spec = copy.deepcopy(DEFAULT_SPEC)
    spec["bands"][3]["annual_amount"] = "2500.00"  # band 3 up by 300
    spec["bands"][5]["min_points"] = 800  # nobody reaches band 5 (Cal has 730): Cal drops to band 4
    draft = rule_draft_create(
        authority=authority, based_on=rule, created_by=commissioner, spec=spec, annual_budget=Decimal("5000")
    )
    result = allocation_whatif(authority=authority, rule=draft)
    assert result.children == 3 and result.families == 2
    assert result.current_total == Decimal("6700.00")
    assert result.proposed_total == Decimal("5800.00")
    assert not result.within_budget and result.headroom == Decimal("-800.00")
    assert ("Band 4", 1, 1) in result.children_per_band and ("Targeted short breaks", 1, 1) in result.children_per_band
    assert [(c.reference, c.difference) for c in result.changes] == [
        ("F-B", Decimal("-1200.00")),
        ("F-A", Decimal("300.00")),
    ]
