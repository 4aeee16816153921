"""Publishing statements: the live figures (and the council's own sections of the market
position statement) frozen as a new version with its review date; the worker then makes the
PDFs (never the request). And writing those sections, before a statement is published."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed
from shortbreaks.insight.audit import Audit

from .models import Statement, StatementSection
from .presenting import charts_for
from .selectors.statements import market_position, services_statement

BUILDERS = {Statement.Kind.MARKET_POSITION: market_position, Statement.Kind.SERVICES: services_statement}


def review_date_problem(review_by: dt.date, *, today: dt.date) -> str:
    """What is wrong with a statement's review date, if anything: it must be in the next two years."""
    if not today < review_by <= today + relativedelta(years=2):
        return "Set a review date in the next two years."
    return ""


def statement_publish(
    *, authority, kind: str, review_by: dt.date, summary_of_changes: str, published_by, today: dt.date | None = None
) -> Statement:
    today = today or timezone.localdate()
    if kind not in BUILDERS:
        raise NotAllowed("Choose which statement to publish.")
    if problem := review_date_problem(review_by, today=today):
        raise NotAllowed(problem)
    content = BUILDERS[kind](authority=authority, today=today)
    charts = charts_for(kind, content)  # drawn once, outside the transaction
    try:
        with transaction.atomic(durable=True):
            latest = Statement.objects.filter(authority=authority, kind=kind).aggregate(v=Max("version"))["v"] or 0
            statement = Statement.objects.create(
                authority=authority,
                kind=kind,
                version=latest + 1,
                content=content,
                charts=charts,
                review_by=review_by,
                summary_of_changes=summary_of_changes.strip()[:500],
                published_by=published_by,
            )
            audit_record(
                authority=authority,
                actor=published_by,
                action=Audit.INSIGHT_STATEMENT_PUBLISHED,
                target=statement,
                summary=f"{statement} published, review by {review_by:%-d %B %Y}",
            )
            from .tasks import render_statement_pdfs

            transaction.on_commit(lambda: render_statement_pdfs.enqueue(statement_id=statement.pk))
    except IntegrityError:  # someone published the same version at the same moment
        raise NotAllowed("Another version was published just now: look at the list and try again.") from None
    return statement


HEADING_MAX = StatementSection._meta.get_field("heading").max_length
BODY_MAX = 6000


def _section_words(*, heading: str, body: str, place: str) -> tuple[str, str]:
    """The rule for a section's words, whoever writes them: a heading and some text, plain."""
    heading, body = " ".join(heading.split()), body.strip().replace("\r\n", "\n")
    if not heading:
        raise NotAllowed("Enter the section's heading")
    if len(heading) > HEADING_MAX:
        raise NotAllowed(f"Keep the heading to {HEADING_MAX} characters or fewer")
    if not body:
        raise NotAllowed("Enter the section's text")
    if len(body) > BODY_MAX:
        raise NotAllowed(f"Keep the text to {BODY_MAX:,} characters or fewer")
    if place not in StatementSection.Place.values:
        raise NotAllowed("Choose where the section goes")
    return heading, body


def _last_position(*, authority, place: str, leaving_out=None) -> int:
    sections = StatementSection.objects.filter(authority=authority, place=place)
    if leaving_out is not None:
        sections = sections.exclude(pk=leaving_out.pk)
    return sections.aggregate(p=Max("position"))["p"] or 0


@transaction.atomic(durable=True)
def statement_section_add(
    *, authority, heading: str, body: str, place: str, position: int | None = None, added_by
) -> StatementSection:
    """A new section of the market position statement; without a position it goes last in its place."""
    heading, body = _section_words(heading=heading, body=body, place=place)
    section = StatementSection.objects.create(
        authority=authority,
        heading=heading,
        body=body,
        place=place,
        position=position if position is not None else _last_position(authority=authority, place=place) + 1,
        updated_by=added_by,
    )
    audit_record(
        authority=authority,
        actor=added_by,
        action=Audit.INSIGHT_STATEMENT_SECTION_ADDED,
        target=section,
        summary=f"Market position statement section added: {heading}",
        details={"place": place, "position": section.position},
    )
    return section


@transaction.atomic(durable=True)
def statement_section_update(
    *, section: StatementSection, heading: str, body: str, place: str, position: int | None = None, updated_by
) -> StatementSection:
    """New words or a new place for a section. Published versions keep the words they had."""
    heading, body = _section_words(heading=heading, body=body, place=place)
    locked = StatementSection.objects.select_for_update().filter(pk=section.pk, authority=section.authority).first()
    if locked is None:
        raise ChangedMeanwhile("That section was removed meanwhile: look at the page again.")
    if position is None:
        position = (
            locked.position
            if place == locked.place
            else _last_position(authority=locked.authority, place=place, leaving_out=locked) + 1
        )
    changed = sorted(
        name
        for name, value in (("heading", heading), ("body", body), ("place", place), ("position", position))
        if getattr(locked, name) != value
    )
    if not changed:
        return locked  # nothing changed: no audit row
    locked.heading, locked.body, locked.place, locked.position = heading, body, place, position
    locked.updated_by = updated_by
    locked.save()
    audit_record(
        authority=locked.authority,
        actor=updated_by,
        action=Audit.INSIGHT_STATEMENT_SECTION_CHANGED,
        target=locked,
        summary=f"Market position statement section changed: {heading}",
        details={"changed": changed},
    )
    return locked


@transaction.atomic(durable=True)
def statement_section_remove(*, section: StatementSection, removed_by) -> None:
    """The section leaves the draft; published versions keep it."""
    locked = StatementSection.objects.select_for_update().filter(pk=section.pk, authority=section.authority).first()
    if locked is None:
        raise ChangedMeanwhile("That section was removed meanwhile: look at the page again.")
    audit_record(
        authority=locked.authority,
        actor=removed_by,
        action=Audit.INSIGHT_STATEMENT_SECTION_REMOVED,
        target=locked,
        summary=f"Market position statement section removed: {locked.heading}",
        details={"heading": locked.heading, "place": locked.place},
    )
    locked.delete()
