"""The OCDS 1.1 release-package schema with the lots extension merged in (JSON Merge Patch, as
the extension mechanism specifies), resolved offline from the copies in tests/standards."""

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parent / "standards"
RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@lru_cache(maxsize=1)
def package_validator() -> Draft4Validator:
    release = json.loads((ROOT / "ocds-1.1" / "release-schema.json").read_text())
    release = merge_patch(release, json.loads((ROOT / "ocds-lots-extension" / "release-schema.json").read_text()))
    package = json.loads((ROOT / "ocds-1.1" / "release-package-schema.json").read_text())
    registry = Registry().with_resource(RELEASE_URL, Resource(contents=release, specification=DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())
