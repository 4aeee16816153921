"""Clarifications: asked by a provider, published to everyone without the asker."""

from django.db import transaction
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.audit import Audit

from ..models import (
    Clarification,
    Opportunity,
)
from ..selectors.sealing import bidder_emails


@transaction.atomic(durable=True)
def clarification_ask(*, opportunity: Opportunity, organisation, question: str, asked_by) -> Clarification:
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.OPEN or (
        opportunity.clarification_deadline and timezone.now() >= opportunity.clarification_deadline
    ):
        raise NotAllowed("Clarification questions for this opportunity have closed.")
    if not question.strip():
        raise NotAllowed("Write your question.")
    clarification = Clarification.objects.create(
        authority=opportunity.authority, opportunity=opportunity, asked_by=organisation, question=question.strip()
    )
    audit_record(
        authority=opportunity.authority,
        actor=asked_by,
        action=Audit.PROCUREMENT_CLARIFICATION_ASKED,
        target=clarification,
        summary=f"Clarification asked on {opportunity.reference}",
    )
    return clarification


@transaction.atomic(durable=True)
def clarification_answer(*, clarification: Clarification, answer: str, answered_by) -> Clarification:
    """Published to everyone interested, without saying who asked."""
    if not answer.strip():
        raise NotAllowed("Write the answer.")
    clarification = (
        Clarification.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=clarification.pk)
    )
    clarification.answer, clarification.published_at = answer.strip(), timezone.now()
    clarification.save(update_fields=["answer", "published_at"])
    opportunity = clarification.opportunity
    emails = bidder_emails(opportunity) | set(opportunity.clarifications.values_list("asked_by__email", flat=True))
    email_after_commit(
        to=sorted(e for e in emails if e),
        subject=f"Clarification published: {opportunity.reference}",
        body=f"Q: {clarification.question}\n\nA: {clarification.answer}\n\n"
        f"Every published answer: {absolute(opportunity.authority, 'procurement:detail', opportunity.pk)}\n",
        why=f"your organisation is bidding for {opportunity.reference} or asked the council a question about it",
        authority=opportunity.authority,
    )
    audit_record(
        authority=opportunity.authority,
        actor=answered_by,
        action=Audit.PROCUREMENT_CLARIFICATION_PUBLISHED,
        target=clarification,
        summary=f"Clarification published on {opportunity.reference}",
    )
    return clarification
