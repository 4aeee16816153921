"""The 360Giving Data Standard's package schema, with its grant schema resolved offline from the
copy in tests/standards/360giving-1.4.3/ (JSON Schema draft 4, with format checks), or None
while no copy is there (tests/standards/README.md says where one comes from)."""

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

FOLDER = Path(__file__).resolve().parent / "standards" / "360giving-1.4.3"
PACKAGE = FOLDER / "360-giving-package-schema.json"
GRANT = FOLDER / "360-giving-schema.json"


def schema_copied() -> bool:
    return PACKAGE.exists() and GRANT.exists()


@lru_cache(maxsize=1)
def package_validator() -> Draft4Validator:
    package = json.loads(PACKAGE.read_text())
    grant = json.loads(GRANT.read_text())
    # The package names the grant schema by its published address: give it the local copy.
    address = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resource(address, Resource(contents=grant, specification=DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())
