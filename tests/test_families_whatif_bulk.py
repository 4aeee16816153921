"""The what-if scores the caseload in bulk, in the database. Here it is checked against the rule's
own per-child scoring (`rules.evaluate`) over a varied caseload and varied drafts, including the
edge cases of the rule language: unanswered and unknown answers, answers to questions the draft
does not ask, answers that are not strings, codes made of digits, a total exactly on a band's
minimum, a single band, amounts in pence, families across several bands."""

import copy
import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from shortbreaks.families.default_rule import DEFAULT_SPEC
from shortbreaks.families.models import Allocation, AllocationRule, Assessment
from shortbreaks.families.rules import evaluate, spec_problems
from shortbreaks.families.selectors.whatif import allocation_whatif

from .factories import make_child, make_family


def _band(code, name, min_points, amount, tier):
    return {
        "code": code,
        "name": name,
        "min_points": min_points,
        "annual_amount": amount,
        "annual_hours": 1,
        "tier": tier,
    }


DIGITS_SPEC = {
    "questions": [
        {
            "code": "1",
            "text": "Question one",
            "answers": [
                {"code": "5", "text": "Five", "points": 5},
                {"code": "true", "text": "True", "points": 7},
                {"code": "null", "text": "Null", "points": 11},
            ],
        },
        {
            "code": "0",
            "text": "Question zero",
            "answers": [{"code": "0", "text": "Zero", "points": 0}, {"code": "10", "text": "Ten", "points": 10}],
        },
        {
            "code": "personal_care",
            "text": "Personal care",
            "answers": [
                {"code": "a_lot", "text": "A lot", "points": 13},
                {"code": "some", "text": "Some", "points": 1},
            ],
        },
    ],
    "bands": [
        _band("b0", "Nil", 0, "0", "targeted"),
        _band("b1", "Low", 7, "100.01", "targeted"),
        _band("b2", "Mid", 13, "1234.56", "specialist"),
        _band("b3", "Top", 24, "9999999.99", "specialist"),
    ],
}


def _drafts() -> dict[str, dict]:
    dearer = copy.deepcopy(DEFAULT_SPEC)
    dearer["bands"][3]["annual_amount"] = "2500.00"
    dearer["bands"][-1]["min_points"] += 60
    one_band = copy.deepcopy(DEFAULT_SPEC)
    one_band["bands"] = [dict(one_band["bands"][2], min_points=0)]
    fewer = copy.deepcopy(DEFAULT_SPEC)
    fewer["questions"] = fewer["questions"][2:5]
    for question in fewer["questions"]:
        question["answers"] = question["answers"][:-1]  # the highest answer is now unknown
    return {"same": DEFAULT_SPEC, "dearer": dearer, "one band": one_band, "fewer": fewer, "digits": DIGITS_SPEC}


def _answer_pool(spec: dict) -> list:
    codes = [a["code"] for q in spec["questions"] for a in q["answers"]]
    return [*codes, "unknown", "", 5, 0, 1, True, None, ["a_lot"], {"a": "b"}, "A_LOT", " a_lot"]


