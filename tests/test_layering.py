"""The apps' order holds in the templates too (import-linter checks the Python, in scripts/test):
an app's templates load tag libraries and include or extend templates only from its own app,
an app below it, or the shared templates; later apps reach earlier pages through panels
(core/panels.py)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "shortbreaks"
ORDER = ["core", "accounts", "directory", "families", "bookings", "assistants", "procurement", "contracts", "insight"]
RANK = {app: n for n, app in enumerate(ORDER)} | {"assistants": ORDER.index("bookings")}
# Tag libraries and the app that defines each.
LIBRARIES = {path.stem: path.parents[1].name for path in ROOT.glob("*/templatetags/*.py") if path.stem != "__init__"}
SHARED = {"includes", "base.html", "govuk", "django", "admin", "registration"}


def later(app: str, other: str) -> bool:
    return other in RANK and RANK[other] > RANK[app]


@pytest.mark.parametrize("app", ORDER)
def test_templates_reach_only_downwards(app):
    problems = []
    for template in (ROOT / app / "templates").rglob("*.html"):
        text = template.read_text()
        for names in re.findall(r"{%\s*load\s+([\w ]+?)\s*%}", text):
            for library in names.split():
                owner = LIBRARIES.get(library)
                if owner and later(app, owner):
                    problems.append(f"{template.relative_to(ROOT)} loads {library} from {owner}")
        for target in re.findall(r"{%\s*(?:include|extends)\s+\"([^\"]+)\"", text):
            owner = target.split("/")[0]
            if owner not in SHARED and later(app, owner):
                problems.append(f"{template.relative_to(ROOT)} uses {target}")
    assert not problems, "\n".join(problems)


def test_the_check_sees_the_tag_libraries():
    assert {"govuk": "core", "panels": "core"}.items() <= LIBRARIES.items()
