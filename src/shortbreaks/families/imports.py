"""Importing a caseload from the council's case management system (CSV or XLSX). Every row is
checked first; if any row is wrong, nothing is imported and each problem is reported with its
row, its column and why."""

import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from shortbreaks.core.audit import audit_record
from shortbreaks.core.form_fields import TypedDateField
from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import PostcodeError, locate
from shortbreaks.directory.models import Taxonomy, TaxonomyTerm
from shortbreaks.families.audit import Audit

from .models import Carer, Child, Family

COLUMNS = [
    "family_reference",
    "home_postcode",
    "carer_name",
    "carer_email",
    "child_first_name",
    "child_last_name",
    "date_of_birth",
    "needs",
    "has_ehc_plan",
    "school",
    "sex",
    "ethnicity",
    "communication_needs",
    "medical_needs",
]
REQUIRED = {"family_reference", "home_postcode", "carer_name", "child_first_name", "child_last_name", "date_of_birth"}
MAX_ROWS = 50_000
MAX_BYTES = 20_000_000  # a 50,000-row caseload is about 10 MB as CSV
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Problem:
    row: int  # as the person sees it in their spreadsheet: the header is row 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.reason}"


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems


def read_rows(name: str, content: bytes) -> list[dict]:
    """Rows as dicts of text, from CSV (UTF-8) or XLSX. Raises ImportRejected for a file that
    cannot be read or has the wrong columns."""
    if len(content) > MAX_BYTES:
        raise ImportRejected([Problem(1, "file", f"is larger than {MAX_BYTES // 1_000_000} MB: split it")])
    try:
        if name.lower().endswith(".xlsx"):
            # Streamed (read-only mode) and stopped one row past the cap: a huge sheet is refused
            # without being read whole.
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            values = [
                [
                    "" if v is None else (v.isoformat()[:10] if isinstance(v, dt.datetime | dt.date) else str(v))
                    for v in row
                ]
                for row in itertools.islice(sheet.iter_rows(values_only=True), MAX_ROWS + 2)
            ]
        elif name.lower().endswith(".csv"):
            values = list(itertools.islice(csv.reader(io.StringIO(content.decode("utf-8-sig"))), MAX_ROWS + 2))
        else:
            raise ImportRejected([Problem(1, "file", "must be a .csv or .xlsx file")])
        header, body = (values[0], values[1:]) if values else ([], [])
    except ImportRejected:
        raise
    except (UnicodeDecodeError, csv.Error):
        raise ImportRejected([Problem(1, "file", "could not be read as UTF-8 CSV")]) from None
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise ImportRejected([Problem(1, "file", "could not be read as an Excel .xlsx workbook")]) from None
    header = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected([Problem(1, c, "this column is missing from the header row") for c in missing])
    if len(body) > MAX_ROWS:
        raise ImportRejected([Problem(1, "file", f"has more than {MAX_ROWS} rows: split it")])
    rows = []
    for values in body:
        if not any(str(v).strip() for v in values):
            rows.append(None)  # blank lines keep their row numbers but are skipped
            continue
        padded = list(values) + [""] * (len(header) - len(values))
        rows.append({key: str(value).strip() for key, value in zip(header, padded, strict=False)})
    return rows


