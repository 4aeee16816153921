"""`{% load routes %}{% if opportunity.route|route_allows:"deadline" %}`: templates ask the route
table (procurement/routes.py) what a route allows instead of naming routes."""

from django import template

from ..routes import RouteRules, rules_for

register = template.Library()
FIELDS = {field.name for field in RouteRules.__dataclass_fields__.values()}


@register.filter
def route_allows(route: str, rule: str):
    if rule not in FIELDS:
        raise template.TemplateSyntaxError(f"No route rule called {rule!r}.")
    return getattr(rules_for(route), rule)
