"""Families' pages, and who can see them. Children's needs and health are special category
data: only their own family and the authority's officers may read them."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest

from shortbreaks.core.roles import Role
from shortbreaks.families.models import Allocation, AllocationRule
from shortbreaks.families.services.allocation import allocation_from_assessment, rule_draft_create

from .clock import TODAY
from .factories import HIGH, MIDDLE, booked, make_child, make_family, make_service, make_user, session_on, sign_in


@pytest.fixture
def families(authority, rule, officer, parent):
    own = make_family(authority, reference="F-OWN", carer_user=parent)
    other = make_family(authority, reference="F-OTHER")
    mine = make_child(own, "Sam", medical_needs="Epilepsy: buccal midazolam")
    theirs = make_child(other, "Zoe", medical_needs="Gastrostomy feeds")
    for child, answers in ((mine, MIDDLE), (theirs, HIGH)):
        allocation_from_assessment(child=child, answers=answers, assessed_on=dt.date(2026, 4, 1), assessor=officer)
    return {"mine": mine, "theirs": theirs}


def child_pages(child):
    return [
        f"/family/children/{child.pk}/allocation/",
        f"/family/children/{child.pk}/statement/",
        f"/family/children/{child.pk}/statement/?format=csv",
    ]


def test_parent_sees_their_child_and_how_the_allocation_was_worked_out(client, families, parent):
    sign_in(client, parent)
    home = client.get("/family/").content.decode()
    assert "Sam" in home and "Band 3" in home and "£2,200.00 a year" in home and "Zoe" not in home
    explained = client.get(child_pages(families["mine"])[0]).content.decode()
    assert "How we worked out Sam" in explained and "A lot of help with most tasks" in explained
    assert "<strong>350</strong>" in explained
    # The bands table: each band's points as a range, and money (never words) in the money column.
    bands = explained.split('id="bands"')[1].split("</table>")[0]
    rows = [re.sub(r"<[^>]+>", " ", row).split() for row in re.findall(r"<tr class=.*?</tr>", bands)][1:]
    assert [" ".join(r) for r in rows[:2]] == ["0 to 169 Targeted short breaks £0.00", "170 to 249 Band 1 £500.00"]
    assert (
        " ".join(rows[3]) == "340 to 429 Band 3 Sam £2,200.00" and " ".join(rows[-1]) == "520 or more Band 5 £4,500.00"
    )
    statement = client.get(child_pages(families["mine"])[2]).content.decode()
    assert "Band 3: allocation for" in statement and "2200.00" in statement


def test_the_statement_shows_each_change_and_the_balance_after_it(client, families, parent, officer):
    from django.db import transaction

    from shortbreaks.families.models import LedgerEntry
    from shortbreaks.families.services.budget import post_entry

    child = families["mine"]
    with transaction.atomic():
        post_entry(
            account=child.budget,
            kind=LedgerEntry.Kind.BOOKING_COMMITTED,
            amount=Decimal("30.00"),
            actor=parent,
            description="Holiday club, 3 August",
            reference="booking:1",
        )
    sign_in(client, parent)
    html = client.get(child_pages(child)[1]).content.decode()
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html.split('id="statement"')[1], re.S)
    newest, first = rows[1], rows[2]  # rows[0] is the header
    assert "-£30.00" in newest and "£2,170.00" in newest and "Set aside until the break happens" in newest
    assert "+£2,200.00" in first and "£2,200.00</span></td></tr>" in first.replace("\n", "") + "</tr>"
    csv = client.get(child_pages(child)[2]).content.decode()
    assert csv.splitlines()[0].endswith("Available after,Committed after,Spent after")
    assert csv.splitlines()[-1].split(",")[-3:] == ["2170.00", "30.00", "0.00"]


def test_the_statement_dates_a_booking_by_its_break_and_says_what_it_was_once(client, families, parent, organisation):
    from django.db import transaction

    from shortbreaks.families.models import LedgerEntry
    from shortbreaks.families.services.budget import post_entry

    child = families["mine"]
    session = session_on(make_service(organisation), dt.date(2027, 3, 6))
    booking = booked(session, child, status="confirmed")
    with transaction.atomic():
        post_entry(
            account=child.budget,
            kind=LedgerEntry.Kind.BOOKING_COMMITTED,
            amount=Decimal("1250.00"),
            actor=parent,
            description=f"Booking: {session}",
            reference=f"booking:{booking.pk}",
        )
    sign_in(client, parent)
    html = client.get(child_pages(child)[1]).content.decode()
    newest = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html.split('id="statement"')[1], re.S)[1]
    cells = [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td.*?</td>", newest, re.S)]
    assert " ".join(cells[0]) == f"6 March 2027 recorded {TODAY.day} {TODAY:%B %Y}"  # the break's day first
    assert " ".join(cells[1]).startswith("Booking made: Saturday Club, 6 March 2027")  # not "Booking: " again
    assert '<span class="app-nowrap">-£1,250.00</span>' in newest  # the sign stays with the money
    assert 'class="govuk-table app-table-stack"' in html and 'data-label="Left to spend"' in newest
    # The spreadsheet dates it the same way, by the break and by the day it was recorded.
    rows = list(csv.reader(io.StringIO(client.get(child_pages(child)[1] + "?format=csv").content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Break on", "Recorded on", "What happened", "What for"]
    assert rows[-1][:4] == ["2027-03-06", TODAY.isoformat(), "Booking made", "Saturday Club, 6 March 2027"]


def test_parent_cannot_see_another_family(client, families, parent):
    sign_in(client, parent)
    for path in child_pages(families["theirs"]):
        assert client.get(path).status_code == 404


def test_young_person_sees_only_their_own_record(client, authority, families):
    sibling = make_child(families["mine"].family, "Jay", born=dt.date(2009, 1, 1))
    young = make_user(authority, Role.YOUNG_PERSON)
    sibling.user = young
    sibling.save()
    sign_in(client, young)
    home = client.get("/family/").content.decode()
    assert "Jay" in home and "Sam" not in home
    assert client.get(child_pages(families["mine"])[0]).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.PROVIDER, Role.COMMISSIONER, Role.PROCUREMENT_OFFICER, Role.PANEL_MEMBER, Role.PERSONAL_ASSISTANT]
)
def test_no_other_role_reads_a_childs_record(client, authority, organisation, families, role):
    sign_in(client, make_user(authority, role, organisation=organisation if role == Role.PROVIDER else None))
    child = families["mine"]
    for path in child_pages(child) + ["/caseload/", f"/caseload/children/{child.pk}/", "/caseload/?q=Sam"]:
        assert client.get(path).status_code == 403, path


def test_officer_of_another_authority_sees_nothing(client, families, other_authority):
    sign_in(client, make_user(other_authority, Role.OFFICER))
    child = families["mine"]
    assert client.get(f"/caseload/children/{child.pk}/").status_code == 403
    assert client.get(f"/caseload/children/{child.pk}/", HTTP_HOST="kestrel.test").status_code == 404
    assert "No children match." in client.get("/caseload/?q=Sam", HTTP_HOST="kestrel.test").content.decode()


def test_officer_finds_a_child_and_records_an_assessment(client, families, officer):
    sign_in(client, officer)
    child = families["mine"]
    assert "Sam Shah" in client.get("/caseload/", {"q": "sam"}).content.decode()
    record = client.get(f"/caseload/children/{child.pk}/").content.decode()
    assert "Epilepsy: buccal midazolam" in record
    answers = {f"q_{code}": answer for code, answer in HIGH.items()}
    response = client.post(f"/caseload/children/{child.pk}/assess/", {**answers, "assessed_on": "2026-09-01"})
    assert response.status_code == 302
    assert Allocation.objects.get(child=child, status="active").band_code == "band_5"
    child.budget.refresh_from_db()
    assert child.budget.available == Decimal("4500.00")


def test_assessment_form_lists_what_is_missing(client, families, officer):
    sign_in(client, officer)
    response = client.post(f"/caseload/children/{families['mine'].pk}/assess/", {"assessed_on": "not a date"})
    html = response.content.decode()
    assert "There is a problem" in html and "Enter the date of the assessment as a date, like 1 September 2027" in html
    assert "Answer: How much help does the child need with personal care" in html


def test_officer_records_a_direct_payment_and_overspend_is_refused(client, families, officer):
    sign_in(client, officer)
    child = families["mine"]
    url = f"/caseload/children/{child.pk}/payments/"
    ok = client.post(url, {"kind": "direct_payment", "amount": "200.00", "description": "PA hours, April"})
    assert ok.status_code == 302
    too_much = client.post(url, {"kind": "direct_payment", "amount": "5000", "description": "Too much"})
    html = too_much.content.decode()
    assert too_much.status_code == 400 and "not enough left in Sam" in html and "govuk-error-summary" in html
    assert 'value="Too much"' in html  # what was typed is kept
    child.budget.refresh_from_db()
    assert child.budget.available == Decimal("2000.00") and child.budget.spent == Decimal("200.00")


def test_commissioner_drafts_a_rule_and_sees_the_whatif_without_childrens_records(client, families, commissioner, rule):
    sign_in(client, commissioner)
    response = client.post(f"/allocation-rules/{rule.pk}/", {"action": "copy"})
    draft = AllocationRule.objects.get(status="draft")
    assert response.url == f"/allocation-rules/{draft.pk}/"
    form = client.get(response.url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.update(name=draft.name, annual_budget="5000", band__band_3__annual_amount="2500.00")
    saved = client.post(f"/allocation-rules/{draft.pk}/", data)
    assert saved.status_code == 302 and saved.url.endswith("/what-if/")
    html = client.get(saved.url).content.decode()
    assert "£6,700.00 a year" in html and "£7,000.00 a year" in html and "Over budget" in html
    assert "F-OWN" in html and "Sam" not in html and "Epilepsy" not in html


def test_a_draft_with_bands_out_of_order_is_explained(client, families, commissioner, rule):
    draft = rule_draft_create(authority=rule.authority, based_on=rule, created_by=commissioner)
    sign_in(client, commissioner)
    form = client.get(f"/allocation-rules/{draft.pk}/").context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.update(name=draft.name, annual_budget="5000", band__band_2__min_points="900")
    html = client.post(f"/allocation-rules/{draft.pk}/", data).content.decode()
    assert "Bands must start at increasing numbers of points" in html
