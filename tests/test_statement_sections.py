"""The market position statement in the council's own words: sections a commissioner writes
beside the live figures, frozen into each published version (web page and PDF), so a later
edit never changes an older version; and the publish form's review date, typed as people
write one."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.insight.models import Statement, StatementSection
from shortbreaks.insight.services import statement_publish, statement_section_add, statement_section_update

from .clock import TODAY
from .factories import make_user, sign_in
from .test_statements import pdf_text

NARRATIVE = reverse("insight:narrative")
CHANGE = reverse("insight:narrative-change")
REMOVE = reverse("insight:narrative-remove")
STATEMENTS = reverse("insight:statements")


def _section(authority, commissioner, heading="Our vision", body="Breaks close to home.", place="start"):
    return statement_section_add(authority=authority, heading=heading, body=body, place=place, added_by=commissioner)


def _error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def _headings(html: str) -> list[str]:
    return re.findall(r'<h2 class="govuk-heading-m">(.*?)</h2>', html)


def test_a_commissioner_adds_changes_and_removes_a_section(client, authority, commissioner):
    sign_in(client, commissioner)
    assert "There are no sections yet" in client.get(NARRATIVE).content.decode()

    response = client.post(
        NARRATIVE,
        {
            "heading": "  What we want from providers ",
            "body": "Overnight breaks.\r\n\r\nHoliday clubs.",
            "place": "supply",
        },
    )
    assert response.status_code == 302 and response.url == NARRATIVE
    section = StatementSection.objects.get()
    assert (section.authority, section.heading, section.place, section.position) == (
        authority,
        "What we want from providers",
        "supply",
        1,
    )
    assert section.body == "Overnight breaks.\n\nHoliday clubs."
    second = client.post(NARRATIVE, {"heading": "Our vision", "body": "Fun, close to home.", "place": "supply"})
    assert second.status_code == 302
    assert list(StatementSection.objects.order_by("position").values_list("heading", "position")) == [
        ("What we want from providers", 1),
        ("Our vision", 2),  # a new section goes last in its place
    ]
    page = client.get(NARRATIVE).content.decode()
    assert _headings(page) == ["What we want from providers", "Our vision", "Add a section"]
    assert 'value="What we want from providers"' in page  # each section in its own form, to change

    response = client.post(
        CHANGE,
        {
            "section": section.pk,
            "heading": "What we want",
            "body": "Overnight breaks.",
            "place": "supply",
            "position": "3",
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.heading, section.body, section.position) == ("What we want", "Overnight breaks.", 3)
    assert _headings(client.get(NARRATIVE).content.decode()) == ["Our vision", "What we want", "Add a section"]

    response = client.post(REMOVE, {"section": section.pk, "heading": "ignored", "body": "", "place": "supply"})
    assert response.status_code == 302
    assert list(StatementSection.objects.values_list("heading", flat=True)) == ["Our vision"]
    actions = list(AuditEvent.objects.order_by("created_at").values_list("action", "actor"))
    assert actions == [
        ("insight.statement_section_added", commissioner.pk),
        ("insight.statement_section_added", commissioner.pk),
        ("insight.statement_section_changed", commissioner.pk),
        ("insight.statement_section_removed", commissioner.pk),
    ]


def test_a_section_without_a_heading_comes_back_with_the_error_and_what_was_typed(client, authority, commissioner):
    sign_in(client, commissioner)
    response = client.post(
        NARRATIVE, {"heading": "   ", "body": "We want more <b>evening</b> clubs.", "place": "money"}
    )
    assert response.status_code == 400  # the page again, never a redirect
    html = response.content.decode()
    summary = _error_summary(html)
    assert "Enter the section&#x27;s heading" in summary and 'href="#id_heading"' in summary
    assert 'id="id_heading"' in html  # the link goes to the box
    assert "We want more &lt;b&gt;evening&lt;/b&gt; clubs." in html  # what was typed, escaped
    assert re.search(r'<option value="money" selected>', html)
    assert re.search(r"<title>Error: ", html)
    assert not StatementSection.objects.exists()

    # A section's own form keeps what was typed in its row; the others are as saved.
    section = _section(authority, commissioner)
    other = _section(authority, commissioner, heading="How we will work with you", body="A forum each term.")
    response = client.post(
        CHANGE, {"section": section.pk, "heading": "", "body": "Half-written new words", "place": "start"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#heading-{section.pk}"' in _error_summary(html) and f'id="heading-{section.pk}"' in html
    assert "Half-written new words" in html and "A forum each term." in html
    section.refresh_from_db(), other.refresh_from_db()
    assert section.heading == "Our vision" and section.body == "Breaks close to home."

    # A section that is not on the page (another council's, or no id at all) is a form error.
    for bad in ("x", str(section.pk + other.pk + 100)):
        response = client.post(CHANGE, {"section": bad, "heading": "H", "body": "B", "place": "start"})
        assert response.status_code == 400 and "Choose a section on this page" in _error_summary(
            response.content.decode()
        )
        response = client.post(REMOVE, {"section": bad})
        assert response.status_code == 400 and "Choose a section on this page" in response.content.decode()
    assert StatementSection.objects.count() == 2


def test_another_councils_section_cannot_be_changed(client, authority, other_authority, commissioner):
    elsewhere = make_user(other_authority, Role.COMMISSIONER, email="c@kestrel.example")
    theirs = StatementSection.objects.create(
        authority=other_authority, heading="Kestrel's vision", body="Theirs.", updated_by=elsewhere
    )
    sign_in(client, commissioner)
    response = client.post(CHANGE, {"section": theirs.pk, "heading": "Ours now", "body": "B", "place": "start"})
    assert response.status_code == 400
    assert client.post(REMOVE, {"section": theirs.pk}).status_code == 400
    assert "Kestrel" not in client.get(NARRATIVE).content.decode()
    theirs.refresh_from_db()
    assert theirs.heading == "Kestrel's vision"


def test_only_those_who_publish_statements_write_their_sections(client, authority, commissioner, officer, provider):
    section = _section(authority, commissioner)
    data = {"section": section.pk, "heading": "Changed", "body": "Changed", "place": "end"}
    for user, expected in ((None, 302), (officer, 403), (provider, 403)):
        client.logout()
        if user:
            sign_in(client, user)
        for url in (NARRATIVE, CHANGE, REMOVE):
            assert client.post(url, data).status_code == expected, url
        assert client.get(NARRATIVE).status_code == expected
    section.refresh_from_db()
    assert section.heading == "Our vision" and StatementSection.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="insight.statement_section").count() == 1  # the add only


VISION = "Every disabled child has breaks they enjoy.\n\nClose to home, with friends.<script>alert(1)</script>"


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_publishing_freezes_the_sections_into_the_version_page_and_pdf(
    client, authority, commissioner, django_capture_on_commit_callbacks
):
    vision = _section(authority, commissioner, body=VISION)
    _section(authority, commissioner, heading="How we will work with you", body="A forum each term.", place="end")
    sign_in(client, commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(STATEMENTS, {"kind": "market_position", "review_by": "1 September 2027"})
    first = Statement.objects.get()
    assert response.status_code == 302 and response.url == reverse("insight:statement", args=[first.pk])
    assert first.content["narrative"] == [
        {"place": "start", "heading": "Our vision", "body": VISION},
        {"place": "end", "heading": "How we will work with you", "body": "A forum each term."},
    ]

    client.logout()  # the published version is public
    page = client.get(reverse("insight:statement", args=[first.pk])).content.decode()
    assert '<p class="govuk-body">Every disabled child has breaks they enjoy.</p>' in page  # a paragraph each
    assert (
        "Close to home, with friends.&lt;script&gt;alert(1)&lt;/script&gt;</p>" in page and "<script>alert" not in page
    )
    # Beside the figures, where each was put: the vision before them, working together at the end.
    assert page.index("Our vision") < page.index("What families need") < page.index("What we intend to commission")
    assert page.index("What we intend to commission") < page.index("How we will work with you")
    first.refresh_from_db()
    text = pdf_text(first.pdf)
    assert "Our vision" in text and "Every disabled child has breaks they enjoy." in text
    assert "How we will work with you" in text and "A forum each term." in text

    # A later edit is the next version's: version 1 keeps its words, the preview shows the new.
    statement_section_update(
        section=vision, heading="Our ambition", body="New words.", place="start", updated_by=commissioner
    )
    old = client.get(reverse("insight:statement", args=[first.pk])).content.decode()
    assert "Our vision" in old and "Our ambition" not in old and "New words." not in old
    sign_in(client, commissioner)
    preview = client.get(reverse("insight:statement-preview", args=["market_position"])).content.decode()
    assert "Our ambition" in preview and "New words." in preview and "Our vision" not in preview
    second = statement_publish(
        authority=authority,
        kind="market_position",
        review_by=TODAY + dt.timedelta(days=200),
        summary_of_changes="New vision",
        published_by=commissioner,
    )
    assert [s["heading"] for s in second.content["narrative"]] == ["Our ambition", "How we will work with you"]
    first.refresh_from_db()
    assert first.content["narrative"][0]["heading"] == "Our vision"


def test_an_older_version_without_sections_still_shows(client, authority, commissioner):
    statement = statement_publish(
        authority=authority,
        kind="market_position",
        review_by=TODAY + dt.timedelta(days=30),
        summary_of_changes="",
        published_by=commissioner,
    )
    statement.content.pop("narrative")  # as versions published before sections were
    statement.save(update_fields=["content"])
    response = client.get(reverse("insight:statement", args=[statement.pk]))
    assert response.status_code == 200 and "What families need" in response.content.decode()


def test_the_review_date_is_typed_as_people_write_one(client, authority, commissioner):
    sign_in(client, commissioner)
    html = client.get(STATEMENTS).content.decode()
    assert 'type="date"' not in html
    assert "For example, 1 December 2027" in html  # a year from the suite's today, as the project says dates

    for typed, message in (
        ("soon", "Enter the review date as a date, like 1 September 2027"),
        ("31 February 2027", "Enter the review date as a date, like 1 September 2027"),
        ("", "Enter the review date"),
        ("1 September 2030", "Set a review date in the next two years."),
        (f"{TODAY.day} {TODAY:%B %Y}", "Set a review date in the next two years."),
    ):
        response = client.post(STATEMENTS, {"kind": "services", "review_by": typed, "summary": "Typed summary"})
        assert response.status_code == 400, typed
        html = response.content.decode()
        summary = _error_summary(html)
        assert message in summary and 'href="#id_review_by"' in summary, typed
        assert f'value="{typed}"' in html if typed else 'name="review_by"' in html
        assert 'value="Typed summary"' in html and re.search(r'<option value="services" selected>', html)
    assert not Statement.objects.exists()

    response = client.post(STATEMENTS, {"kind": "services", "review_by": "1 September 2027", "summary": "First"})
    statement = Statement.objects.get()
    assert response.url == reverse("insight:statement", args=[statement.pk])
    assert statement.review_by == dt.date(2027, 9, 1) and statement.summary_of_changes == "First"
    page = client.get(response.url).content.decode()
    assert "to be reviewed by 1 September 2027" in page


@pytest.mark.parametrize("kind", ["", "nonsense"])
def test_a_statement_kind_not_offered_is_a_form_error(client, authority, commissioner, kind):
    sign_in(client, commissioner)
    response = client.post(STATEMENTS, {"kind": kind, "review_by": "1 September 2027"})
    assert response.status_code == 400 and "Choose which statement to publish" in response.content.decode()
    assert not Statement.objects.exists()