def _parse(row: dict, number: int, needs_by_key: dict, authority: Authority) -> tuple[dict, list[Problem]]:
    problems, clean = [], {}
    for column in REQUIRED:
        if not row.get(column):
            problems.append(Problem(number, column, "is empty"))
    if row.get("home_postcode"):
        try:
            clean["home_postcode"] = locate(row["home_postcode"]).postcode
        except PostcodeError as error:
            problems.append(Problem(number, "home_postcode", str(error)))
    if row.get("date_of_birth"):
        try:  # as a spreadsheet writes it: 2017-05-01, 01/05/2017 or 1 May 2017
            born = TypedDateField().clean(row["date_of_birth"])
            if not dt.date(1995, 1, 1) <= born <= timezone.localdate():
                problems.append(Problem(number, "date_of_birth", "must be a real date of birth, not in the future"))
            clean["date_of_birth"] = born
        except ValidationError:
            problems.append(
                Problem(
                    number, "date_of_birth", f"'{row['date_of_birth']}' is not a date like 1 May 2017 or 01/05/2017"
                )
            )
    needs = []
    for part in filter(None, (p.strip().lower() for p in row.get("needs", "").split(";"))):
        if part in needs_by_key:
            needs.append(needs_by_key[part])
        else:
            problems.append(Problem(number, "needs", f"'{part}' is not one of the needs we record"))
    clean["needs"] = needs
    ehcp = row.get("has_ehc_plan", "").lower()
    if ehcp not in YES | NO:
        problems.append(Problem(number, "has_ehc_plan", "must be yes or no"))
    clean["has_ehc_plan"] = ehcp in YES
    for column, choices in (("sex", Child.Sex), ("ethnicity", Child.Ethnicity)):
        value = row.get(column, "").lower() or "prefer_not_to_say"
        if value not in choices.values:
            problems.append(Problem(number, column, f"must be one of: {', '.join(choices.values)}"))
        clean[column] = value
    if row.get("carer_email") and "@" not in row["carer_email"]:
        problems.append(Problem(number, "carer_email", "is not an email address"))
    for column, limit in (
        ("family_reference", 20),
        ("child_first_name", 100),
        ("child_last_name", 100),
        ("school", 200),
    ):
        if len(row.get(column, "")) > limit:
            problems.append(Problem(number, column, f"is longer than {limit} characters"))
    return clean, problems


def import_caseload(*, authority: Authority, name: str, content: bytes, imported_by) -> dict:
    """Import or update families and children; all rows or none. Returns counts."""
    rows = read_rows(name, content)
    terms = TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.NEEDS)
    needs_by_key = {key.lower(): term for term in terms for key in (term.code, term.name)}
    parsed, problems = [], []
    for index, row in enumerate(rows, start=2):
        if row is None:
            continue
        clean, row_problems = _parse(row, index, needs_by_key, authority)
        problems += row_problems
        parsed.append((row, clean))
    if not parsed and not problems:
        problems.append(Problem(2, "file", "has no rows under the header"))
    if problems:
        raise ImportRejected(problems)

    counts = {"families_created": 0, "children_created": 0, "children_updated": 0}
    with transaction.atomic():
        for row, clean in parsed:
            family, created = Family.objects.get_or_create(
                authority=authority,
                reference=row["family_reference"],
                defaults={"home_postcode": clean["home_postcode"]},
            )
            if created:
                counts["families_created"] += 1
                Carer.objects.create(family=family, full_name=row["carer_name"], email=row.get("carer_email", ""))
            elif family.home_postcode != clean["home_postcode"]:
                family.home_postcode = clean["home_postcode"]
                family.save(update_fields=["home_postcode"])
            fields = {
                "has_ehc_plan": clean["has_ehc_plan"],
                "school": row.get("school", ""),
                "sex": clean["sex"],
                "ethnicity": clean["ethnicity"],
                "communication_needs": row.get("communication_needs", ""),
                "medical_needs": row.get("medical_needs", ""),
            }
            child, made = Child.objects.update_or_create(
                authority=authority,
                family=family,
                first_name=row["child_first_name"],
                last_name=row["child_last_name"],
                date_of_birth=clean["date_of_birth"],
                defaults=fields,
            )
            child.needs.set(clean["needs"])
            counts["children_created" if made else "children_updated"] += 1
        audit_record(
            authority=authority,
            actor=imported_by,
            action=Audit.CASELOAD_IMPORTED,
            target=authority,
            summary=f"Imported {name}: {counts['children_created']} new and "
            f"{counts['children_updated']} updated children",
            details=counts,
        )
    return counts