def _caseload(authority, rule, count=90):
    chance = random.Random(22)
    pool = _answer_pool(DEFAULT_SPEC) + _answer_pool(DIGITS_SPEC)
    questions = [q["code"] for q in DEFAULT_SPEC["questions"] + DIGITS_SPEC["questions"]] + ["not_asked", "2"]
    amounts = [Decimal("0.00"), Decimal("0.01"), Decimal("2200.00"), Decimal("1234.56"), Decimal("99999.99")]
    families = [make_family(authority, reference=f"F-{n:03d}") for n in range(count // 3)]
    for n in range(count):
        child = make_child(chance.choice(families), first_name=f"Child{n}")
        if n % 4 == 0:  # the points and bands of the rule itself, so some families do not change
            answers = {q["code"]: chance.choice(q["answers"])["code"] for q in DEFAULT_SPEC["questions"]}
        else:
            answers = {q: chance.choice(pool) for q in chance.sample(questions, chance.randint(0, len(questions)))}
        assessment = Assessment.objects.create(
            authority=authority, child=child, rule=rule, answers=answers, assessed_on=dt.date(2026, 4, 1)
        )
        outcome = evaluate(DEFAULT_SPEC, answers) if n % 4 == 0 else None
        Allocation.objects.create(
            authority=authority,
            child=child,
            assessment=assessment,
            rule=rule,
            total_points=0,
            band_code="x",
            band_name="x",
            tier="targeted",
            annual_amount=outcome.annual_amount if outcome else chance.choice(amounts),
            annual_hours=0,
            period_start=dt.date(2026, 4, 1),
            period_end=dt.date(2027, 4, 1),
            explanation=[],
            status=Allocation.Status.ACTIVE if n % 10 else Allocation.Status.SUPERSEDED,
        )
    # A superseded allocation of a child who has a current one, and a child with none at all.
    make_child(families[0], first_name="Nobody")


def _per_child(authority, spec):
    """The what-if worked out one child at a time with the rule's own scoring."""
    rows = Allocation.objects.filter(authority=authority, status=Allocation.Status.ACTIVE).values_list(
        "child__family_id", "child__family__reference", "annual_amount", "assessment__answers"
    )
    families, per_band = {}, defaultdict(lambda: [0, set()])
    for family_id, reference, current, answers in rows:
        band = evaluate(spec, answers).band
        family = families.setdefault(family_id, [reference, 0, Decimal("0"), Decimal("0")])
        family[1] += 1
        family[2] += current
        family[3] += Decimal(band["annual_amount"])
        per_band[band["code"]][0] += 1
        per_band[band["code"]][1].add(family_id)
    changes = sorted(
        ((ref, family_id, n, now, then) for family_id, (ref, n, now, then) in families.items() if now != then),
        key=lambda c: (-abs(c[4] - c[3]), c[0]),
    )
    return {
        "children": sum(n for _, n, _, _ in families.values()),
        "families": len(families),
        "current": sum((f[2] for f in families.values()), Decimal("0")),
        "proposed": sum((f[3] for f in families.values()), Decimal("0")),
        "bands": [(b["name"], per_band[b["code"]][0], len(per_band[b["code"]][1])) for b in spec["bands"]],
        "changes": changes,
    }


@pytest.mark.parametrize("draft", list(_drafts()))
def test_bulk_whatif_matches_the_rule_child_by_child(authority, rule, draft):
    spec = _drafts()[draft]
    assert spec_problems(spec) == []
    _caseload(authority, rule)
    proposal = AllocationRule.objects.create(
        authority=authority, version=2, name=draft, spec=spec, annual_budget=Decimal("50000")
    )
    expected = _per_child(authority, spec)
    result = allocation_whatif(authority=authority, rule=proposal)
    assert result.children == expected["children"] > 50
    assert result.families == expected["families"]
    assert result.current_total == expected["current"]
    assert result.proposed_total == expected["proposed"]
    assert result.within_budget == (expected["proposed"] <= Decimal("50000"))
    assert result.children_per_band == expected["bands"]
    assert [(c.reference, c.family_id, c.children, c.current, c.proposed) for c in result.changes] == expected[
        "changes"
    ]
    if draft == "same":
        assert len(result.changes) < result.families  # families whose answers fit the rule keep their money
    if draft == "digits":
        assert len({band for band, children, _ in result.children_per_band if children}) >= 3


def test_a_total_exactly_on_a_minimum_reaches_that_band(authority, rule):
    family = make_family(authority, reference="F-EDGE")
    for answers in (
        {"1": "true"},
        {"1": "5", "0": "0"},
        {"personal_care": "a_lot"},
        {"1": "null", "personal_care": "a_lot"},
    ):
        child = make_child(family)
        assessment = Assessment.objects.create(
            authority=authority, child=child, rule=rule, answers=answers, assessed_on=dt.date(2026, 4, 1)
        )
        Allocation.objects.create(
            authority=authority, child=child, assessment=assessment, rule=rule, total_points=0, band_code="x",
            band_name="x", tier="targeted", annual_amount=Decimal("0.00"), annual_hours=0,
            period_start=dt.date(2026, 4, 1), period_end=dt.date(2027, 4, 1), explanation=[],
        )  # fmt: skip
    proposal = AllocationRule.objects.create(
        authority=authority, version=2, name="digits", spec=DIGITS_SPEC, annual_budget=Decimal("1")
    )
    result = allocation_whatif(authority=authority, rule=proposal)
    # 7 points: Low; 5: Nil; 13: Mid; 24: Top.
    assert result.children_per_band == [("Nil", 1, 1), ("Low", 1, 1), ("Mid", 1, 1), ("Top", 1, 1)]
    assert result.proposed_total == Decimal("10001334.56")
    assert [(c.reference, c.children, c.difference) for c in result.changes] == [("F-EDGE", 4, Decimal("10001334.56"))]


def test_an_empty_caseload(authority, rule):
    result = allocation_whatif(authority=authority, rule=rule)
    assert (result.children, result.families, result.current_total, result.proposed_total) == (0, 0, 0, 0)
    assert [children for _, children, _ in result.children_per_band] == [0] * len(DEFAULT_SPEC["bands"])
    assert result.changes == []
