"""Procurement's packages: each module imports the others at module level (there is no import
loop left to dodge with imports inside functions), each module imports on its own in a fresh
interpreter, and none grows past 400 lines."""

import ast
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src" / "shortbreaks" / "procurement"
MODULES = sorted(
    p
    for p in [*ROOT.glob("services/*.py"), *ROOT.glob("selectors/*.py"), *ROOT.glob("models/*.py"), ROOT / "scoring.py"]
)


def _name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_procurement_import_inside_a_function():
    found = []
    for path in MODULES:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (
                    inner.level or (inner.module or "").startswith("shortbreaks.procurement")
                ):
                    found.append(f"{path.relative_to(ROOT.parent.parent)}:{inner.lineno}")
    assert not found, "imports inside functions between procurement's modules: " + ", ".join(found)


def test_no_module_over_400_lines():
    long = [f"{p.relative_to(ROOT)} ({n})" for p in MODULES if (n := len(p.read_text().splitlines())) > 400]
    assert not long, long


@pytest.mark.parametrize(
    "module",
    [
        "shortbreaks.procurement.scoring",
        "shortbreaks.procurement.services.awards",
        "shortbreaks.procurement.services.frameworks",
        "shortbreaks.procurement.services.opportunities",
        "shortbreaks.procurement.services.drafting",
        "shortbreaks.procurement.services.evaluation",
        "shortbreaks.procurement.selectors.sealing",
    ],
)
def test_each_module_imports_on_its_own(module):
    code = f"import django; django.setup(); import {module}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
