"""What-if: the whole current caseload under a draft rule, before it goes live. The database
scores every child's latest answers against the draft and adds them up, in one statement: a
child's points are a CASE per question over the stored answers, the band a CASE over the
points, and what comes back is one row per band, one for the totals and one per family whose
money would change. Money is counted in whole pence, so the sums are exact on PostgreSQL and
SQLite alike. Python never holds a row per child (bench/allocation_whatif.py: 100,000
children, 80,127 of them active: see docs/architecture.md for the figures).

The scoring is the rule's own (`rules.evaluate`): a question scores its answer's points when
the stored answer is exactly one of its answer codes (a JSON string), and nothing otherwise
(unanswered, unknown, not a string); answers to questions the rule does not ask count for
nothing; the band is the highest whose minimum the total reaches."""

import contextlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from shortbreaks.core.models import Authority

from ..models import Allocation, AllocationRule, Assessment, Child, Family


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


def _name(model, column: str | None = None) -> str:
    meta = model._meta
    return connection.ops.quote_name(meta.db_table if column is None else meta.get_field(column).column)


def _pence(amount) -> int:
    return int(Decimal(amount) * 100)


def _money(pence) -> Decimal:
    # Whole pence from the database (an int, or a Decimal from SUM): no float on the way.
    return Decimal(pence or 0).scaleb(-2)


# Codes are [a-z0-9_]; these are the ones the text of a JSON number or true/false could equal.
_LOOKS_LIKE_JSON = re.compile(r"^([0-9]+|true|false)$")


def _answer(column: str, question: str, codes: list[str]) -> tuple[str, list, object]:
    """The stored answer to one question, as the database compares it with an answer code, and
    how an answer code is written for that comparison."""
    if connection.vendor == "postgresql":
        if any(_LOOKS_LIKE_JSON.match(code) for code in codes):
            # jsonb equality: only the JSON string "code" matches, never the number 5 for "5".
            return f"({column} -> %s::text)", [question], lambda code: (json.dumps(code), "::jsonb")
        # Otherwise the answer as text is just as exact (no number, list, true or false reads
        # as a letter code) and about 2.5 times cheaper than comparing jsonb.
        return f"({column} ->> %s::text)", [question], lambda code: (code, "::text")
    # SQLite: json_extract gives a JSON string as text and a number as a number, and text never
    # equals a number, so again only the string matches. The quoted key is never an array index.
    return f"json_extract({column}, %s)", [f'$."{question}"'], lambda code: (code, "")


def _points_sql(spec: dict, column: str) -> tuple[str, list]:
    terms, params = [], []
    for question in spec["questions"]:
        if not question["answers"]:
            continue
        answer_sql, answer_params, literal = _answer(column, question["code"], [a["code"] for a in question["answers"]])
        whens = []
        params += answer_params
        for answer in question["answers"]:
            value, cast = literal(answer["code"])
            whens.append(f"WHEN %s{cast} THEN %s")
            params += [value, int(answer["points"])]
        terms.append(f"(CASE {answer_sql} {' '.join(whens)} ELSE 0 END)")
    return " + ".join(terms) or "0", params


def _band_sql(bands: list[dict]) -> tuple[str, list]:
    """The index of the highest band the points reach; below every minimum, the first band."""
    higher = range(len(bands) - 1, 0, -1)
    if not higher:
        return "0", []
    whens = " ".join("WHEN points >= %s THEN %s" for _ in higher)
    return f"CASE {whens} ELSE 0 END", [p for i in higher for p in (bands[i]["min_points"], i)]


def allocation_whatif(*, authority: Authority, rule: AllocationRule) -> WhatIf:
    spec = rule.spec
    bands = sorted(spec["bands"], key=lambda b: b["min_points"])
    amounts = [_pence(b["annual_amount"]) for b in bands]

    a, s, c, f = (_name(model) for model in (Allocation, Assessment, Child, Family))
    points, points_params = _points_sql(spec, f"s.{_name(Assessment, 'answers')}")
    band, band_params = _band_sql(bands)
    amount_whens = " ".join("WHEN %s THEN %s" for _ in bands)
    amount_params = [p for i, pence in enumerate(amounts) for p in (i, pence)]
    family_id, reference = _name(Child, "family"), _name(Family, "reference")

    sql = f"""
        WITH banded AS MATERIALIZED (
            SELECT family_id, current_pence, {band} AS band
            FROM (
                SELECT c.{family_id} AS family_id,
                       CAST(ROUND(a.{_name(Allocation, "annual_amount")} * 100) AS BIGINT) AS current_pence,
                       {points} AS points
                FROM {a} a
                JOIN {s} s ON s.{_name(Assessment, "id")} = a.{_name(Allocation, "assessment")}
                JOIN {c} c ON c.{_name(Child, "id")} = a.{_name(Allocation, "child")}
                WHERE a.{_name(Allocation, "authority")} = %s AND a.{_name(Allocation, "status")} = %s
            ) scored
        )
        , per_family AS MATERIALIZED (
            SELECT family_id, COUNT(*) AS children, SUM(current_pence) AS current_pence,
                   SUM(CASE band {amount_whens} END) AS proposed_pence
            FROM banded GROUP BY family_id
        )
        SELECT 2, NULL, per_family.family_id, f.{reference}, per_family.children, NULL,
               per_family.current_pence, per_family.proposed_pence
        FROM per_family
        JOIN {f} f ON f.{_name(Family, "id")} = per_family.family_id
        WHERE per_family.current_pence <> per_family.proposed_pence
        UNION ALL
        SELECT 0, band, NULL, NULL, COUNT(*), COUNT(DISTINCT family_id), NULL, NULL
        FROM banded GROUP BY band
        UNION ALL
        SELECT 1, NULL, NULL, NULL, COALESCE(SUM(children), 0), COUNT(*), SUM(current_pence), NULL
        FROM per_family
    """
    params = [
        *band_params,
        *points_params,
        Allocation._meta.get_field("authority").get_db_prep_value(authority.pk, connection),
        Allocation.Status.ACTIVE.value,
        *amount_params,
    ]
    postgres = connection.vendor == "postgresql"
    # SET LOCAL needs a transaction; on SQLite one would only take the write lock (IMMEDIATE)
    # for a read, so there the statement runs as before.
    with transaction.atomic() if postgres else contextlib.nullcontext(), connection.cursor() as cursor:
        if postgres:
            # Room to group a county's families in memory rather than spill to disk.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    result = WhatIf(rule=rule)
    per_band = {}
    to_family_id = Family._meta.pk.to_python
    for kind, index, family, ref, children, families, current, proposed in rows:
        if kind == 0:
            per_band[int(index)] = (int(children), int(families))
        elif kind == 1:
            result.children, result.families = int(children), int(families)
            result.current_total = _money(current)
        else:
            result.changes.append(
                FamilyChange(to_family_id(family), ref, int(children), _money(current), _money(proposed))
            )
    result.proposed_total = _money(sum(per_band.get(i, (0, 0))[0] * pence for i, pence in enumerate(amounts)))
    result.children_per_band = [(b["name"], *per_band.get(i, (0, 0))) for i, b in enumerate(bands)]
    result.changes.sort(key=lambda change: (-abs(change.difference), change.reference))
    return result
