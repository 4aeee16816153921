"""Insight: the gap analysis against records counted by hand, its filters (kind of break, term
or holiday, age), the drill-down (family references, never names), and the commissioner's home
page; who may see them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from shortbreaks.assistants.models import Assistant
from shortbreaks.contracts.models import Contract, ContractReturn, Feedback, SafeguardingAlert
from shortbreaks.core.years import year_of
from shortbreaks.insight.selectors.gaps import Filters, gap_analysis
from shortbreaks.procurement.models import Opportunity
from shortbreaks.procurement.services import opportunity_publish

from .clock import TODAY
from .factories import build, make_assistant, sign_in

YEAR = year_of(TODAY)
START = dt.date(YEAR, 4, 1)


def test_the_gap_table_matches_the_records(authority, borough):
    analysis = gap_analysis(authority=authority, filters=Filters(year=YEAR))
    de22 = analysis.cell("autism", "DE22")
    assert (de22.children, de22.places, de22.booked, de22.waiting, de22.unmet) == (3, 6, 3, 1, 0)
    # 6 places, 3 booked: 3 spare could have taken the 1 waiting, so no shortfall for the year.
    assert de22.shortfall == 0 and de22.places_per_child == 2.0
    kim = analysis.cell("learning-disability", "DE1")
    assert (kim.children, kim.places) == (1, 0)
    assert analysis.areas == ["DE1", "DE22"]

    term = gap_analysis(authority=authority, filters=Filters(year=YEAR, period="term")).cell("autism", "DE22")
    assert (term.places, term.booked, term.waiting, term.shortfall) == (2, 2, 1, 1)
    holiday = gap_analysis(authority=authority, filters=Filters(year=YEAR, period="holiday")).cell("autism", "DE22")
    assert (holiday.places, holiday.booked, holiday.waiting) == (4, 1, 0)
    assert (
        gap_analysis(authority=authority, filters=Filters(year=YEAR, kind="overnight")).cell("autism", "DE22").places
        == 0
    )
    teenagers = gap_analysis(authority=authority, filters=Filters(year=YEAR, age="16-18")).cell("autism", "DE22")
    assert (teenagers.children, teenagers.waiting, teenagers.booked) == (1, 1, 0)
    assert gap_analysis(authority=authority, filters=Filters(year=YEAR - 1)).cell("autism", "DE22").places == 0


def test_drilling_down_shows_references_not_names(client, authority, borough, commissioner, officer, provider, parent):
    url = reverse("insight:gap-cell", args=["autism", "DE22"]) + "?period=term"
    for user in (officer, provider, parent):
        sign_in(client, user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("insight:gaps")).status_code == 403
    sign_in(client, commissioner)
    page = client.get(reverse("insight:gaps") + "?period=term").content.decode()
    assert 'href="/insight/gaps/autism/DE22/?period=term"' in page
    cell = client.get(url).content.decode()
    assert "F-NORTH" in cell and "Jo" not in cell and "Sam" not in cell and "Saturday Club" in cell
    assert client.get(reverse("insight:gap-cell", args=["nonsense", "DE22"])).status_code == 404


def test_the_home_page_brings_it_together(
    client, authority, borough, commissioner, organisation, officer, parent, clock
):
    """Each figure on the home page against records made here with known answers."""
    today = timezone.localdate()
    # Tenders: one closes in 10 days (shown), one in 40 (not yet).
    soon = opportunity_publish(
        opportunity=build(authority, commissioner, lots=1, reference="SB-SOON"), published_by=commissioner
    )
    later = opportunity_publish(
        opportunity=build(authority, commissioner, lots=1, reference="SB-LATER"), published_by=commissioner
    )
    Opportunity.objects.filter(pk=later.pk).update(submission_deadline=timezone.now() + dt.timedelta(days=40))

    def contract(reference, ends_in):
        return Contract.objects.create(
            authority=authority,
            reference=reference,
            title=reference,
            kind="spot",
            organisation=organisation,
            value=1000,
            starts_on=today - dt.timedelta(days=200),
            ends_on=today + dt.timedelta(days=ends_in),
            status="active",
        )

    ending, running = contract("C-ENDING", 60), contract("C-RUNNING", 200)
    for due_in, status in ((7, "due"), (30, "due"), (-3, "due"), (-20, "submitted"), (-40, "approved")):
        ContractReturn.objects.create(
            authority=authority,
            contract=running,
            status=status,
            due_on=today + dt.timedelta(days=due_in),
            period_start=today - dt.timedelta(days=60 - due_in),
            period_end=today - dt.timedelta(days=31 - due_in),
        )

    # Feedback: two in the last 90 days (one raising an alert still open), one older.
    def feedback(enjoyed, days_ago, **extra):
        clock.move_to(timezone.now() - dt.timedelta(days=days_ago))
        made = Feedback.objects.create(
            authority=authority,
            service=borough["club"],
            given_by=parent,
            enjoyed=enjoyed,
            had_fun=enjoyed == "great",
            **extra,
        )
        clock.move_to(timezone.now() + dt.timedelta(days=days_ago))
        return made

    feedback("great", 5)
    unsafe = feedback("not_good", 20, felt_safe="no")
    feedback("okay", 100)
    SafeguardingAlert.objects.create(authority=authority, feedback=unsafe, sent_to="officer@example.org")

    # Personal assistants: one whose DBS check runs out in 10 days, one in date.
    lapsing = make_assistant(authority, officer, email="lapsing@example.org")
    make_assistant(authority, officer, email="fine@example.org")
    Assistant.objects.filter(pk=lapsing.pk).update(dbs_renew_by=today + dt.timedelta(days=10))

    sign_in(client, commissioner)
    page = " ".join(client.get(reverse("insight:home")).content.decode().split())
    deadlines = page[page.index(">Deadlines<") : page.index('id="home-budget"')]
    assert soon.reference in deadlines and later.reference not in deadlines
    assert "Provider returns: 1 due in the next 14 days, 1 overdue, 1 waiting for your approval" in deadlines
    assert ending.reference in deadlines and running.reference not in deadlines
    assert "Personal assistants with checks or training running out soon: 1" in deadlines
    assert "1 safeguarding alert not yet handled" in deadlines
    assert "2 comments: 1 great, 0 okay, 1 not good." in page
    # Two active contracts: one has no return, the other an approved one with no KPIs to rate.
    ratings = page[page.index("Contract performance") : page.index("What families said")]
    assert "Not rated yet: 2" in ratings, ratings
    assert "No block contracts running." in page
    for heading in ("Budget, April", "Biggest gaps", "Contract performance", "What families said"):
        assert heading in page


def test_tables_export_as_csv_and_xlsx_and_grants_as_360giving(
    client, authority, borough, commissioner, parent, organisation
):
    import csv
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    from shortbreaks.contracts.models import Contract

    sign_in(client, parent)
    assert client.get(reverse("insight:export", args=["gaps", "csv"])).status_code == 403
    sign_in(client, commissioner)
    response = client.get(reverse("insight:export", args=["gaps", "csv"]) + "?period=term")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Need", "Area"] and ["Autism", "DE22", "3", "2", "2", "1", "0", "0.7", "1"] in rows
    book = load_workbook(io.BytesIO(client.get(reverse("insight:export", args=["gaps", "xlsx"])).content))
    assert book.active["A1"].value == "Need" and book.active.max_row == len(rows)
    assert client.get(reverse("insight:export", args=["nothing", "csv"])).status_code == 404
    Contract.objects.create(
        authority=authority,
        reference="=GR-1",
        title="=HYPERLINK(\"x\")",
        kind="grant",
        organisation=organisation,
        value=Decimal("5000"),
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=365),
        status="active",
        conditions="Holiday clubs",
    )
    contracts = client.get(reverse("insight:export", args=["contracts", "csv"])).content.decode("utf-8-sig")
    assert "'=GR-1" in contracts and "'=HYPERLINK" in contracts  # never run as a formula
    client.logout()
    grants = client.get(reverse("insight:360giving")).json()["grants"]
    assert grants[0]["amountAwarded"] == 5000.0 and grants[0]["currency"] == "GBP"
    assert grants[0]["recipientOrganization"][0]["name"] == organisation.name
    assert grants[0]["fundingOrganization"][0]["name"] == authority.name


def test_trends_costs_and_equality_of_access(client, authority, borough, commissioner):
    from decimal import Decimal

    from shortbreaks.insight.selectors import analysis

    start, end = START, dt.date(YEAR + 1, 3, 31)
    by_kind = {r["name"]: r for r in analysis.unit_costs(authority, start, end, "kind")}
    weekend = next(row for name, row in by_kind.items() if "eekend" in name)
    # Held bookings: Sam twice, Alex once (one cancelled): 3 places of 5 hours, paid £20 each.
    assert (weekend["places"], weekend["bookings"], weekend["hours"]) == (6, 3, 15)
    assert weekend["paid"] == Decimal("60.00") and weekend["per_hour"] == 4.0 and weekend["utilisation"] == 50
    equality = analysis.equality_of_access(authority, start, end)
    # Four children, two with a break (Sam, Alex): 50% overall; by need, autism 2 of 3.
    assert equality["overall"] == 50
    autism = next(r for r in equality["need"] if r["group"] == "Autism")
    assert (autism["total"], autism["used"], autism["rate"]) == (3, 2, 67)
    too_short = analysis.forecast([(START, 5)] * 6)
    assert too_short.next_year is None and "too little" in too_short.note
    steady = analysis.forecast([(START, 10 + (n % 2)) for n in range(24)])
    assert steady.low <= steady.next_year <= steady.high and 110 <= steady.next_year <= 140
    sign_in(client, commissioner)
    page = client.get(reverse("insight:analysis")).content.decode()
    assert "Equality of access" in page and "Cost per hour" in page
    # The unit is the project's place-hour (one child for one hour), on the page and in the file.
    assert "Place-hours</th>" in page and "hild-hours" not in page
    costs = client.get(reverse("insight:export", args=["costs-kind", "csv"])).content.decode("utf-8-sig")
    assert "Kind,Places,Booked,Utilisation %,Place-hours,Paid,Per hour" in costs.splitlines()
    rows = client.get(reverse("insight:export", args=["equality", "csv"])).content.decode("utf-8-sig").splitlines()
    assert "need,Autism,3,2,67" in rows
    for table in ("costs-kind", "costs-provider", "trends"):
        assert client.get(reverse("insight:export", args=[table, "xlsx"])).status_code == 200


def test_the_gap_table_is_paged(client, authority, borough, commissioner, monkeypatch):
    from shortbreaks.insight import views

    monkeypatch.setattr(views, "GAP_ROWS_PER_PAGE", 1)
    sign_in(client, commissioner)
    rows = gap_analysis(authority=authority, filters=Filters(year=YEAR)).rows
    first = client.get(reverse("insight:gaps"), {"year": YEAR}).content.decode()
    assert len(rows) > 1
    assert first.split('id="gaps"')[1].split("</table>")[0].count('class="govuk-table__row"') == 2  # head, one row
    assert 'class="govuk-pagination"' in first and f"?year={YEAR}&amp;page=2" in first
    last = client.get(reverse("insight:gaps"), {"year": YEAR, "page": len(rows)}).content.decode()
    assert last.split('id="gaps"')[1].split("</table>")[0].count('class="govuk-table__row"') == 2  # head, one row
