from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, **objects):
    """Every panel later apps registered for this slot, rendered with what the page passes."""
    request = context.get("request")
    return mark_safe(
        "".join(render_to_string(p.template, p.context(**objects), request=request) for p in panels_for(slot))
    )
