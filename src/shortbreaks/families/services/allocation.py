"""Allocation rules (drafts, publishing) and turning an assessment into an allocation."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed, ServiceError
from shortbreaks.core.models import Authority
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.families.audit import Audit

from ..models import Allocation, AllocationRule, Assessment, Child, LedgerEntry
from ..rules import evaluate, spec_problems
from .budget import account_for, post_entry


class InvalidRule(ServiceError):
    def __init__(self, problems: list[str]):
        super().__init__("The rule cannot be saved: " + "; ".join(problems))
        self.problems = problems


def rule_in_force(authority: Authority) -> AllocationRule | None:
    return AllocationRule.objects.filter(authority=authority, status=AllocationRule.Status.PUBLISHED).first()


@transaction.atomic(durable=True)
def rule_draft_create(
    *,
    authority: Authority,
    created_by,
    based_on: AllocationRule | None = None,
    name: str = "",
    spec: dict | None = None,
    annual_budget: Decimal | None = None,
) -> AllocationRule:
    """A new draft: a copy of a version (normally the one in force) or a rule given whole."""
    spec = spec if spec is not None else (based_on.spec if based_on else None)
    if spec is None:
        raise NotAllowed("Start from an existing rule or give a whole rule.")
    problems = spec_problems(spec)
    if problems:
        raise InvalidRule(problems)
    version = (AllocationRule.objects.filter(authority=authority).aggregate(v=Max("version"))["v"] or 0) + 1
    rule = AllocationRule.objects.create(
        authority=authority,
        version=version,
        name=name or (based_on.name if based_on else "Allocation rule"),
        spec=spec,
        annual_budget=annual_budget if annual_budget is not None else based_on.annual_budget,
        family_contributions_allowed=based_on.family_contributions_allowed if based_on else False,
        based_on=based_on,
        created_by=created_by,
    )
    audit_record(
        authority=authority,
        actor=created_by,
        action=Audit.RULE_DRAFTED,
        target=rule,
        summary=f"Drafted version {version} of the allocation rule",
    )
    return rule


@transaction.atomic(durable=True)
def rule_draft_update(
    *,
    rule: AllocationRule,
    spec: dict,
    annual_budget: Decimal,
    name: str,
    updated_by,
    family_contributions_allowed: bool | None = None,
) -> AllocationRule:
    rule = AllocationRule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != AllocationRule.Status.DRAFT:
        raise ChangedMeanwhile(
            "Only a draft can be changed; this version is already " + rule.get_status_display().lower() + "."
        )
    problems = spec_problems(spec)
    if problems:
        raise InvalidRule(problems)
    rule.spec, rule.annual_budget, rule.name = spec, annual_budget, name
    if family_contributions_allowed is not None:
        rule.family_contributions_allowed = family_contributions_allowed
    rule.save(update_fields=["spec", "annual_budget", "name", "family_contributions_allowed"])
    audit_record(
        authority=rule.authority,
        actor=updated_by,
        action=Audit.RULE_UPDATED,
        target=rule,
        summary=f"Changed draft version {rule.version}",
    )
    return rule


@transaction.atomic(durable=True)
def rule_publish(*, rule: AllocationRule, published_by) -> AllocationRule:
    """Put a draft in force. Allocations already made stand until each child is reassessed."""
    rule = AllocationRule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != AllocationRule.Status.DRAFT:
        raise ChangedMeanwhile("This version has already been published or retired.")
    AllocationRule.objects.filter(authority=rule.authority, status=AllocationRule.Status.PUBLISHED).update(
        status=AllocationRule.Status.RETIRED
    )
    rule.status = AllocationRule.Status.PUBLISHED
    rule.published_by, rule.published_at = published_by, timezone.now()
    rule.save(update_fields=["status", "published_by", "published_at"])
    audit_record(
        authority=rule.authority,
        actor=published_by,
        action=Audit.RULE_PUBLISHED,
        target=rule,
        summary=f"Put version {rule.version} of the allocation rule in force",
    )
    return rule


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + dt.timedelta(days=365)


@transaction.atomic(durable=True)
def allocation_from_assessment(
    *, child: Child, answers: dict[str, str], assessed_on: dt.date, assessor, notes: str = ""
) -> Allocation:
    """Record an assessment under the rule in force and grant the allocation it gives. A
    reassessment replaces the current allocation and moves the budget by the difference."""
    rule = rule_in_force(child.authority)
    if rule is None:
        raise NotAllowed("No allocation rule is in force yet: a commissioner must publish one first.")
    missing = [
        q["text"] for q in rule.spec["questions"] if answers.get(q["code"]) not in {a["code"] for a in q["answers"]}
    ]
    if missing:
        raise NotAllowed("Answer every question: " + "; ".join(missing))
    child = Child.objects.select_for_update().get(pk=child.pk)
    assessment = Assessment.objects.create(
        authority=child.authority,
        child=child,
        rule=rule,
        answers=answers,
        assessed_on=assessed_on,
        assessor=assessor,
        notes=notes,
    )
    outcome = evaluate(rule.spec, answers)
    previous = child.allocations.filter(status=Allocation.Status.ACTIVE).first()
    if previous:
        previous.status = Allocation.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    allocation = Allocation.objects.create(
        authority=child.authority,
        child=child,
        assessment=assessment,
        rule=rule,
        total_points=outcome.total_points,
        band_code=outcome.band["code"],
        band_name=outcome.band["name"],
        tier=outcome.band["tier"],
        annual_amount=outcome.annual_amount,
        annual_hours=outcome.band["annual_hours"],
        period_start=assessed_on,
        period_end=_a_year_after(assessed_on),
        explanation=[
            {"question": line.question, "answer": line.answer, "points": line.points} for line in outcome.lines
        ],
        granted_by=assessor,
    )
    account = account_for(child)
    difference = allocation.annual_amount - (previous.annual_amount if previous else Decimal("0"))
    if difference > 0:
        post_entry(
            account=account,
            kind=LedgerEntry.Kind.ALLOCATION_GRANTED,
            amount=difference,
            actor=assessor,
            description=f"{allocation.band_name}: allocation for {allocation.period_start:%-d %B %Y} "
            f"to {allocation.period_end:%-d %B %Y}",
            reference=f"allocation:{allocation.pk}",
        )
    elif difference < 0:
        account.refresh_from_db()
        recoverable = min(-difference, account.available)
        if recoverable > 0:
            post_entry(
                account=account,
                kind=LedgerEntry.Kind.CLAWBACK,
                amount=recoverable,
                actor=assessor,
                description=f"Allocation reduced to {allocation.band_name}",
                reference=f"allocation:{allocation.pk}",
            )
    audit_record(
        authority=child.authority,
        actor=assessor,
        action=Audit.ALLOCATION_GRANTED,
        target=child,
        summary=f"{allocation.band_name} (£{allocation.annual_amount:,.2f}, {allocation.total_points} points)",
        details={
            "allocation": str(allocation.pk),
            "assessment": str(assessment.pk),
            "rule_version": rule.version,
            "replaces": str(previous.pk) if previous else None,
        },
    )
    email_after_commit(
        to=child.family.contact_emails(),
        subject=f"{child.first_name}'s short breaks budget",
        body=f"After {child.first_name}'s assessment on {assessed_on:%-d %B %Y}, {child.first_name} has "
        f"{allocation.band_name}: £{allocation.annual_amount:,.2f} for short breaks from "
        f"{allocation.period_start:%-d %B %Y} to {allocation.period_end:%-d %B %Y}.\n\n"
        f"How we worked it out: {absolute(child.authority, 'families:allocation', child.pk)}\n"
        f"What is left to spend: {absolute(child.authority, 'families:statement', child.pk)}\n",
        why=f"{child.authority.name} assessed {child.first_name} for short breaks",
        authority=child.authority,
    )
    return allocation
