"""Building, announcing and publishing an opportunity: its details, the checks before publication
and the policy's threshold warnings (lots, questions and panels' shares are drafting.py's)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.procurement.audit import Audit

from ..models import (
    Opportunity,
    Question,
)
from ..routes import rules_for
from ..selectors.policies import policy_for
from .frameworks import reopening_due
from .submissions import _tell_submitters, when


def threshold_warnings(opportunity: Opportunity) -> list[str]:
    """What the value means under the authority's own rules and the light-touch regime."""
    policy = policy_for(opportunity.authority)
    value = opportunity.estimated_value
    warnings = []
    if value >= policy.light_touch_threshold:
        warnings.append(
            f"The estimated value, £{value:,.0f}, is at or above the light-touch threshold "
            f"(£{policy.light_touch_threshold:,.0f} including VAT): the Procurement Act 2023's notices "
            "and rules for light-touch contracts apply."
        )
    if value >= policy.tender_threshold and not rules_for(opportunity.route).advertised:
        warnings.append(
            f"The estimated value, £{value:,.0f}, is above the council's tender threshold "
            f"(£{policy.tender_threshold:,.0f}): a {opportunity.get_route_display().lower()} needs a "
            "recorded exemption."
        )
    term, reopens = opportunity.term_months or 0, opportunity.reopens_every_months
    rules = rules_for(opportunity.route)
    if rules.max_term_months and term > rules.max_term_months and not reopens:
        warnings.append("A framework may last four years at most, unless it is an open framework that re-opens.")
    if rules.reopens and reopens:
        if reopens > 36:
            warnings.append("An open framework must re-open within its first three years.")
        if term > 96:
            warnings.append("An open framework may last eight years at most.")
        due = reopening_due(opportunity, timezone.localdate())
        if due and due <= timezone.localdate() + dt.timedelta(days=90):
            warnings.append(f"The framework is due to re-open to new providers by {due:%-d %B %Y}.")
    return warnings


@transaction.atomic(durable=True)
def opportunity_create(
    *, authority, created_by, reference: str, title: str, description: str, route: str, **details
) -> Opportunity:
    if Opportunity.objects.filter(authority=authority, reference=reference).exists():
        raise NotAllowed(f"Reference {reference} is already used: choose another.")
    opportunity = Opportunity.objects.create(
        authority=authority,
        created_by=created_by,
        reference=reference,
        title=title,
        description=description,
        route=route,
        **details,
    )
    _check_details(opportunity)
    audit_record(
        authority=authority,
        actor=created_by,
        action=Audit.PROCUREMENT_CREATED,
        target=opportunity,
        summary=f"Opportunity {opportunity} drafted ({opportunity.get_route_display()})",
    )
    return opportunity


def _check_details(opportunity: Opportunity) -> None:
    if not rules_for(opportunity.route).advertised and not opportunity.justification.strip():
        raise NotAllowed(f"Record why a {opportunity.get_route_display().lower()} is the right route.")
    if (
        opportunity.price_formula != Opportunity.PriceFormula.NONE
        and opportunity.quality_weight + opportunity.price_weight != 100
    ):
        raise NotAllowed("Quality and price must add up to 100.")
    if opportunity.price_formula == Opportunity.PriceFormula.BANDS and not _bands_valid(opportunity.price_bands):
        raise NotAllowed("Price bands need percentages above the lowest price, rising, each with marks from 0 to 100.")
    if (
        opportunity.clarification_deadline
        and opportunity.submission_deadline
        and opportunity.clarification_deadline >= opportunity.submission_deadline
    ):
        raise NotAllowed("Clarification questions must close before the submission deadline.")


def _bands_valid(bands) -> bool:
    try:
        pairs = [(float(within), float(marks)) for within, marks in bands]
    except (TypeError, ValueError):
        return False
    withins = [w for w, _ in pairs]
    return bool(pairs) and withins == sorted(set(withins)) and all(w >= 0 and 0 <= m <= 100 for w, m in pairs)


# The Procurement Act 2023's minimum tendering period for an open procedure (section 54): a
# deadline brought forward never comes sooner than this after publication.
MINIMUM_TENDER_DAYS = 25


def _same(stored, submitted) -> bool:
    """Forms give deadlines to the minute; a stored one has seconds. Equal to the minute is equal."""
    if isinstance(stored, dt.datetime) and isinstance(submitted, dt.datetime):
        return stored.replace(second=0, microsecond=0) == submitted.replace(second=0, microsecond=0)
    return stored == submitted


def real_changes(opportunity: Opportunity, submitted: dict) -> dict:
    """What a form's values really change: a value equal to the stored one (a deadline to the
    minute) keeps the stored one."""
    return {name: value for name, value in submitted.items() if not _same(getattr(opportunity, name), value)}


