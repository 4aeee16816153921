"""The correctness rules for locking and auditing, checked over the source itself."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

from shortbreaks.core.audit import Audit, audit_record
from shortbreaks.core.models import AuditEvent

SOURCE = Path(__file__).resolve().parent.parent / "src" / "shortbreaks"


def _chain(call: ast.Call) -> list[ast.Call]:
    """The method calls of one chain, outermost first: `a.b().c().d()` gives d, c, b."""
    calls = []
    node = call
    while True:
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute):
                calls.append(node)
                node = node.func.value
                continue
            return calls
        if isinstance(node, ast.Attribute):
            node = node.value
            continue
        return calls


def _locks_only_self(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "of" and isinstance(keyword.value, (ast.Tuple, ast.List)):
            names = [elt.value for elt in keyword.value.elts if isinstance(elt, ast.Constant)]
            return names == ["self"]
    return False


def _spreading_locks(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        chain = _chain(node)
        names = {call.func.attr for call in chain}
        if "select_for_update" not in names or "select_related" not in names:
            continue
        for call in chain:
            if call.func.attr == "select_for_update" and not _locks_only_self(call):
                lines.add(call.lineno)
    return lines


def test_a_lock_taken_with_select_related_is_limited_to_the_models_own_rows():
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        offenders += [f"{path.relative_to(SOURCE.parent)}:{line}" for line in sorted(_spreading_locks(tree))]
    assert not offenders, (
        'select_for_update chained with select_related must say of=("self",), or the lock spreads '
        "to the joined rows: " + ", ".join(offenders)
    )


def test_the_scan_sees_either_order_and_a_chain_over_several_lines():
    source = (
        "A.objects.select_for_update().select_related('b').get(pk=1)\n"
        "A.objects.select_related('b').filter(x=1).select_for_update().first()\n"
        "(A.objects.select_for_update(of=('self',))\n    .select_related('b')\n    .get(pk=1))\n"
        "A.objects.select_for_update().get(pk=1)\n"
    )
    assert _spreading_locks(ast.parse(source)) == {1, 2}


def test_an_audit_row_is_refused_outside_a_transaction(authority):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        audit_record(authority=authority, actor=None, action=Audit.SITE_PAGE_UPDATED, target=authority, summary="Noted")
    assert not AuditEvent.objects.filter(action=Audit.SITE_PAGE_UPDATED).exists()
    with transaction.atomic():
        audit_record(authority=authority, actor=None, action=Audit.SITE_PAGE_UPDATED, target=authority, summary="Noted")
    assert AuditEvent.objects.filter(action=Audit.SITE_PAGE_UPDATED).count() == 1
