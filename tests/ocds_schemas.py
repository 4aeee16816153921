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


def lots_patch() -> dict:
    """The lots extension's schema. The local copy is a later one than the v1.1.5 the output
    declares (tests/standards/README.md): its Lot.submissionTerms refers to a definition only
    the submission terms extension adds, which no tool can resolve under OCDS 1.1 (ocdskit's
    merge and libcoveocds dereference the whole schema). The output never uses that field, so
    it is left out here."""
    patch = json.loads((ROOT / "ocds-lots-extension" / "release-schema.json").read_text())
    patch["definitions"]["Lot"]["properties"].pop("submissionTerms", None)
    return patch


def patched_release_schema() -> dict:
    """OCDS 1.1.5's release schema with the lots extension merged in."""
    release = json.loads((ROOT / "ocds-1.1" / "release-schema.json").read_text())
    return merge_patch(release, lots_patch())


@lru_cache(maxsize=1)
def package_validator() -> Draft4Validator:
    package = json.loads((ROOT / "ocds-1.1" / "release-package-schema.json").read_text())
    registry = Registry().with_resource(RELEASE_URL, Resource(contents=patched_release_schema(), specification=DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


@lru_cache(maxsize=1)
def record_package_validator() -> Draft4Validator:
    """Records (as `ocdskit compile --package` makes them) against the record-package schema."""
    package = json.loads((ROOT / "ocds-1.1" / "record-package-schema.json").read_text())
    registry = Registry().with_resource(RELEASE_URL, Resource(contents=patched_release_schema(), specification=DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())