@transaction.atomic(durable=True)
def opportunity_update(*, opportunity: Opportunity, updated_by, deadline_reason: str = "", **changes) -> Opportunity:
    """While a draft, anything; once open, a change tells every provider who has submitted, who
    must confirm or resubmit. Closed opportunities do not change. Nothing really changed (a
    save with the values as they were) changes nothing: no audit, no emails. Once published the
    submission deadline moves only later, or earlier with a reason, the minimum tendering
    period kept and every bidder told."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    changes = real_changes(opportunity, changes)
    if not changes:
        return opportunity
    if opportunity.status not in (Opportunity.Status.DRAFT, Opportunity.Status.OPEN):
        raise NotAllowed("Submissions are open: this opportunity cannot change any more.")
    if opportunity.status == Opportunity.Status.OPEN and "route" in changes and changes["route"] != opportunity.route:
        raise NotAllowed("The route cannot change once the opportunity is published.")
    was = opportunity.submission_deadline
    for name, value in changes.items():
        setattr(opportunity, name, value)
    _check_details(opportunity)
    # A dynamic list has no deadline: providers apply at any time.
    live = opportunity.status == Opportunity.Status.OPEN and rules_for(opportunity.route).deadline
    if live and not opportunity.submission_deadline:
        raise NotAllowed("A published opportunity keeps its submission deadline.")
    if live and opportunity.submission_deadline <= timezone.now():
        raise NotAllowed("The new deadline has already passed.")
    # Whether anyone is bidding is sealed too, so the rule holds from publication, bids or not.
    earlier = live and was is not None and opportunity.submission_deadline < was
    if earlier:
        if not deadline_reason.strip():
            raise NotAllowed(
                "It is published: the submission deadline can move later, or earlier only with a reason, "
                "which everyone bidding is told."
            )
        floor = opportunity.published_at + dt.timedelta(days=MINIMUM_TENDER_DAYS)
        if opportunity.submission_deadline < floor:
            raise NotAllowed(
                f"Bidders must have at least {MINIMUM_TENDER_DAYS} days from publication: the submission "
                f"deadline cannot be before {when(floor)}."
            )
    opportunity.save()
    if opportunity.status == Opportunity.Status.OPEN:
        _tell_submitters(opportunity, earlier_because=deadline_reason.strip() if earlier else "")
    audit_record(
        authority=opportunity.authority,
        actor=updated_by,
        action=Audit.PROCUREMENT_CHANGED,
        target=opportunity,
        summary=f"{opportunity} changed: {', '.join(sorted(changes))}",
        # What changed, by field: once published, the open data's tender amendment (ocds.py).
        details={"changed": sorted(changes)}
        | ({"deadline_brought_forward_because": deadline_reason.strip()} if earlier else {}),
    )
    return opportunity


def publish_problems(opportunity: Opportunity, now: dt.datetime) -> list[str]:
    rules = rules_for(opportunity.route)
    if not rules.advertised:
        return [
            f"A {opportunity.get_route_display().lower()} is not advertised: record the agreement with its provider."
        ]
    problems = []
    if rules.lots and not opportunity.lots.exists():
        problems.append("Add at least one lot.")
    if not rules.award_questions:
        if not opportunity.questions.filter(kind=Question.Kind.SELECTION).exists():
            problems.append("Publish the criteria providers are admitted against: add at least one selection question.")
    else:
        if rules.selection_stage and not (
            opportunity.selection_deadline
            and opportunity.submission_deadline
            and now < opportunity.selection_deadline < opportunity.submission_deadline
        ):
            problems.append("Set a selection-stage deadline in the future, before the submission deadline.")
        if rules.selection_questions and not opportunity.questions.filter(kind=Question.Kind.SELECTION).exists():
            problems.append("A two-stage tender needs selection questions for its first stage.")
        if not opportunity.submission_deadline or opportunity.submission_deadline <= now:
            problems.append("Set a submission deadline in the future.")
        if not opportunity.clarification_deadline:
            problems.append("Set a deadline for clarification questions.")
        award = list(opportunity.questions.filter(kind=Question.Kind.AWARD))
        if not award:
            problems.append("Add at least one award question.")
        elif sum(q.weight for q in award) != 100:
            problems.append(f"The award questions' weights add up to {sum(q.weight for q in award)}: make them 100.")
        for panel, share in (opportunity.panel_shares or {}).items():
            given = sum(q.weight for q in award if q.panel == panel)
            if given != share:
                problems.append(
                    f"The {Question.Panel(panel).label.lower()} has set criteria worth {given}% of its {share}%."
                )
    return problems


@transaction.atomic(durable=True)
def opportunity_publish(*, opportunity: Opportunity, published_by) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("Only a draft can be published.")
    now = timezone.now()
    if problems := publish_problems(opportunity, now):
        raise NotAllowed("Not published yet. " + " ".join(problems))
    opportunity.status, opportunity.published_at = Opportunity.Status.OPEN, now
    opportunity.save(update_fields=["status", "published_at"])
    audit_record(
        authority=opportunity.authority,
        actor=published_by,
        action=Audit.PROCUREMENT_PUBLISHED,
        target=opportunity,
        summary=f"{opportunity} published",
        details={"warnings": threshold_warnings(opportunity)},
    )
    return opportunity


@transaction.atomic(durable=True)
def opportunity_announce(*, opportunity: Opportunity, announced_by) -> Opportunity:
    """Tell the market ahead of the tender (a planning notice in the open data)."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT or opportunity.announced_at:
        raise NotAllowed("Only a draft not yet announced can be announced.")
    if not opportunity.lots.exists():
        raise NotAllowed("Add the lots first, so the market knows what is planned.")
    opportunity.announced_at = timezone.now()
    opportunity.save(update_fields=["announced_at"])
    audit_record(
        authority=opportunity.authority,
        actor=announced_by,
        action=Audit.PROCUREMENT_ANNOUNCED,
        target=opportunity,
        summary=f"{opportunity} announced ahead of the tender",
    )
    return opportunity
