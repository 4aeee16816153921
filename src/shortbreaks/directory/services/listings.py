"""Provider self-service with commissioner approval. Each function is one use case and owns
its transaction; the audit row is written inside it, emails go after commit."""

from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.templatetags.govuk import day_and_time
from shortbreaks.directory.audit import Audit

from ..models import ListingChange, Organisation, Service
from .freshness import mark_checked
from .snapshots import (
    organisation_apply_snapshot,
    organisation_matches,
    organisation_snapshot,
    service_apply_snapshot,
    service_snapshot,
)


def _supersede_pending(qs, user) -> None:
    qs.filter(status=ListingChange.Status.PENDING).update(
        status=ListingChange.Status.SUPERSEDED,
        decided_at=timezone.now(),
        decided_by=user,
        reason="Replaced by a newer change from the provider.",
    )


def _notify_commissioners(change: ListingChange) -> None:
    email_after_commit(
        to=emails_of(authority=change.authority, role=Role.COMMISSIONER),
        subject=f"Directory change to approve: {change.proposed['name']}",
        body=(
            f"{change.organisation.name} has asked to change "
            f"{change.get_subject_display().lower()} '{change.proposed['name']}'.\n\n"
            f"Review it: {absolute(change.authority, 'directory:change-review', change.pk)}\n"
        ),
        why=f"as a commissioner at {change.authority.name}, you approve changes to its directory",
        authority=change.authority,
    )


@transaction.atomic(durable=True)
def service_change_submit(
    *, organisation: Organisation, service: Service | None, proposed: dict, submitted_by
) -> ListingChange:
    """A provider proposes a new service or an edit. A new service is created hidden and
    appears only once approved; an edit leaves the public version as it is until approved."""
    if service is None:
        service = Service(authority=organisation.authority, organisation=organisation, is_published=False)
        service_apply_snapshot(service=service, snapshot=proposed)
        original: dict = {}
    else:
        service = Service.objects.select_for_update().get(pk=service.pk)
        if service.organisation_id != organisation.pk:
            raise NotAllowed("That service belongs to another organisation.")
        _supersede_pending(service.changes.all(), submitted_by)
        original = service_snapshot(service)
    change = ListingChange.objects.create(
        authority=organisation.authority,
        subject=ListingChange.Subject.SERVICE,
        organisation=organisation,
        service=service,
        proposed=proposed,
        original=original,
        submitted_by=submitted_by,
    )
    audit_record(
        authority=organisation.authority,
        actor=submitted_by,
        action=Audit.LISTING_SUBMITTED,
        target=service,
        summary=f"Change to {proposed['name']} sent for approval",
        details={"change": str(change.pk)},
    )
    _notify_commissioners(change)
    return change


@transaction.atomic(durable=True)
def organisation_change_submit(*, organisation: Organisation, proposed: dict, submitted_by) -> ListingChange:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _supersede_pending(organisation.changes.filter(subject=ListingChange.Subject.ORGANISATION), submitted_by)
    change = ListingChange.objects.create(
        authority=organisation.authority,
        subject=ListingChange.Subject.ORGANISATION,
        organisation=organisation,
        proposed=proposed,
        original=organisation_snapshot(organisation),
        submitted_by=submitted_by,
    )
    audit_record(
        authority=organisation.authority,
        actor=submitted_by,
        action=Audit.LISTING_SUBMITTED,
        target=organisation,
        summary=f"Change to {organisation.name} sent for approval",
        details={"change": str(change.pk)},
    )
    _notify_commissioners(change)
    return change


def _locked_pending(change: ListingChange) -> ListingChange:
    change = ListingChange.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=change.pk)
    if change.status != ListingChange.Status.PENDING:
        raise ChangedMeanwhile(f"This change has already been dealt with: it is {change.get_status_display().lower()}.")
    return change


def _provider_emails(change: ListingChange) -> list[str]:
    emails = [change.submitted_by.email] if change.submitted_by else []
    return emails + [change.organisation.email]


def _to_provider(change: ListingChange, *, subject: str, body: str) -> None:
    email_after_commit(
        to=_provider_emails(change),
        subject=subject,
        body=body,
        why=f"{change.organisation.name} asked {change.authority.name} to change its listing of "
        f"{change.proposed['name']}",
        authority=change.authority,
    )


