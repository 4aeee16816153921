"""The 360Giving Data Standard's package schema, with its grant schema resolved offline from a
copy in tests/standards (tests/standards/README.md says what each copy is and where it came from).

The release the output declares is 1.4.3 (JSON Schema 2020-12). No copy of the 1.4.3 tag could be
obtained, so what is there is `360giving-1.4-stored/`: the newest versions of the two schemas
that could be read from stored copies of ThreeSixtyGiving/standard (JSON Schema draft 4, 1.4-era,
not the 1.4.3 tag). If a real `360giving-1.4.3/` copy is ever added it is used instead, with the
2020-12 rules. Either way formats are checked."""

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft4Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

STANDARDS = Path(__file__).resolve().parent / "standards"
TAG = STANDARDS / "360giving-1.4.3"  # the 1.4.3 tag itself: JSON Schema 2020-12
STORED = STANDARDS / "360giving-1.4-stored"  # what could be read: 1.4-era, JSON Schema draft 4
PACKAGE_NAME = "360-giving-package-schema.json"
GRANT_NAME = "360-giving-schema.json"


def _complete(folder: Path) -> bool:
    return (folder / PACKAGE_NAME).exists() and (folder / GRANT_NAME).exists()


def folder() -> Path | None:
    """The copy the suite validates against: the 1.4.3 tag's if there is one, else the stored 1.4-era one."""
    for candidate in (TAG, STORED):
        if _complete(candidate):
            return candidate
    return None


def schema_copied() -> bool:
    return folder() is not None


@lru_cache(maxsize=1)
def package_validator() -> Draft4Validator | Draft202012Validator:
    chosen = folder()
    if chosen is None:
        raise FileNotFoundError(f"no 360Giving schema copy in {STANDARDS} (see its README.md)")
    package = json.loads((chosen / PACKAGE_NAME).read_text())
    grant = json.loads((chosen / GRANT_NAME).read_text())
    validator, specification = (Draft202012Validator, DRAFT202012) if chosen == TAG else (Draft4Validator, DRAFT4)
    # The package names the grant schema by its published address: give it the local copy.
    address = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resource(address, Resource(contents=grant, specification=specification))
    return validator(package, registry=registry, format_checker=validator.FORMAT_CHECKER)
