"""Issue 7's journeys: a commissioner opens the gap analysis and drills into a gap; publishes the
market position statement and the services statement, reads them as pages and downloads the
PDFs (their text read back here); writes the market position statement's own sections and
publishes them with the figures."""

import datetime as dt
import io
from pathlib import Path

from django.utils import timezone
from pypdf import PdfReader

from shortbreaks.bookings.models import Session, WaitingListEntry

from ..factories import PASSWORD, make_child
from .pages import assert_accessible, sign_in


def test_the_gap_analysis_and_both_statements(page, live_server, authority, borough, commissioner, policy, rule):
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/insight/")
    assert_accessible(page)
    page.get_by_role("link", name="Gap analysis").first.click()
    page.get_by_label("When").select_option("term")
    page.get_by_role("button", name="Show").click()
    assert_accessible(page)
    page.get_by_role("link", name="1 place short for Autism in DE22").click()
    assert "Autism in DE22" in page.locator("h1").inner_text()
    assert "F-NORTH" in page.content() and "Jo " not in page.content()
    assert_accessible(page)

    for kind, heading in (
        ("Market position statement", "What we intend to commission"),
        ("Short Breaks Services Statement", "The range of short breaks"),
    ):
        page.goto(f"{live_server.url}/insight/statements/")
        page.get_by_label("Statement", exact=True).select_option(label=kind)
        review = timezone.localdate() + dt.timedelta(days=365)
        page.get_by_label("Review by").fill(f"{review.day} {review:%B %Y}")  # typed, as people write a date
        page.get_by_role("button", name="Publish a new version").click()
        assert heading in page.content()
        page.reload()  # the worker has made the PDF by now (immediate in tests)
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download as a PDF").click()
        text = "\n".join(
            p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages
        )
        assert kind in text and heading in text
    page.get_by_role("link", name="Easy read version").click()
    assert "Who can have more help?" in page.content()
    assert_accessible(page)


def test_the_commissioner_writes_the_statements_own_words(page, live_server, authority, borough, commissioner):
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/insight/statements/")
    page.get_by_role("link", name="Write the market position statement's own sections").click()
    assert "There are no sections yet" in page.content()
    words = "Breaks close to home, with friends.\n\nAnd rest for every family."
    page.get_by_label("Text").fill(words)
    page.get_by_label("Where it goes in the statement").select_option(label="At the start, before the figures")
    page.get_by_role("button", name="Add the section").click()  # no heading yet
    summary = page.locator(".govuk-error-summary")
    assert "Enter the section's heading" in summary.inner_text()
    assert (
        page.get_by_label("Text").input_value() == "Breaks close to home, with friends.\n\nAnd rest for every family."
    )
    assert_accessible(page)
    summary.get_by_role("link", name="Enter the section's heading").click()
    page.get_by_label("Heading").fill("Our vision")
    page.get_by_role("button", name="Add the section").click()
    assert "‘Our vision’ is added" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Statements").first.click()
    page.get_by_label("Statement", exact=True).select_option(label="Market position statement")
    page.get_by_label("Review by").fill("next spring")
    page.get_by_role("button", name="Publish a new version").click()
    assert "Enter the review date as a date, like 1 September 2027" in page.locator(".govuk-error-summary").inner_text()
    review = timezone.localdate() + dt.timedelta(days=200)
    page.get_by_label("Review by").fill(f"{review.day} {review:%B %Y}")
    page.get_by_role("button", name="Publish a new version").click()
    assert page.locator("h2", has_text="Our vision").count() == 1
    assert page.get_by_text("And rest for every family.").is_visible()
    assert f"to be reviewed by {review.day} {review:%B %Y}" in page.content()
    page.reload()  # the PDF is made by now (immediate in tests)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a PDF").click()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert "Our vision" in text and "And rest for every family." in text


def test_the_gap_map_shades_its_darkest_cells(page, live_server, authority, borough, commissioner):
    """Shortfalls of 1-2, 3-10 and over 10 places are three shades of blue, the biggest the
    darkest with white numbers (the compiled CSS once dropped them all: every cell was white)."""
    full = Session.objects.get(authority=authority, places=2)  # in term, both places booked
    north = borough["jo"].family
    for n in range(14):
        child = make_child(north, f"Waiting{n}")
        WaitingListEntry.objects.create(authority=authority, session=full, child=child, status="waiting")
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/insight/gaps/")
    darkest = page.get_by_role("cell", name="places short for Autism in DE22")
    assert "app-heat__cell--3" in darkest.get_attribute("class")

    def style(locator, prop):
        return locator.evaluate(f"e => getComputedStyle(e).{prop}")

    assert style(darkest, "backgroundColor") == "rgb(22, 84, 138)"
    assert style(darkest.get_by_role("link"), "color") == "rgb(255, 255, 255)"
    page.get_by_label("When").select_option("term")
    page.get_by_role("button", name="Show").click()
    cell = page.get_by_role("cell", name="places short for Autism in DE22")
    assert "app-heat__cell--3" in cell.get_attribute("class")
    page.get_by_label("When").select_option("holiday")
    page.get_by_role("button", name="Show").click()
    assert style(page.locator(".app-heat__cell--0").first, "backgroundColor") == "rgba(0, 0, 0, 0)"
    assert_accessible(page)  # every shade keeps its numbers at 4.5:1 or more
