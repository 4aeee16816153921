"""The OCDS output checked as the Open Contracting Partnership's own tools check it, offline:
libcoveocds (the library behind the OCDS Data Review Tool) on the demo borough's export, and
`ocdskit compile` of it into records. Nothing is fetched: the standard's schemas and codelists
come from tests/standards/ocds-1.1 (as the ZIP of the standard libcoveocds would download), the
lots extension from tests/standards/ocds-lots-extension (served in place of its URL), and any
other request fails."""

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest
import responses
from django.core.management import call_command
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from ocdsextensionregistry.versioned_release_schema import get_versioned_release_schema

from .ocds_schemas import ROOT, lots_patch, patched_release_schema, record_package_validator

STANDARD = ROOT / "ocds-1.1"
LOTS = ROOT / "ocds-lots-extension"
LOTS_URL = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/"
# Where ocdsextensionregistry downloads a GitHub-hosted extension's files from, whole.
LOTS_ZIP_URL = "https://github.com/open-contracting-extensions/ocds_lots_extension/archive/v1.1.5.zip"
# The codelists the output uses: each must be there, or libcoveocds skips its check silently.
USED_CODELISTS = {
    "awardStatus.csv",
    "contractStatus.csv",
    "currency.csv",
    "initiationType.csv",
    "method.csv",
    "partyRole.csv",
    "procurementCategory.csv",
    "relatedProcess.csv",
    "relatedProcessScheme.csv",
    "releaseTag.csv",
    "tenderStatus.csv",
}


def standard_zip() -> bytes:
    """The standard at 1__1__5 as its repository's ZIP lays it out (schema/ and
    schema/codelists/), from the local copies. The versioned release schema, which lib-cove
    loads but release packages never use, is made from the release schema by the same library
    the standard builds it with."""
    release = json.loads((STANDARD / "release-schema.json").read_text())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard-1__1__5/", "")
        for name in ("release-schema.json", "release-package-schema.json", "record-package-schema.json"):
            archive.writestr(f"standard-1__1__5/schema/{name}", (STANDARD / name).read_text())
        archive.writestr(
            "standard-1__1__5/schema/versioned-release-validation-schema.json",
            json.dumps(get_versioned_release_schema(release, "1__1__5")),
        )
        for csv in sorted((STANDARD / "codelists").glob("*.csv")):
            archive.writestr(f"standard-1__1__5/schema/codelists/{csv.name}", csv.read_text())
    return buffer.getvalue()


def lots_release_schema() -> str:
    return json.dumps(lots_patch(), indent=2)  # without Lot.submissionTerms: see lots_patch


def extension_zip() -> bytes:
    """The lots extension as GitHub's archive of its tag lays it out, from the local copy."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ocds_lots_extension-1.1.5/", "")
        for path in sorted(LOTS.iterdir()):
            body = lots_release_schema() if path.name == "release-schema.json" else path.read_text()
            archive.writestr(f"ocds_lots_extension-1.1.5/{path.name}", body)
    return buffer.getvalue()


@pytest.fixture
def offline():
    """Only the lots extension answers (its files, and its archive); any other request fails."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(LOTS_URL + "extension.json", body=(LOTS / "extension.json").read_text())
        mock.get(LOTS_URL + "release-schema.json", body=lots_release_schema())
        mock.get(LOTS_ZIP_URL, body=extension_zip(), content_type="application/zip")
        yield mock


def when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def review(package: dict, folder) -> dict:
    """libcoveocds's report on a package (it writes the extended schema into `folder`)."""
    config = LibCoveOCDSConfig()
    config.config["context"] = "api"
    config.config["standard_zip"] = standard_zip()
    config.config["schema_codelists"] = {"1.1": "file://" + str(STANDARD / "codelists") + "/"}
    return ocds_json_output(str(folder), json_data=package, lib_cove_ocds_config=config, schema_version="1.1")


def test_the_local_codelists_are_ocds_1_1_5s():
    """The closed codelists hold exactly the codes 1.1.5's release schema allows."""
    import csv

    release = json.loads((STANDARD / "release-schema.json").read_text())
    definitions = release["definitions"]
    closed = {
        "releaseTag.csv": release["properties"]["tag"]["items"]["enum"],
        "initiationType.csv": release["properties"]["initiationType"]["enum"],
        "tenderStatus.csv": definitions["Tender"]["properties"]["status"]["enum"],
        "method.csv": definitions["Tender"]["properties"]["procurementMethod"]["enum"],
        "procurementCategory.csv": definitions["Tender"]["properties"]["mainProcurementCategory"]["enum"],
        "awardStatus.csv": definitions["Award"]["properties"]["status"]["enum"],
        "contractStatus.csv": definitions["Contract"]["properties"]["status"]["enum"],
        "currency.csv": definitions["Value"]["properties"]["currency"]["enum"],
    }
    for name, codes in closed.items():
        with (STANDARD / "codelists" / name).open(newline="") as f:
            assert {row["Code"] for row in csv.DictReader(f)} == set(codes) - {None}, name
    assert {path.name for path in (STANDARD / "codelists").glob("*.csv")} >= USED_CODELISTS


