"""Statements from live data: the market position statement and the Short Breaks Services
Statement, as web pages and as PDFs made by the worker (read back here), with versions and a
review date; published ones are public, drafts are the commissioner's."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shortbreaks.core.errors import NotAllowed
from shortbreaks.insight.models import Statement
from shortbreaks.insight.services import statement_publish

from .clock import TODAY
from .factories import make_organisation, make_service, sign_in


def pdf_text(field) -> str:
    with field.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_both_statements_publish_as_pages_and_pdfs(
    client, authority, borough, commissioner, policy, rule, django_capture_on_commit_callbacks
):
    make_service(make_organisation(authority, name="Free Play"), name="Open Play", is_free=True, kinds=("community",))
    with pytest.raises(NotAllowed, match="review date in the next two years"):
        statement_publish(
            authority=authority, kind="services", review_by=TODAY, summary_of_changes="", published_by=commissioner
        )
    with django_capture_on_commit_callbacks(execute=True):
        mps = statement_publish(
            authority=authority,
            kind="market_position",
            review_by=TODAY + dt.timedelta(days=365),
            summary_of_changes="First",
            published_by=commissioner,
        )
        services = statement_publish(
            authority=authority,
            kind="services",
            review_by=TODAY + dt.timedelta(days=180),
            summary_of_changes="",
            published_by=commissioner,
        )
    mps.refresh_from_db(), services.refresh_from_db()
    text = pdf_text(mps.pdf)
    assert "Market position statement" in text and "Autism" in text and "What we intend to commission" in text
    assert "Version 1" in text
    text = pdf_text(services.pdf)
    assert "Short Breaks Services Statement" in text and "Services at weekends" in text
    assert "Targeted short breaks are for disabled children" in text  # the eligibility in force
    easy = pdf_text(services.easy_read_pdf)
    assert "Who can have more help?" in easy and "clubs and activities are free" in easy

    # Published: public pages, version history; the figures are frozen.
    page = client.get(reverse("insight:statement", args=[mps.pk])).content.decode()
    assert "Version 1" in page and "data:image/svg+xml;base64," in page and "Children by age" in page
    assert client.get(reverse("insight:statement-easy", args=[services.pk])).status_code == 200
    assert client.get(reverse("insight:statement-easy", args=[mps.pk])).status_code == 404
    response = client.get(reverse("insight:statement-pdf", args=[mps.pk]))
    assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content).startswith(b"%PDF")
    second = statement_publish(
        authority=authority,
        kind="market_position",
        review_by=TODAY + dt.timedelta(days=300),
        summary_of_changes="New gaps",
        published_by=commissioner,
    )
    assert second.version == 2
    listing = client.get(reverse("insight:published")).content.decode()
    assert "version 2" in listing and "New gaps" in listing
    assert client.get(reverse("insight:statement-pdf", args=[second.pk])).status_code == 404  # not rendered yet


def test_drafts_and_publishing_are_the_commissioners(client, authority, borough, commissioner, officer):
    # Nobody signed in is sent to sign in; an officer is refused.
    for user, expected in ((None, 302), (officer, 403)):
        client.logout()
        if user:
            sign_in(client, user)
        for url in (reverse("insight:statements"), reverse("insight:statement-preview", args=["services"])):
            response = client.get(url)
            assert response.status_code == expected, url
            if expected == 302:
                assert response.url.startswith(reverse("accounts:sign-in"))
    sign_in(client, commissioner)
    assert (
        "Preview from today"
        in client.get(reverse("insight:statement-preview", args=["market_position"])).content.decode()
    )
    response = client.post(reverse("insight:statements"), {"kind": "services", "review_by": "soon"}, follow=True)
    assert "Enter the review date as a date" in response.content.decode() and not Statement.objects.exists()
    response = client.post(
        reverse("insight:statements"), {"kind": "services", "review_by": (TODAY + dt.timedelta(days=90)).isoformat()}
    )
    assert response.url == reverse("insight:statement", args=[Statement.objects.get().pk])


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_the_pdf_is_tagged_with_its_language_and_bookmarks_and_readable_charts(
    authority, borough, commissioner, django_capture_on_commit_callbacks
):
    import base64
    import re
    from decimal import Decimal

    from shortbreaks.contracts.models import BudgetLine
    from shortbreaks.core.years import year_of

    year = year_of(TODAY)
    BudgetLine.objects.create(authority=authority, year=year, kind="procured", amount=Decimal("1250000"))
    BudgetLine.objects.create(authority=authority, year=year, kind="grants", amount=Decimal("3000"))
    with django_capture_on_commit_callbacks(execute=True):
        mps = statement_publish(
            authority=authority,
            kind="market_position",
            review_by=TODAY + dt.timedelta(days=365),
            summary_of_changes="",
            published_by=commissioner,
        )
    mps.refresh_from_db()
    with mps.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged
    assert b"pdfuaid:part" in root["/Metadata"].get_data()
    assert reader.metadata.title == "Market position statement"
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    sections = [item.title for item in reader.outline[1] if not isinstance(item, list)]
    assert top == ["Market position statement"]  # the h1, with the h2s under it
    assert sections[:2] == ["What families need", "What there is, and the gaps"] and "The money" in sections

    svg = base64.b64decode(mps.charts["budget"].split(",", 1)[1]).decode()
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "£1,250,000" in labels and "£3,000" in labels  # each bar says its figure
    assert not any(re.search(r"\de[+-]?\d", label) for label in labels)  # no "1e6" anywhere
    # The £3,000 bar is drawn (1% of the longest at least), not a hairline nobody sees.
    *budget_bars, _legend = [
        float(right) - float(left)
        for left, right in re.findall(r'd="M ([\d.]+) [\d.]+ \s*L ([\d.]+) [^"]*"[^>]*style="fill: #1d70b8"', svg)
    ]
    drawn = [width for width in budget_bars if width]  # a line with no budget has no bar
    assert len(drawn) == 2 and min(drawn) >= max(drawn) / 100 * 0.99
