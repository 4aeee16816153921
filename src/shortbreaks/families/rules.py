"""Resource allocation rules as data: the shape of a rule (checked with JSON Schema, plus the
rules a schema cannot say) and how a rule turns an assessment's answers into points, a band
and an allocation, line by line."""

from dataclasses import dataclass
from decimal import Decimal

from jsonschema import Draft202012Validator

SPEC_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["questions", "bands"],
    "additionalProperties": False,
    "properties": {
        "questions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "text", "answers"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
                    "text": {"type": "string", "minLength": 1, "maxLength": 300},
                    "answers": {
                        "type": "array",
                        "minItems": 2,
                        "items": {
                            "type": "object",
                            "required": ["code", "text", "points"],
                            "additionalProperties": False,
                            "properties": {
                                "code": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
                                "text": {"type": "string", "minLength": 1, "maxLength": 300},
                                "points": {"type": "integer", "minimum": 0, "maximum": 1000},
                            },
                        },
                    },
                },
            },
        },
        "bands": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "min_points", "annual_amount", "annual_hours", "tier"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                    "min_points": {"type": "integer", "minimum": 0},
                    "annual_amount": {"type": "string", "pattern": r"^\d{1,7}(\.\d{2})?$"},
                    "annual_hours": {"type": "integer", "minimum": 0, "maximum": 5000},
                    "tier": {"enum": ["targeted", "specialist"]},
                },
            },
        },
    },
}
_validator = Draft202012Validator(SPEC_SCHEMA)


def spec_problems(spec) -> list[str]:
    """Everything wrong with a rule, in words a commissioner can act on; empty if none."""
    problems = []
    for error in sorted(_validator.iter_errors(spec), key=lambda e: list(e.path)):
        where = " > ".join(str(p) for p in error.path) or "the rule"
        problems.append(f"{where}: {error.message}")
    if problems:
        return problems
    codes = [q["code"] for q in spec["questions"]]
    if len(codes) != len(set(codes)):
        problems.append("Each question needs its own code")
    for question in spec["questions"]:
        answer_codes = [a["code"] for a in question["answers"]]
        if len(answer_codes) != len(set(answer_codes)):
            problems.append(f"Question '{question['text']}' has two answers with the same code")
    minimums = [b["min_points"] for b in spec["bands"]]
    if minimums[0] != 0:
        problems.append("The first band must start at 0 points, so every child falls in a band")
    if minimums != sorted(set(minimums)):
        problems.append("Bands must start at increasing numbers of points")
    return problems


@dataclass(frozen=True)
class Line:
    question: str
    answer: str
    points: int


@dataclass(frozen=True)
class Outcome:
    total_points: int
    band: dict
    lines: list[Line]

    @property
    def annual_amount(self) -> Decimal:
        return Decimal(self.band["annual_amount"])


def evaluate(spec: dict, answers: dict[str, str]) -> Outcome:
    """Points for each answered question, their total, and the highest band it reaches. An
    unanswered question, or an answer the rule does not know, scores nothing and says so."""
    lines = []
    for question in spec["questions"]:
        chosen = next((a for a in question["answers"] if a["code"] == answers.get(question["code"])), None)
        if chosen is None:
            lines.append(Line(question["text"], "Not answered", 0))
        else:
            lines.append(Line(question["text"], chosen["text"], chosen["points"]))
    total = sum(line.points for line in lines)
    return Outcome(total_points=total, band=band_for(spec, total), lines=lines)


def band_for(spec: dict, total: int) -> dict:
    reached = [band for band in spec["bands"] if band["min_points"] <= total]
    return reached[-1]


def band_rows(spec: dict) -> list[dict]:
    """Each band with the points that reach it in words ("0 to 199", "700 or more") and its
    money a year as a number: the table a family reads to see where their total falls."""
    bands = spec["bands"]
    rows = []
    for band, following in zip(bands, [*bands[1:], None], strict=True):
        points = (
            f"{band['min_points']} or more"
            if following is None
            else f"{band['min_points']} to {following['min_points'] - 1}"
        )
        rows.append({**band, "points": points, "amount": Decimal(band["annual_amount"])})
    return rows


def points_table(spec: dict) -> dict[str, dict[str, int]]:
    """question code -> answer code -> points: for scoring thousands of assessments quickly."""
    return {q["code"]: {a["code"]: a["points"] for a in q["answers"]} for q in spec["questions"]}
