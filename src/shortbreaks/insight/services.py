"""Publishing statements: the live figures frozen as a new version with its review date; the
worker then makes the PDFs (never the request)."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.insight.audit import Audit

from .models import Statement
from .presenting import charts_for
from .selectors.statements import market_position, services_statement

BUILDERS = {Statement.Kind.MARKET_POSITION: market_position, Statement.Kind.SERVICES: services_statement}


def statement_publish(
    *, authority, kind: str, review_by: dt.date, summary_of_changes: str, published_by, today: dt.date | None = None
) -> Statement:
    today = today or timezone.localdate()
    if kind not in BUILDERS:
        raise NotAllowed("Choose which statement to publish.")
    if not today < review_by <= today + relativedelta(years=2):
        raise NotAllowed("Set a review date in the next two years.")
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
