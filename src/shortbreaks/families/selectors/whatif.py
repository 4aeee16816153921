"""What-if: the whole current caseload under a draft rule, before it goes live. Each child's
latest answers are scored against the draft in one pass (one query, then arithmetic), so ten
thousand children take well under two seconds (bench/allocation_whatif.py)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from shortbreaks.core.models import Authority

from ..models import Allocation, AllocationRule
from ..rules import points_table


@dataclass
class FamilyChange:
    family_id: object
    reference: str
    children: int
    current: Decimal
    proposed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.proposed - self.current


@dataclass
class WhatIf:
    rule: AllocationRule
    children: int = 0
    families: int = 0
    current_total: Decimal = Decimal("0")
    proposed_total: Decimal = Decimal("0")
    children_per_band: list[tuple[str, int, int]] = field(default_factory=list)  # band, children, families
    changes: list[FamilyChange] = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return self.rule.annual_budget

    @property
    def headroom(self) -> Decimal:
        return self.budget - self.proposed_total

    @property
    def within_budget(self) -> bool:
        return self.proposed_total <= self.budget


def allocation_whatif(*, authority: Authority, rule: AllocationRule) -> WhatIf:
    table = points_table(rule.spec)
    bands = sorted(rule.spec["bands"], key=lambda b: b["min_points"])
    amounts = {b["code"]: Decimal(b["annual_amount"]) for b in bands}
    rows = Allocation.objects.filter(authority=authority, status=Allocation.Status.ACTIVE).values_list(
        "child__family_id", "child__family__reference", "annual_amount", "assessment__answers"
    )

    result = WhatIf(rule=rule)
    per_family: dict = {}
    band_children: Counter = Counter()
    band_families: dict = defaultdict(set)
    for family_id, reference, current, answers in rows:
        total = sum(table.get(question, {}).get(answer, 0) for question, answer in answers.items())
        band = bands[0]["code"]
        for candidate in bands:
            if candidate["min_points"] <= total:
                band = candidate["code"]
        proposed = amounts[band]
        change = per_family.get(family_id)
        if change is None:
            change = per_family[family_id] = FamilyChange(family_id, reference, 0, Decimal("0"), Decimal("0"))
        change.children += 1
        change.current += current
        change.proposed += proposed
        band_children[band] += 1
        band_families[band].add(family_id)
        result.current_total += current
        result.proposed_total += proposed
    result.children = sum(band_children.values())
    result.families = len(per_family)
    names = {b["code"]: b["name"] for b in bands}
    result.children_per_band = [
        (names[b["code"]], band_children[b["code"]], len(band_families[b["code"]])) for b in bands
    ]
    result.changes = sorted(
        (c for c in per_family.values() if c.difference != 0), key=lambda c: (-abs(c.difference), c.reference)
    )
    return result
