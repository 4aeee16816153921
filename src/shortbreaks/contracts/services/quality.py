"""Quality visits: scored against the authority's standards (policy data), shared with the
provider as a draft to correct facts within 14 days, then finalised; a poor overall rating
(below "Approaching the standard", 2.5 of 4 unless the monitoring policy's bands say otherwise)
cannot be finalised without an action plan, which the provider works through."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shortbreaks.contracts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from ..models import ActionPlanItem, Contract, QualityVisit
from ..models.quality import SCORES
from ..selectors import policy_for

FACT_CHECK_DAYS = 14


def rating_of(overall: Decimal, policy) -> str:
    """The rating band of a weighted score, from the monitoring policy in force."""
    if overall >= policy.quality_good_from:
        return SCORES[4]
    if overall >= policy.quality_approaching_from:
        return SCORES[3]
    return SCORES[2] if overall >= policy.quality_requires_improvement_from else SCORES[1]


@transaction.atomic(durable=True)
def visit_record(*, contract: Contract, visited_on: dt.date, scores: dict, evidence: dict, visited_by) -> QualityVisit:
    """`scores` and `evidence` by standard name; every standard in the policy is scored."""
    policy = policy_for(contract.authority)
    standards = policy.quality_standards
    if visited_on > timezone.localdate():
        raise NotAllowed("The visit date cannot be in the future.")
    rows = []
    for name, weight in standards:
        score = scores.get(name)
        if score not in SCORES:
            raise NotAllowed(f"Score '{name}' from 1 (inadequate) to 4 (good).")
        rows.append(
            {"standard": name, "weight": weight, "score": score, "evidence": (evidence.get(name) or "").strip()}
        )
    total = sum(r["weight"] for r in rows)
    overall = (Decimal(sum(r["weight"] * r["score"] for r in rows)) / total).quantize(Decimal("0.01"))
    visit = QualityVisit.objects.create(
        authority=contract.authority,
        contract=contract,
        visited_on=visited_on,
        visited_by=visited_by,
        scores=rows,
        overall=overall,
        rating=rating_of(overall, policy),
        facts_due_on=timezone.localdate() + dt.timedelta(days=FACT_CHECK_DAYS),
    )
    audit_record(
        authority=contract.authority,
        actor=visited_by,
        action=Audit.CONTRACTS_VISIT,
        target=visit,
        summary=f"Quality visit to {contract.reference}: {visit.rating} ({overall} of 4), draft shared",
    )
    if contract.organisation.email:
        email_after_commit(
            to=[contract.organisation.email],
            subject=f"Quality visit report to check: {contract.reference}",
            body=f"The draft report of the visit on {visited_on:%-d %B %Y} is ready. You can correct any "
            f"facts until {visit.facts_due_on:%-d %B %Y}:\n"
            f"{absolute(contract.organisation.authority, 'contracts:provider-contract', contract.pk)}\n",
            why=f"{contract.authority.name} visited {contract.organisation.name} to check the quality of "
            f"contract {contract.reference}",
            authority=contract.organisation.authority,
        )
    return visit


@transaction.atomic(durable=True)
def visit_correct(*, visit: QualityVisit, corrections: str, corrected_by) -> QualityVisit:
    visit = QualityVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != QualityVisit.Status.DRAFT or timezone.localdate() > visit.facts_due_on:
        raise NotAllowed("The time to correct facts in this report has passed.")
    if not corrections.strip():
        raise NotAllowed("Say which facts are wrong and what is right.")
    visit.corrections, visit.corrected_at = corrections.strip(), timezone.now()
    visit.save(update_fields=["corrections", "corrected_at"])
    audit_record(
        authority=visit.authority,
        actor=corrected_by,
        action=Audit.CONTRACTS_VISIT_CORRECTED,
        target=visit,
        summary="The provider corrected facts in a quality visit report",
    )
    return visit


@transaction.atomic(durable=True)
def action_add(*, visit: QualityVisit, action: str, due_on: dt.date, added_by) -> ActionPlanItem:
    if not action.strip():
        raise NotAllowed("Describe the action.")
    if due_on < timezone.localdate():
        raise NotAllowed("The action's due date cannot be in the past.")
    item = ActionPlanItem.objects.create(authority=visit.authority, visit=visit, action=action.strip(), due_on=due_on)
    audit_record(
        authority=visit.authority,
        actor=added_by,
        action=Audit.CONTRACTS_ACTION_PLAN,
        target=visit,
        summary=f"Action added, due {due_on:%-d %B %Y}",
    )
    return item


@transaction.atomic(durable=True)
def visit_finalise(*, visit: QualityVisit, response: str, finalised_by) -> QualityVisit:
    visit = QualityVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != QualityVisit.Status.DRAFT:
        raise NotAllowed("This report is already final.")
    if not visit.corrected_at and timezone.localdate() <= visit.facts_due_on:
        raise NotAllowed(f"The provider has until {visit.facts_due_on:%-d %B %Y} to correct facts.")
    if visit.corrected_at and not response.strip():
        raise NotAllowed("Say how the provider's corrections were taken into account.")
    if visit.poor and not visit.actions.exists():
        raise NotAllowed("A poor rating needs an action plan: add at least one action first.")
    visit.status, visit.finalised_at, visit.council_response = (
        QualityVisit.Status.FINAL,
        timezone.now(),
        response.strip(),
    )
    visit.save(update_fields=["status", "finalised_at", "council_response"])
    audit_record(
        authority=visit.authority,
        actor=finalised_by,
        action=Audit.CONTRACTS_VISIT_FINAL,
        target=visit,
        summary=f"Quality visit report final: {visit.rating}",
    )
    return visit


@transaction.atomic(durable=True)
def action_done(*, item: ActionPlanItem, note: str, done_by) -> ActionPlanItem:
    item = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    if item.done_on:
        raise NotAllowed("This action is already done.")
    if not note.strip():
        raise NotAllowed("Say what was done.")
    item.done_on, item.provider_note = timezone.localdate(), note.strip()
    item.save(update_fields=["done_on", "provider_note"])
    audit_record(
        authority=item.authority,
        actor=done_by,
        action=Audit.CONTRACTS_ACTION_DONE,
        target=item.visit,
        summary=f"Action done: {item.action[:80]}",
    )
    return item
