"""Route rules as data (procurement/routes.py): one frozen row per route, consistent with itself,
and the only place that names a route's rules (services, selectors and views ask the table)."""

import dataclasses
import pathlib
import re

import pytest

from shortbreaks.procurement.models import Opportunity
from shortbreaks.procurement.ocds import METHOD
from shortbreaks.procurement.routes import COMPETITIVE, DIRECT, ROUTES, RouteRules, routes_where, rules_for

Route = Opportunity.Route
SRC = pathlib.Path(__file__).resolve().parent.parent / "src" / "shortbreaks" / "procurement"

# route: (lots, selection_stage, deadline, price, sealed, panels, standstill, members, call_offs, reopens)
EXPECTED = {
    Route.OPEN: (True, False, True, True, True, True, True, False, False, False),
    Route.TWO_STAGE: (True, True, True, True, True, True, True, False, False, False),
    Route.FRAMEWORK: (True, False, True, True, True, True, True, True, True, True),
    Route.DYNAMIC_LIST: (True, False, False, False, False, True, False, False, False, False),
    Route.BLOCK: (True, False, True, True, True, True, True, True, True, False),
    Route.GRANT: (True, False, True, True, True, True, False, False, False, False),
    Route.SPOT: (False, False, False, False, False, False, False, False, False, False),
    Route.IN_HOUSE: (False, False, False, False, False, False, False, False, False, False),
}
FIELDS = ("lots", "selection_stage", "deadline", "price", "sealed", "panels", "standstill", "members", "call_offs")


def test_every_route_has_one_row():
    assert set(ROUTES) == set(Route.values) == set(EXPECTED)


@pytest.mark.parametrize("route", list(EXPECTED))
def test_what_each_route_allows(route):
    rules = rules_for(route)
    assert tuple(getattr(rules, f) for f in (*FIELDS, "reopens")) == EXPECTED[route]


def test_the_table_cannot_be_changed():
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules_for(Route.OPEN).sealed = False
    with pytest.raises(TypeError):
        ROUTES[Route.OPEN] = ROUTES[Route.SPOT]


@pytest.mark.parametrize("route", list(EXPECTED))
def test_each_row_is_consistent(route):
    rules: RouteRules = rules_for(route)
    if rules.sealed:
        assert rules.deadline, "a sealed bid is opened after a deadline"
    if rules.selection_stage:
        assert rules.selection_questions and rules.deadline
    if rules.call_offs:
        assert rules.members, "call-offs are made from the members"
    if rules.reopens or rules.joint:
        assert rules.call_offs
    if not rules.advertised:
        assert not (rules.panels or rules.price or rules.standstill or rules.sealed or rules.call_offs)
        assert rules.ocds_method == "direct"
    if rules.decided_one_by_one:
        assert not rules.sealed and not rules.award_questions


def test_the_named_sets_and_the_open_data_come_from_the_table():
    assert DIRECT == {Route.SPOT, Route.IN_HOUSE} == routes_where(advertised=False)
    assert set(Route.values) - DIRECT == COMPETITIVE
    assert routes_where(sealed=False, advertised=True) == {Route.DYNAMIC_LIST}
    assert {route: rules.ocds_method for route, rules in ROUTES.items()} == METHOD
    assert METHOD[Route.TWO_STAGE] == "selective"


def test_no_module_names_a_route_to_decide_what_it_allows():
    """Creating an opportunity on a route (route=Opportunity.Route.X) is data; deciding by naming
    one is what the table is for."""
    named = re.compile(
        r"Route\.(OPEN|TWO_STAGE|FRAMEWORK|DYNAMIC_LIST|BLOCK|GRANT|SPOT|IN_HOUSE)\b|[\"'](dynamic_list|two_stage|in_house|spot)[\"']"
    )
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative == "routes.py" or relative.startswith(("models/", "migrations/")):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if named.search(line) and not re.search(r"\broute=Opportunity\.Route\.\w+", line):
                found.append(f"src/shortbreaks/procurement/{relative}:{number}: {line.strip()}")
    assert not found, "Ask procurement/routes.py instead:\n" + "\n".join(found)


def test_templates_ask_the_table_too():
    named = re.compile(r"\.route\s*(==|!=)|route\s+in\s")
    found = [
        f"{path.relative_to(SRC).as_posix()}:{number}"
        for path in sorted((SRC / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if named.search(line)
    ]
    assert not found, "Use {% load routes %} and route_allows: " + ", ".join(found)


def test_route_allows_refuses_a_rule_it_does_not_have():
    from django.template import TemplateSyntaxError

    from shortbreaks.procurement.templatetags.routes import route_allows

    assert route_allows("dynamic_list", "deadline") is False
    with pytest.raises(TemplateSyntaxError):
        route_allows("open", "no_such_rule")
