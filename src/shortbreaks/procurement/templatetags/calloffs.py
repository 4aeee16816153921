"""`{% load calloffs %}{% call_off_form framework as form %}`: the call-off form on a framework's
page and a joint arrangement's page, the one that came back with errors (the page's
`call_off_form`) or a new one, so the pages that include it need not build it."""

from django import template
from django.utils import timezone

from ..forms.calloffs import CallOffForm
from ..selectors.frameworks import call_off_blocked as blocked_because

register = template.Library()


@register.simple_tag(takes_context=True)
def call_off_form(context, framework):
    form = context.get("call_off_form")
    return form if form is not None else CallOffForm(framework=framework)


@register.simple_tag
def call_off_blocked(framework):
    """Why no call-off can be made yet ("" if one can): the standstill, or no members."""
    return blocked_because(framework, timezone.localdate())
