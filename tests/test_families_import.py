"""Caseload imports: every bad row reported with its row, column and reason, and nothing
written unless every row is good. Fuzzed with Hypothesis."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from shortbreaks.families.imports import COLUMNS, ImportRejected, import_caseload
from shortbreaks.families.models import Child, Family

from .factories import sign_in

GOOD = {
    "family_reference": "CMS-1",
    "home_postcode": "DE22 1AB",
    "carer_name": "Priya Shah",
    "carer_email": "priya@example.org",
    "child_first_name": "Sam",
    "child_last_name": "Shah",
    "date_of_birth": "2017-05-01",
    "needs": "autism; Learning disability",
    "has_ehc_plan": "yes",
    "school": "Oakwood School",
    "sex": "male",
    "ethnicity": "asian",
    "communication_needs": "Makaton",
    "medical_needs": "",
}


def as_csv(rows, columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts():
    return Family.objects.count(), Child.objects.count()


def test_a_good_csv_creates_and_then_updates(authority, taxonomies):
    result = import_caseload(authority=authority, name="caseload.csv", content=as_csv([GOOD]), imported_by=None)
    assert result == {"families_created": 1, "children_created": 1, "children_updated": 0}
    child = Child.objects.get()
    assert child.has_ehc_plan and sorted(child.needs.values_list("code", flat=True)) == [
        "autism",
        "learning-disability",
    ]
    again = import_caseload(
        authority=authority, name="caseload.csv", content=as_csv([dict(GOOD, school="New School")]), imported_by=None
    )
    assert again["children_updated"] == 1 and Child.objects.get().school == "New School"


def test_xlsx_works_the_same(authority, taxonomies):
    import_caseload(
        authority=authority,
        name="caseload.xlsx",
        content=as_xlsx([GOOD, dict(GOOD, child_first_name="Ava")]),
        imported_by=None,
    )
    assert counts() == (1, 2)


def test_one_bad_row_stops_everything_and_every_problem_is_named(authority, taxonomies):
    rows = [
        GOOD,
        dict(GOOD, child_first_name="Ava", date_of_birth="31/02/2019", home_postcode="nowhere"),
        dict(GOOD, child_first_name="Jo", needs="autism; flying", has_ehc_plan="maybe"),
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_caseload(authority=authority, name="caseload.csv", content=as_csv(rows), imported_by=None)
    assert [str(p) for p in rejected.value.problems] == [
        "Row 3, home_postcode: Enter a real postcode, like DE1 3AB",
        "Row 3, date_of_birth: '31/02/2019' is not a date like 1 May 2017 or 01/05/2017",
        "Row 4, needs: 'flying' is not one of the needs we record",
        "Row 4, has_ehc_plan: must be yes or no",
    ]
    assert counts() == (0, 0)


def test_missing_columns_and_wrong_files_are_explained(authority, taxonomies):
    with pytest.raises(ImportRejected) as rejected:
        import_caseload(
            authority=authority, name="c.csv", content=as_csv([GOOD], columns=COLUMNS[:3]), imported_by=None
        )
    assert "Row 1, carer_email: this column is missing from the header row" in map(str, rejected.value.problems)
    with pytest.raises(ImportRejected, match="1 problem"):
        import_caseload(authority=authority, name="c.xlsx", content=b"not a workbook", imported_by=None)
    with pytest.raises(ImportRejected):
        import_caseload(authority=authority, name="c.pdf", content=b"%PDF", imported_by=None)


def test_officer_imports_through_the_page(client, authority, taxonomies, officer):
    sign_in(client, officer)
    bad = client.post("/caseload/import/", {"file": SimpleUploadedFile("c.csv", as_csv([dict(GOOD, sex="robot")]))})
    html = bad.content.decode()
    assert "Nothing was imported" in html and "must be one of: female, male, prefer_not_to_say" in html
    good = client.post("/caseload/import/", {"file": SimpleUploadedFile("c.csv", as_csv([GOOD]))})
    assert good.status_code == 302 and counts() == (1, 1)


# Spreadsheets cannot hold control characters, so the generated text leaves them out.
cell = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(["", "DE1 3AB", "2017-05-01", "yes", "autism", "male", "x"]),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.fixed_dictionaries(dict.fromkeys(COLUMNS, cell)), min_size=1, max_size=5),
    spoil=st.booleans(),
    xlsx=st.booleans(),
)
def test_any_file_is_imported_whole_or_refused_whole(authority, taxonomies, rows, spoil, xlsx):
    Child.objects.all().delete()
    Family.objects.all().delete()
    if not spoil:
        rows = [dict(GOOD, child_first_name=f"C{n}") for n in range(len(rows))]
    content = as_xlsx(rows) if xlsx else as_csv(rows)
    try:
        result = import_caseload(
            authority=authority, name="f.xlsx" if xlsx else "f.csv", content=content, imported_by=None
        )
    except ImportRejected as rejected:
        problems = rejected.problems
    else:
        problems = None
    if problems is not None:
        assert problems and all(p.row >= 1 and p.column and p.reason for p in problems)
        assert counts() == (0, 0)
    else:
        # Rows naming the same child update it rather than adding another.
        assert 1 <= Child.objects.count() == result["children_created"] <= len(rows)


def test_dates_of_birth_are_read_as_spreadsheets_write_them(authority, taxonomies):
    rows = [
        dict(GOOD, family_reference=f"F-{n}", child_first_name=name, date_of_birth=born)
        for n, (name, born) in enumerate((("Ava", "2017-05-01"), ("Ben", "01/05/2017"), ("Cal", "1 May 2017")))
    ]
    import_caseload(authority=authority, name="caseload.csv", content=as_csv(rows), imported_by=None)
    assert set(Child.objects.values_list("date_of_birth", flat=True)) == {dt.date(2017, 5, 1)}
