"""Dynamic lists: applications decided one by one, and removal, by the published criteria."""

from django.db import transaction
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.audit import Audit

from ..models import (
    Membership,
    Submission,
)
from ..routes import rules_for


@transaction.atomic(durable=True)
def application_decide(*, submission: Submission, decided_by, admit: bool, reasons: str) -> Membership:
    """A dynamic list application: admitted, or not with the criteria it did not meet."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("opportunity", "lot", "organisation")
        .get(pk=submission.pk)
    )
    if not rules_for(submission.opportunity.route).decided_one_by_one:
        raise NotAllowed("Only dynamic list applications are decided one by one.")
    if (
        submission.status != Submission.Status.SUBMITTED
        or Membership.objects.filter(submission=submission, decided_at__gte=submission.submitted_at).exists()
    ):
        raise NotAllowed("This application is not waiting for a decision.")
    if not admit and not reasons.strip():
        raise NotAllowed("Say which published criteria the application does not meet.")
    if Membership.objects.filter(
        lot=submission.lot, organisation=submission.organisation, status=Membership.Status.ADMITTED
    ).exists():
        raise NotAllowed(f"{submission.organisation} is already on the list for this lot.")
    membership = Membership.objects.create(
        authority=submission.authority,
        opportunity=submission.opportunity,
        lot=submission.lot,
        organisation=submission.organisation,
        submission=submission,
        reasons=reasons.strip(),
        decided_by=decided_by,
        status=Membership.Status.ADMITTED if admit else Membership.Status.REFUSED,
        decided_at=timezone.now(),
    )
    audit_record(
        authority=submission.authority,
        actor=decided_by,
        action=Audit.PROCUREMENT_ADMISSION,
        target=membership,
        summary=f"{submission.organisation} {'admitted to' if admit else 'not admitted to'} "
        f"{submission.opportunity.reference} lot {submission.lot.number}",
        details={"reasons": reasons},
    )
    email_after_commit(
        to=[submission.organisation.email],
        subject=f"Your application: {submission.opportunity.reference}",
        body=(
            f"You are on the list for lot {submission.lot.number}: {submission.lot.title}.\n"
            if admit
            else f"Your application for lot {submission.lot.number} was not admitted: {reasons}\n"
            "You can apply again at any time once you meet the criteria:\n"
            f"{absolute(submission.authority, 'procurement:detail', submission.opportunity_id)}\n"
        ),
        why=f"{submission.organisation.name} applied to join {submission.opportunity.reference}",
        authority=submission.authority,
    )
    return membership


@transaction.atomic(durable=True)
def membership_remove(*, membership, removed_by, reasons: str):
    """Removal is by the published criteria too, with the reasons recorded and sent."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("opportunity", "lot", "organisation")
        .get(pk=membership.pk)
    )
    if membership.status != Membership.Status.ADMITTED:
        raise NotAllowed("Only a provider on the list can be removed.")
    if not reasons.strip():
        raise NotAllowed("Say which published criteria the provider no longer meets.")
    membership.status, membership.reasons = Membership.Status.REMOVED, reasons.strip()
    membership.decided_by, membership.decided_at = removed_by, timezone.now()
    membership.save(update_fields=["status", "reasons", "decided_by", "decided_at"])
    # Removed from the list, a new application starts afresh.
    Submission.objects.filter(pk=membership.submission_id).update(status=Submission.Status.WITHDRAWN)
    audit_record(
        authority=membership.authority,
        actor=removed_by,
        action=Audit.PROCUREMENT_REMOVED,
        target=membership,
        summary=f"{membership.organisation} removed from {membership.opportunity.reference} lot "
        f"{membership.lot.number}",
        details={"reasons": reasons},
    )
    email_after_commit(
        to=[membership.organisation.email],
        subject=f"Removed from {membership.opportunity.reference}",
        body=f"You have been removed from the list for lot {membership.lot.number}: {reasons}\n",
        why=f"{membership.organisation.name} was on the list for {membership.opportunity.reference}",
        authority=membership.authority,
    )
    return membership
