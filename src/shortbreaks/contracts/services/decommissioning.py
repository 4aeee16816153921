"""Reducing or ending a service around the children it affects. Affected children come from the
service's bookings (future places, and anyone who came in the last year); each needs an
alternative before the plan is completed, and children booked since the plan began are added."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shortbreaks.bookings.models import Booking
from shortbreaks.contracts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.families.models import Child

from ..models import AffectedChild, DecommissioningPlan


def affected_children(service, today: dt.date):
    recent = Booking.objects.filter(session__service=service).filter(
        status__in=[Booking.Status.CONFIRMED, Booking.Status.ATTENDED],
        session__date__gte=today - dt.timedelta(days=365),
    )
    return Child.objects.filter(pk__in=recent.values("child"))


def _add_missing(plan: DecommissioningPlan, today: dt.date) -> int:
    known = set(plan.affected.values_list("child_id", flat=True))
    new = [
        AffectedChild(authority=plan.authority, plan=plan, child=child)
        for child in affected_children(plan.service, today)
        if child.pk not in known
    ]
    AffectedChild.objects.bulk_create(new)
    return len(new)


@transaction.atomic(durable=True)
def plan_create(
    *, service, change: str, reasons: str, communications: str, families_told_by: dt.date, last_day: dt.date, created_by
) -> DecommissioningPlan:
    today = timezone.localdate()
    if change not in DecommissioningPlan.Change.values:
        raise NotAllowed("Choose whether the service is reduced or ended.")
    if not reasons.strip():
        raise NotAllowed("Give the reasons: families will be told them.")
    if not today <= families_told_by <= last_day:
        raise NotAllowed("Families must be told from today and before the last day.")
    plan = DecommissioningPlan.objects.create(
        authority=service.authority,
        service=service,
        change=change,
        reasons=reasons.strip(),
        communications=communications.strip(),
        families_told_by=families_told_by,
        last_day=last_day,
        created_by=created_by,
    )
    count = _add_missing(plan, today)
    children = f"{count} {'child' if count == 1 else 'children'}"
    audit_record(
        authority=plan.authority,
        actor=created_by,
        action=Audit.DECOMMISSIONING_PLANNED,
        target=plan,
        summary=f"Plan to {plan.get_change_display().lower()}: {service.name}, {children} affected",
    )
    return plan


@transaction.atomic(durable=True)
def alternative_set(
    *, entry: AffectedChild, alternative=None, notes: str = "", told_on: dt.date | None = None, set_by
) -> AffectedChild:
    entry = AffectedChild.objects.select_for_update(of=("self",)).select_related("plan").get(pk=entry.pk)
    if entry.plan.status != DecommissioningPlan.Status.DRAFT:
        raise NotAllowed("This plan is completed.")
    if alternative is not None and alternative.pk == entry.plan.service_id:
        raise NotAllowed("The alternative must be a different service.")
    if alternative is None and not notes.strip():
        raise NotAllowed("Choose an alternative service or describe the alternative arranged.")
    if told_on and told_on > timezone.localdate():
        raise NotAllowed("The date the family was told cannot be in the future.")
    entry.alternative, entry.alternative_notes, entry.family_told_on = alternative, notes.strip(), told_on
    entry.save(update_fields=["alternative", "alternative_notes", "family_told_on"])
    audit_record(
        authority=entry.authority,
        actor=set_by,
        action=Audit.DECOMMISSIONING_ALTERNATIVE,
        target=entry.plan,
        summary="An alternative recorded for an affected child",
    )
    return entry


@transaction.atomic(durable=True)
def plan_complete(*, plan: DecommissioningPlan, completed_by) -> DecommissioningPlan:
    plan = DecommissioningPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != DecommissioningPlan.Status.DRAFT:
        raise NotAllowed("This plan is already completed.")
    added = _add_missing(plan, timezone.localdate())
    waiting = [e for e in plan.affected.select_related("child") if not e.has_alternative]
    if waiting:
        # The refusal rolls back; the plan page adds newly booked children (plan_refresh) so they show.
        raise NotAllowed(
            f"{len(waiting)} affected {'child has' if len(waiting) == 1 else 'children have'} no "
            f"alternative yet"
            + (f" ({added} newly booked since the plan began)" if added else "")
            + ": "
            + ", ".join(f"{e.child.first_name} {e.child.last_name}" for e in waiting)
            + "."
        )
    plan.status, plan.completed_at = DecommissioningPlan.Status.COMPLETED, timezone.now()
    plan.save(update_fields=["status", "completed_at"])
    audit_record(
        authority=plan.authority,
        actor=completed_by,
        action=Audit.DECOMMISSIONING_COMPLETED,
        target=plan,
        summary=f"Plan completed: {plan.service.name}",
    )
    return plan


@transaction.atomic(durable=True)
def plan_refresh(*, plan: DecommissioningPlan) -> int:
    """Children booked since the plan began join it."""
    plan = DecommissioningPlan.objects.select_for_update().get(pk=plan.pk)
    return _add_missing(plan, timezone.localdate()) if plan.status == DecommissioningPlan.Status.DRAFT else 0
