"""The footer's pages (privacy, accessibility, cookies, open data publication policy) in each
council's own words: the text to start from, reading a page, changing it, and showing its
Markdown as GOV.UK HTML."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from .audit import Audit, audit_record
from .models import Authority, SitePage

# Raw HTML in the text is shown as typed, never run; markdown-it also refuses javascript: links.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
}
_HEADINGS = {"h1": "govuk-heading-l", "h2": "govuk-heading-m", "h3": "govuk-heading-s"}


def starting_text(kind: str, authority: Authority) -> str:
    return render_to_string(
        f"core/site_pages/{kind}.md",
        {"authority": authority, "session_hours": settings.SESSION_COOKIE_AGE // 3600},
    ).strip()


def pages_for_new_authority(authority: Authority) -> None:
    """Called when an authority is made (and by the migration for those already made)."""
    for kind in SitePage.Kind.values:
        SitePage.objects.get_or_create(
            authority=authority, kind=kind, defaults={"body": starting_text(kind, authority)}
        )


def site_page(authority: Authority, kind: str) -> SitePage | None:
    return SitePage.objects.filter(authority=authority, kind=kind).first()


def as_html(body: str) -> SafeString:
    tokens = _MARKDOWN.parse(body)
    # Links sit inside a paragraph's inline token: style them too.
    for token in [t for block in tokens for t in (block, *(block.children or []))]:
        css = _HEADINGS.get(token.tag) if token.type == "heading_open" else _CLASSES.get(token.type)
        if css:
            token.attrSet("class", css)
    return mark_safe(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))  # escaped by markdown-it


@transaction.atomic(durable=True)
def site_page_update(*, authority: Authority, kind: str, body: str, updated_by) -> SitePage:
    page = SitePage.objects.select_for_update().get(authority=authority, kind=kind)
    if page.body == body:
        return page  # nothing changed: no audit row
    page.body, page.updated_by = body, updated_by
    page.save(update_fields=["body", "updated_by", "updated_at"])
    audit_record(
        authority=authority,
        actor=updated_by,
        action=Audit.SITE_PAGE_UPDATED,
        target=page,
        summary=f"{page.get_kind_display()} changed",
        details={"kind": kind},
    )
    return page
