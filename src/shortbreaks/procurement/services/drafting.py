"""Drafting an opportunity's lots and questions (added, changed and removed while it is a draft)
and the panels' shares of the award marks, with the add-up the weights page shows."""

from decimal import Decimal

from django.db import transaction

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.procurement.audit import Audit

from ..models import Lot, Opportunity, Question
from ..routes import rules_for


@transaction.atomic(durable=True)
def lot_add(
    *,
    opportunity: Opportunity,
    title: str,
    description: str,
    value: Decimal,
    added_by,
    max_providers: int = 1,
    guaranteed_hours: int | None = None,
) -> Lot:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("Lots can be added only while the opportunity is a draft.")
    if rules_for(opportunity.route).guaranteed_volume and not guaranteed_hours:
        raise NotAllowed("A block contract lot needs its guaranteed minimum volume (place-hours a year).")
    number = (opportunity.lots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    lot = Lot.objects.create(
        authority=opportunity.authority,
        opportunity=opportunity,
        number=number,
        title=title,
        description=description,
        value=value,
        max_providers=max(1, max_providers or 1),
        guaranteed_hours=guaranteed_hours,
    )
    audit_record(
        authority=opportunity.authority,
        actor=added_by,
        action=Audit.PROCUREMENT_LOT,
        target=lot,
        summary=f"{lot} added to {opportunity.reference}",
    )
    return lot


@transaction.atomic(durable=True)
def question_add(
    *, opportunity: Opportunity, kind: str, text: str, guidance: str, weight: int, panel: str, added_by
) -> Question:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("Questions can be added only while the opportunity is a draft.")
    if kind == Question.Kind.SELECTION:
        weight = 0  # pass or fail
    elif not 1 <= weight <= 100:
        raise NotAllowed("An award question needs a weight between 1 and 100.")
    number = (
        opportunity.questions.filter(kind=kind).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    question = Question.objects.create(
        authority=opportunity.authority,
        opportunity=opportunity,
        kind=kind,
        number=number,
        text=text,
        guidance=guidance,
        weight=weight,
        panel=panel,
    )
    audit_record(
        authority=opportunity.authority,
        actor=added_by,
        action=Audit.PROCUREMENT_QUESTION,
        target=question,
        summary=f"{question.get_kind_display()} question {number} added to {opportunity.reference}",
    )
    return question


def _draft_lot(lot: Lot, doing: str) -> tuple[Opportunity, Lot]:
    """The lot's opportunity locked, and the lot, while a draft."""
    opportunity = Opportunity.objects.select_for_update().get(pk=lot.opportunity_id)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed(f"Lots can be {doing} only while the opportunity is a draft.")
    return opportunity, Lot.objects.get(pk=lot.pk)


@transaction.atomic(durable=True)
def lot_update(
    *,
    lot: Lot,
    title: str,
    description: str,
    value: Decimal,
    changed_by,
    max_providers: int = 1,
    guaranteed_hours: int | None = None,
) -> Lot:
    opportunity, lot = _draft_lot(lot, "changed")
    if rules_for(opportunity.route).guaranteed_volume and not guaranteed_hours:
        raise NotAllowed("A block contract lot needs its guaranteed minimum volume (place-hours a year).")
    before = {"title": lot.title, "value": str(lot.value)}
    lot.title, lot.description, lot.value = title, description, value
    lot.max_providers, lot.guaranteed_hours = max(1, max_providers or 1), guaranteed_hours
    lot.save()
    audit_record(
        authority=opportunity.authority,
        actor=changed_by,
        action=Audit.PROCUREMENT_LOT_CHANGED,
        target=lot,
        summary=f"{lot} of {opportunity.reference} changed",
        details={"before": before},
    )
    return lot


@transaction.atomic(durable=True)
def lot_remove(*, lot: Lot, removed_by) -> Opportunity:
    """Take a lot out of a draft; the later lots move up, so the numbers stay 1, 2, 3."""
    opportunity, lot = _draft_lot(lot, "removed")
    number, title = lot.number, lot.title
    audit_record(
        authority=opportunity.authority,
        actor=removed_by,
        action=Audit.PROCUREMENT_LOT_REMOVED,
        target=opportunity,
        summary=f"Lot {number}: {title} removed from {opportunity.reference}",
    )
    lot.delete()
    for later in opportunity.lots.filter(number__gt=number).order_by("number"):
        later.number -= 1  # one at a time, in order, so no two lots ever share a number
        later.save(update_fields=["number"])
    return opportunity


def _draft_question(question: Question, doing: str) -> tuple[Opportunity, Question]:
    opportunity = Opportunity.objects.select_for_update().get(pk=question.opportunity_id)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed(f"Questions can be {doing} only while the opportunity is a draft.")
    return opportunity, Question.objects.get(pk=question.pk)


@transaction.atomic(durable=True)
def question_update(
    *, question: Question, kind: str, text: str, guidance: str, weight: int, panel: str, changed_by
) -> Question:
    opportunity, question = _draft_question(question, "changed")
    if kind == Question.Kind.SELECTION:
        weight = 0  # pass or fail
    elif not 1 <= weight <= 100:
        raise NotAllowed("An award question needs a weight between 1 and 100.")
    before = {"kind": question.kind, "weight": question.weight, "panel": question.panel}
    if kind != question.kind:  # it joins the end of its new kind's numbering
        old_kind, old_number = question.kind, question.number
        question.kind = kind
        question.number = (
            opportunity.questions.filter(kind=kind).order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        question.save(update_fields=["kind", "number"])
        _close_up(opportunity, old_kind, old_number)
    question.text, question.guidance, question.weight, question.panel = text, guidance, weight, panel
    question.save()
    audit_record(
        authority=opportunity.authority,
        actor=changed_by,
        action=Audit.PROCUREMENT_QUESTION_CHANGED,
        target=question,
        summary=f"{question.get_kind_display()} question {question.number} of {opportunity.reference} changed",
        details={"before": before},
    )
    return question


def _close_up(opportunity: Opportunity, kind: str, gap: int) -> None:
    for later in opportunity.questions.filter(kind=kind, number__gt=gap).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])


@transaction.atomic(durable=True)
def question_remove(*, question: Question, removed_by) -> Opportunity:
    """Take a question out of a draft; the later ones of its kind move up."""
    opportunity, question = _draft_question(question, "removed")
    kind, number = question.kind, question.number
    audit_record(
        authority=opportunity.authority,
        actor=removed_by,
        action=Audit.PROCUREMENT_QUESTION_REMOVED,
        target=opportunity,
        summary=f"{question.get_kind_display()} question {number} removed from {opportunity.reference}",
        details={"text": question.text, "weight": question.weight},
    )
    question.delete()
    _close_up(opportunity, kind, number)
    return opportunity


def award_weights(opportunity: Opportunity) -> dict:
    """How the award questions' weights add up against the panels' shares, before publishing:
    the officers' questions fill what the panels' shares leave. Rows of label, the weight its
    questions give and the room it has; and the total."""
    award = list(opportunity.questions.filter(kind=Question.Kind.AWARD))
    shares = opportunity.panel_shares or {}
    rows = [
        {
            "label": "Officers' questions",
            "given": sum(q.weight for q in award if q.panel == Question.Panel.OFFICERS),
            "room": 100 - sum(shares.values()),
        }
    ]
    for panel in (Question.Panel.PARENTS, Question.Panel.YOUNG_PEOPLE):
        given = sum(q.weight for q in award if q.panel == panel)
        if panel in shares or given:
            label = panel.label
            rows.append({"label": label[0].upper() + label[1:], "given": given, "room": shares.get(panel, 0)})
    return {"rows": rows, "total": sum(q.weight for q in award)}


@transaction.atomic(durable=True)
def panel_share_set(*, opportunity: Opportunity, panel: str, share: int, set_by) -> Opportunity:
    """The commissioner gives a panel of parents or young people a share of the quality marks,
    for criteria the panel agrees itself."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("Panel shares are set while the opportunity is a draft.")
    if panel not in (Question.Panel.PARENTS, Question.Panel.YOUNG_PEOPLE) or not 0 <= share <= 100:
        raise NotAllowed("Give the parents' or young people's panel a share from 0 to 100.")
    shares = dict(opportunity.panel_shares or {})
    if share:
        shares[panel] = share
    else:
        shares.pop(panel, None)
    if sum(shares.values()) > 100:
        raise NotAllowed("The panels' shares add up to more than 100%.")
    opportunity.panel_shares = shares
    opportunity.save(update_fields=["panel_shares"])
    audit_record(
        authority=opportunity.authority,
        actor=set_by,
        action=Audit.PROCUREMENT_PANEL_SHARE,
        target=opportunity,
        summary=f"{Question.Panel(panel).label} given {share}% of the quality marks",
    )
    return opportunity


def panel_question_add(*, evaluator, text: str, guidance: str, weight: int) -> Question:
    """A criterion the panel agreed, within its share."""
    opportunity = Opportunity.objects.get(pk=evaluator.opportunity_id)
    share = (opportunity.panel_shares or {}).get(evaluator.panel)
    if not share:
        raise NotAllowed("Your panel has not been given a share of the marks to set criteria for.")
    used = sum(
        opportunity.questions.filter(kind=Question.Kind.AWARD, panel=evaluator.panel).values_list("weight", flat=True)
    )
    if used + weight > share:
        raise NotAllowed(f"Your panel has {share - used}% of its {share}% left to give.")
    return question_add(
        opportunity=opportunity,
        kind=Question.Kind.AWARD,
        text=text,
        guidance=guidance,
        weight=weight,
        panel=evaluator.panel,
        added_by=evaluator.user,
    )
