"""Eligibility criteria as data, and checking an application against them. Each criterion has
plain-English text (what families read) and a check the platform can run on the record:

    age          params: min, max, max_with_ehc_plan (years, at the date of applying)
    lives_in     params: districts (postcode districts the council covers)
    has_need     the child has at least one need recorded
    declaration  the family confirms the statement in the text
"""

import datetime as dt

from jsonschema import Draft202012Validator

from shortbreaks.core.postcodes import PostcodeError, district_of

CRITERIA_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "text", "check"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
            "text": {"type": "string", "minLength": 1, "maxLength": 500},
            "check": {"enum": ["age", "lives_in", "has_need", "declaration"]},
            "params": {"type": "object"},
        },
    },
}
_validator = Draft202012Validator(CRITERIA_SCHEMA)

MET, NOT_MET = "met", "not_met"


def criteria_problems(criteria) -> list[str]:
    problems = [f"{' > '.join(map(str, e.path)) or 'criteria'}: {e.message}" for e in _validator.iter_errors(criteria)]
    if not problems:
        codes = [c["code"] for c in criteria]
        if len(codes) != len(set(codes)):
            problems.append("Each criterion needs its own code")
    return problems


def check_criteria(criteria: list[dict], *, child, family, declarations: dict, on: dt.date) -> list[dict]:
    """Each criterion with whether it is met, and why, for the officer and the family."""
    results = []
    for criterion in criteria:
        params = criterion.get("params", {})
        kind = criterion["check"]
        if kind == "age":
            age = child.age_on(on)
            oldest = (
                params.get("max_with_ehc_plan", params.get("max", 18)) if child.has_ehc_plan else params.get("max", 18)
            )
            met = params.get("min", 0) <= age <= oldest
            detail = f"Aged {age}" + (" with an EHC plan" if child.has_ehc_plan else "")
        elif kind == "lives_in":
            try:
                district = district_of(family.home_postcode)
            except PostcodeError:
                district = ""
            met = district in params.get("districts", [])
            detail = f"Home postcode {family.home_postcode}"
        elif kind == "has_need":
            names = [n.name for n in child.needs.all()]
            met = bool(names)
            detail = ", ".join(names) if names else "No needs recorded"
        else:
            met = bool(declarations.get(criterion["code"]))
            detail = "The family confirmed this" if met else "Not confirmed"
        results.append(
            {"code": criterion["code"], "text": criterion["text"], "outcome": MET if met else NOT_MET, "detail": detail}
        )
    return results


def all_met(checks: list[dict]) -> bool:
    return all(c["outcome"] == MET for c in checks)


def default_criteria(districts: list[str]) -> list[dict]:
    return [
        {
            "code": "age",
            "text": "Your child is aged 0 to 17, or up to 25 if they have an education, health and care plan.",
            "check": "age",
            "params": {"min": 0, "max": 17, "max_with_ehc_plan": 25},
        },
        {
            "code": "lives_here",
            "text": "You live in the council's area.",
            "check": "lives_in",
            "params": {"districts": districts},
        },
        {
            "code": "disability",
            "text": "Your child has a disability or a long-term health condition.",
            "check": "has_need",
        },
        {
            "code": "substantial",
            "check": "declaration",
            "text": "Your child's disability has a substantial and long-term effect on their everyday life, "
            "and they need more support than other children their age to join in activities.",
        },
    ]


def area_districts(criteria: list[dict] | None) -> list[str] | None:
    """The postcode districts a council serves, from its eligibility criteria ("lives_in"); None
    when its criteria set no area, so a family anywhere may tell it about a child."""
    for criterion in criteria or []:
        if criterion["check"] == "lives_in":
            return list(criterion.get("params", {}).get("districts", []))
    return None


def outside_area(*, authority, postcode: str, districts: list[str] | None) -> str:
    """What to tell a family whose home postcode is outside the council's area ("" when it is
    inside, or when the council sets no area)."""
    if districts is None:
        return ""
    try:
        district = district_of(postcode)
    except PostcodeError as error:
        return str(error)
    if district in districts:
        return ""
    shown = sorted(districts)
    served = ""
    if shown:
        listed = f"{', '.join(shown[:-1])} or {shown[-1]}" if len(shown) > 1 else shown[0]
        served = f" (postcodes starting {listed})"
    return (
        f"{authority.name} provides short breaks only for families who live in its area{served}, and "
        f"{postcode} is outside it. Check the postcode, or contact the council where you live"
    )
