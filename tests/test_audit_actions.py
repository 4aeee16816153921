"""Audit action names are an enum per app: one name in one place, refused as a plain string."""

import importlib
import pathlib
import re

import pytest
from django.db import transaction

from shortbreaks.core.audit import AuditAction, audit_record

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "shortbreaks"
APPS = ["core", "accounts", "directory", "families", "bookings", "assistants", "procurement", "contracts", "insight"]


def _enums():
    for app in APPS:
        module = importlib.import_module(f"shortbreaks.{app}.audit")
        yield app, module.Audit


def test_a_plain_string_is_refused(authority):
    with transaction.atomic(), pytest.raises(TypeError, match="Audit enum"):
        audit_record(authority=authority, actor=None, action="booking.made", target=authority, summary="Made")


def test_every_app_names_its_actions_once_and_no_two_apps_share_one():
    seen: dict[str, str] = {}
    for app, enum in _enums():
        assert issubclass(enum, AuditAction)
        for member in enum:
            assert member.value not in seen, f"{member.value} is in both {seen.get(member.value)} and {app}"
            seen[member.value] = app
    assert len(seen) > 100


def test_every_call_names_its_action_from_an_enum():
    """A scan, so a path no test runs cannot slip a string through either."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        for call in re.finditer(r"audit_record\((.*?)\n\s*\)", text, re.S):
            action = re.search(r"\baction=([^,\n]+)", call.group(1))
            if action and not action.group(1).startswith("Audit"):
                offenders.append(f"{path.relative_to(SRC)}: action={action.group(1)}")
    assert offenders == []
