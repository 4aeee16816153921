"""Panels: how a later app puts its part on an earlier app's page (the contracts summary on the
provider's home, reviews on a service's public page) without the earlier app importing it.

The later app registers a panel for a named slot in its `AppConfig.ready()`; the earlier app's
template asks for the slot with `{% load panels %}{% panels "slot" name=value %}`, and each
registered panel's context function is called with those values and rendered with its
template, in the order the apps are installed."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict]


_PANELS: dict[str, list[Panel]] = {}


def register_panel(slot: str, *, template: str, context: Callable[..., dict]) -> None:
    panels = _PANELS.setdefault(slot, [])
    if not any(p.template == template for p in panels):  # ready() may run twice in tests
        panels.append(Panel(template=template, context=context))


def panels_for(slot: str) -> list[Panel]:
    return list(_PANELS.get(slot, ()))