def test_the_review_reads_the_local_codelists(offline, tmp_path):
    """A code from no codelist is reported: the check above is not passing for want of lists."""
    release = {
        "ocid": "ocds-test-1",
        "id": "1",
        "date": "2026-12-01T10:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "parties": [{"id": "GB-SB-1", "name": "A", "roles": ["buyer", "sponsor"]}],
        "relatedProcesses": [{"id": "1", "relationship": ["sibling"], "scheme": "ocid", "identifier": "ocds-test-2"}],
    }
    package = {
        "uri": "https://example.org/",
        "version": "1.1",
        "publishedDate": "2026-12-01T10:00:00Z",
        "publisher": {"name": "A"},
        "releases": [release],
    }
    result = review(package, tmp_path)
    assert result["validation_errors"] == []
    assert set(result["additional_open_codelist_values"]) == {
        "releases/parties/roles",
        "releases/relatedProcesses/relationship",
    }
    assert [v["values"] for v in result["additional_open_codelist_values"].values()] == [["sponsor"], ["sibling"]]


@pytest.mark.django_db(transaction=True)
def test_the_demo_export_passes_the_data_review_tool_and_compiles_to_valid_records(taxonomies, offline, tmp_path):
    call_command("load_demo", "--children", "20", stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_ocds", "--authority", "dovebridge", stdout=out)
    package = json.loads(out.getvalue())
    tags = {tag for release in package["releases"] for tag in release["tag"]}
    assert tags == {"planning", "tender", "tenderAmendment", "award", "contract", "implementation"}

    result = review(package, tmp_path)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    assert result["additional_open_codelist_values"] == {}
    assert result["additional_fields"] == []
    assert result["extensions"]["invalid_extension"] == {}
    assert result.get("additional_checks", {}) == {}

    # The council publishes, on the OGL, under its own policy page.
    assert package["publisher"] == {"name": "Dovebridge Borough Council", "uri": "https://www.dovebridge.example"}
    assert package["license"] == "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert package["publicationPolicy"].endswith("/open-data/publication-policy/")
    # Organisations by their org-id identifiers: the council by its own, the supplier by its
    # PPON, with its charity and company numbers beside it.
    releases = package["releases"]
    assert {r["buyer"]["id"] for r in releases} == {"GB-LAE-DVB"}
    parties = {p["id"]: p for release in releases for p in release["parties"]}
    assert parties["GB-LAE-DVB"]["identifier"] == {
        "scheme": "GB-LAE",
        "id": "DVB",
        "legalName": "Dovebridge Borough Council",
    }
    supplier = next(p for p in parties.values() if "supplier" in p["roles"])
    assert supplier["id"] == "GB-PPON-PKFN-3916-GWRT" and supplier["identifier"]["scheme"] == "GB-PPON"
    assert [i["scheme"] for i in supplier["additionalIdentifiers"]] == ["GB-CHC", "GB-COH"]
    assert all(re.match(r"^GB-(PPON|CHC|SC|NIC|COH|SB|LAE)-", party_id) for party_id in parties)
    # A process's releases agree on every party's roles; a contract release names its supplier.
    for ocid in {r["ocid"] for r in releases}:
        roles = {(p["id"], tuple(p["roles"])) for r in releases if r["ocid"] == ocid for p in r["parties"]}
        assert len(roles) == len({party_id for party_id, _ in roles}), ocid
    for release in releases:
        ids = {p["id"] for p in release["parties"]}
        for contract in release.get("contracts", []):
            award = next(a for r in releases for a in r.get("awards", []) if a["id"] == contract["awardID"])
            assert {s["id"] for s in award["suppliers"]} <= ids
            if "dateSigned" in contract:
                assert when(contract["dateSigned"]) >= when(award["date"])
    # The changes after publication, each its own tenderAmendment release.
    amended = [r for r in releases if r["tag"] == ["tenderAmendment"]]
    assert [len(r["tender"]["amendments"]) for r in amended] == [1, 2]
    assert [a["description"] for a in amended[-1]["tender"]["amendments"]] == [
        "Q: Can one provider bid for both lots? A: Yes. Bid for each lot separately; each lot is evaluated on its own.",
        "Changed: submission deadline.",
    ]
    assert all({"id", "date", "rationale", "description"} <= set(a) for a in amended[-1]["tender"]["amendments"])

    # ocdskit compile: one record a process, each valid, the council still procuringEntity.
    # Its merge rules from the local schema, as --schema takes them, not from the standard's site.
    schema = tmp_path / "release-schema.json"
    schema.write_text(json.dumps(patched_release_schema()))
    compiled = subprocess.run(
        [
            *(sys.executable, "-m", "ocdskit", "compile", "--package", "--schema", str(schema)),
            *("--uri", package["uri"], "--published-date", package["publishedDate"]),
            *("--publisher-name", package["publisher"]["name"], "--publisher-uri", package["publisher"]["uri"]),
        ],
        input=json.dumps(package),
        # A separate process, out of responses' reach: any request it tried would go to a proxy
        # that is not there, and fail.
        env=os.environ | {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    records = json.loads(compiled.stdout)
    record_package_validator().validate(records)
    assert {r["ocid"] for r in records["records"]} == {r["ocid"] for r in package["releases"]}
    for record in records["records"]:
        release = record["compiledRelease"]
        buyer = next(p for p in release["parties"] if p["id"] == release["buyer"]["id"])
        if "procuringEntity" in release.get("tender", {}):
            assert "procuringEntity" in buyer["roles"], record["ocid"]
