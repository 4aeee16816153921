"""Validators for the Open Referral UK 3.0 schemas copied into tests/standards, resolved
offline (the schemas' $refs point at GitHub; we map them to the local copies)."""

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parent / "standards" / "oruk-3.0"
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


@lru_cache(maxsize=1)
def registry() -> Registry:
    resources = []
    for path in list((ROOT / "schema").glob("*.json")) + list((ROOT / "schema" / "compiled").glob("*.json")):
        relative = path.relative_to(ROOT / "schema").as_posix()
        contents = json.loads(path.read_text())
        contents.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        resource = Resource.from_contents(contents)
        resources += [
            (REMOTE + relative, resource),
            (relative, resource),
            (path.name if "compiled" not in relative else relative, resource),
        ]
    return Registry().with_resources(resources)


def validator(relative: str) -> Draft202012Validator:
    schema = json.loads((ROOT / "schema" / relative).read_text())
    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())


def assert_valid(instance, relative: str) -> None:
    errors = sorted(validator(relative).iter_errors(json.loads(json.dumps(instance))), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def page_keys() -> set[str]:
    openapi = json.loads((ROOT / "schema" / "openapi.json").read_text())
    return set(openapi["components"]["schemas"]["Page"]["properties"])