@transaction.atomic(durable=True)
def listing_change_approve(*, change: ListingChange, decided_by) -> ListingChange:
    change = _locked_pending(change)
    if change.subject == ListingChange.Subject.SERVICE:
        target = Service.objects.select_for_update().get(pk=change.service_id)
        # Someone else changed the live record since the provider started: applying this
        # would silently undo their change.
        if change.original and service_snapshot(target) != change.original:
            raise ChangedMeanwhile(
                "The service has changed since the provider made this request. Return it so "
                "the provider can make the change again on the current version."
            )
        service_apply_snapshot(service=target, snapshot=change.proposed)
        # The provider sent the whole listing and the council read it: that is a check.
        mark_checked(target, checked_by=change.submitted_by, on=timezone.localdate())
        target.is_published = True
        target.save(update_fields=["is_published", "updated_at"])
    else:
        target = Organisation.objects.select_for_update().get(pk=change.organisation_id)
        if not organisation_matches(target, change.original):
            raise ChangedMeanwhile(
                "The organisation has changed since the provider made this request. Return it "
                "so the provider can make the change again on the current version."
            )
        organisation_apply_snapshot(organisation=target, snapshot=change.proposed)
        # Approving its details does not approve an organisation's registration: until that
        # is approved too (registrations.py), nothing of it is public.
        if target.registration == Organisation.Registration.APPROVED:
            target.is_published = True
            target.save(update_fields=["is_published", "updated_at"])
    change.status = ListingChange.Status.APPROVED
    change.decided_by = decided_by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        authority=change.authority,
        actor=decided_by,
        action=Audit.LISTING_APPROVED,
        target=target,
        summary=f"Approved change to {change.proposed['name']}",
        details={
            "change": str(change.pk),
            "changed": sorted(k for k in change.proposed if change.original.get(k) != change.proposed[k]),
        },
    )
    # An organisation has no public page of its own: the provider's home shows it.
    live = (
        absolute(change.authority, "directory:service", change.service_id)
        if change.subject == ListingChange.Subject.SERVICE
        else absolute(change.authority, "directory:provider-home") + f"?org={change.organisation_id}"
    )
    organisation = target if change.subject == ListingChange.Subject.ORGANISATION else change.organisation
    if not organisation.is_published:
        # Approved, but not yet public: the organisation itself is still waiting (or refused).
        _to_provider(
            change,
            subject=f"Your change to {change.proposed['name']} is approved",
            body=f"The council approved your change to {change.proposed['name']}. Families will see it once the "
            f"council has approved {organisation.name} itself.\n\n"
            f"{absolute(change.authority, 'directory:provider-home')}?org={change.organisation_id}\n",
        )
        return change
    _to_provider(
        change,
        subject=f"Your change to {change.proposed['name']} is live",
        body=f"The council approved your change to {change.proposed['name']}. It is now on the public directory.\n\n"
        f"{live}\n",
    )
    return change


@transaction.atomic(durable=True)
def listing_change_return(*, change: ListingChange, decided_by, reason: str) -> ListingChange:
    if not reason.strip():
        raise NotAllowed("Say why you are returning the change, so the provider can fix it.")
    change = _locked_pending(change)
    change.status = ListingChange.Status.RETURNED
    change.decided_by = decided_by
    change.decided_at = timezone.now()
    change.reason = reason.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    target = change.service or change.organisation
    audit_record(
        authority=change.authority,
        actor=decided_by,
        action=Audit.LISTING_RETURNED,
        target=target,
        summary=f"Returned change to {change.proposed['name']}",
        details={"change": str(change.pk), "reason": change.reason},
    )
    edit = (
        absolute(change.authority, "directory:provider-service-edit", change.service_id)
        if change.subject == ListingChange.Subject.SERVICE
        else absolute(change.authority, "directory:provider-organisation")
    )
    _to_provider(
        change,
        subject=f"Your change to {change.proposed['name']} needs more work",
        body=(
            f"The council returned your change to {change.proposed['name']}.\n\n"
            f"Reason: {change.reason}\n\nYou can edit it and send it again:\n"
            # Someone acting for more than one organisation edits the right one.
            f"{edit}?org={change.organisation_id}\n"
        ),
    )
    return change


@transaction.atomic(durable=True)
def listing_change_withdraw(*, change: ListingChange, withdrawn_by) -> ListingChange:
    change = _locked_pending(change)
    change.status = ListingChange.Status.WITHDRAWN
    change.decided_by = withdrawn_by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        authority=change.authority,
        actor=withdrawn_by,
        action=Audit.LISTING_WITHDRAWN,
        target=change.service or change.organisation,
        summary=f"Withdrew change to {change.proposed['name']}",
        details={"change": str(change.pk)},
    )
    return change


@transaction.atomic(durable=True)
def listing_version_restore(*, version: ListingChange, restored_by) -> ListingChange:
    """Bring back an earlier approved version. It becomes a new approved change, so the
    history keeps both the restore and what it replaced."""
    version = ListingChange.objects.select_related("organisation", "service").get(pk=version.pk)
    if version.status != ListingChange.Status.APPROVED:
        raise NotAllowed("Only an approved version can be restored.")
    if version.subject == ListingChange.Subject.SERVICE:
        target = Service.objects.select_for_update().get(pk=version.service_id)
        current = service_snapshot(target)
        service_apply_snapshot(service=target, snapshot=version.proposed)
    else:
        target = Organisation.objects.select_for_update().get(pk=version.organisation_id)
        current = organisation_snapshot(target)
        organisation_apply_snapshot(organisation=target, snapshot=version.proposed)
    now = timezone.now()
    _supersede_pending(
        ListingChange.objects.filter(
            service=version.service if version.service_id else None,
            organisation=version.organisation,
            subject=version.subject,
        ),
        restored_by,
    )
    restored = ListingChange.objects.create(
        authority=version.authority,
        subject=version.subject,
        organisation=version.organisation,
        service=version.service,
        proposed=version.proposed,
        original=current,
        status=ListingChange.Status.APPROVED,
        submitted_by=restored_by,
        decided_by=restored_by,
        decided_at=now,
        restored_from=version,
        reason=f"Restored the version approved on {day_and_time(version.decided_at)}.",
    )
    audit_record(
        authority=version.authority,
        actor=restored_by,
        action=Audit.LISTING_RESTORED,
        target=target,
        summary=f"Restored an earlier version of {version.proposed['name']}",
        details={"change": str(restored.pk), "restored_from": str(version.pk)},
    )
    return restored
