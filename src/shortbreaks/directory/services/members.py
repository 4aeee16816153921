"""An organisation's people: its administrators invite colleagues, remove them, and share or
hand over the administrator's role; anyone may leave. An organisation never loses its last
administrator: each change locks the organisation's row, then counts its administrators from
the role assignments themselves, so two administrators stepping down at once cannot both go."""

from django.db import transaction
from django.db.models import QuerySet

from shortbreaks.accounts.models import Invitation, RoleAssignment, normalise_email
from shortbreaks.accounts.services.invitations import invitation_send
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.directory.audit import Audit

from ..models import Organisation


def _locked(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _members(organisation: Organisation) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(organisation=organisation, role=Role.PROVIDER)


def _require_administrator(organisation: Organisation, user) -> None:
    if not _members(organisation).filter(user=user, administers=True).exists():
        raise NotAllowed(f"Only an administrator of {organisation.name} can do that. Ask one of them.")


def _member(organisation: Organisation, member: RoleAssignment) -> RoleAssignment:
    """The member as they are now, after the lock: someone else may have removed them."""
    found = _members(organisation).filter(pk=member.pk).select_related("user").first()
    if found is None:
        raise ChangedMeanwhile(f"That person no longer acts for {organisation.name}.")
    return found


def _keeps_an_administrator(organisation: Organisation, member: RoleAssignment, *, acting_user) -> None:
    if member.administers and not _members(organisation).filter(administers=True).exclude(pk=member.pk).exists():
        who = "You are" if member.user_id == acting_user.pk else f"{member.user.display_name} is"
        raise NotAllowed(
            f"{who} the only administrator of {organisation.name}. Make someone else an administrator first."
        )


def _tell(member: RoleAssignment, organisation: Organisation, *, subject: str, body: str) -> None:
    email_after_commit(
        to=[member.user.email],
        subject=subject,
        body=body,
        why=f"you act for {organisation.name} on {organisation.authority.name}'s short breaks site",
        authority=organisation.authority,
    )


@transaction.atomic(durable=True)
def colleague_invite(
    *, organisation: Organisation, email: str, full_name: str, administers: bool, invited_by
) -> Invitation:
    organisation = _locked(organisation)
    _require_administrator(organisation, invited_by)
    email = normalise_email(email)
    if _members(organisation).filter(user__email=email).exists():
        raise NotAllowed(f"{email} already acts for {organisation.name}.")
    invitation = invitation_send(
        authority=organisation.authority,
        purpose=Invitation.Purpose.COLLEAGUE,
        email=email,
        invited_by=invited_by,
        what=f"act for {organisation.name} on {organisation.authority.name}'s short breaks site",
        roles=[Role.PROVIDER],
        full_name=full_name,
        organisation=organisation,
        administers=administers,
    )
    audit_record(
        authority=organisation.authority,
        actor=invited_by,
        action=Audit.ORGANISATION_COLLEAGUE_INVITED,
        target=organisation,
        summary=f"Invited {email} to act for {organisation.name}" + (" as an administrator" if administers else ""),
        details={"invitation": str(invitation.pk), "administers": administers},
    )
    return invitation


@transaction.atomic(durable=True)
def colleague_remove(*, organisation: Organisation, member: RoleAssignment, removed_by) -> None:
    """An administrator removes a colleague, or someone leaves (removes themselves)."""
    organisation = _locked(organisation)
    member = _member(organisation, member)
    leaving = member.user_id == removed_by.pk
    if not leaving:
        _require_administrator(organisation, removed_by)
    _keeps_an_administrator(organisation, member, acting_user=removed_by)
    member.delete()
    member.user.forget_roles()
    audit_record(
        authority=organisation.authority,
        actor=removed_by,
        action=Audit.ORGANISATION_MEMBER_LEFT if leaving else Audit.ORGANISATION_MEMBER_REMOVED,
        target=organisation,
        summary=f"{member.user.display_name} left {organisation.name}"
        if leaving
        else f"Removed {member.user.display_name} from {organisation.name}",
        details={"user": member.user_id, "administered": member.administers},
    )
    if not leaving:
        _tell(
            member,
            organisation,
            subject=f"You no longer act for {organisation.name}",
            body=(
                f"{removed_by.display_name} has removed you from {organisation.name} on "
                f"{organisation.authority.name}'s short breaks site. You can no longer change its listings.\n"
            ),
        )


@transaction.atomic(durable=True)
def administrator_set(
    *, organisation: Organisation, member: RoleAssignment, administers: bool, changed_by
) -> RoleAssignment:
    """Share the administrator's role with a colleague, or take it from one (oneself included),
    as long as someone keeps it."""
    organisation = _locked(organisation)
    member = _member(organisation, member)
    _require_administrator(organisation, changed_by)
    if member.administers == administers:
        return member
    if not administers:
        _keeps_an_administrator(organisation, member, acting_user=changed_by)
    member.administers = administers
    member.save(update_fields=["administers"])
    audit_record(
        authority=organisation.authority,
        actor=changed_by,
        action=Audit.ORGANISATION_ADMINISTRATOR_ADDED if administers else Audit.ORGANISATION_ADMINISTRATOR_REMOVED,
        target=organisation,
        summary=(
            f"Made {member.user.display_name} an administrator of {organisation.name}"
            if administers
            else f"{member.user.display_name} is no longer an administrator of {organisation.name}"
        ),
        details={"user": member.user_id},
    )
    if administers:
        _tell_new_administrator(member, organisation, by=changed_by)
    return member


@transaction.atomic(durable=True)
def administrator_hand_over(*, organisation: Organisation, to: RoleAssignment, handed_over_by) -> RoleAssignment:
    """The administrator's role passes to a colleague, and the one handing it over keeps only
    their provider role: both in one change, so the organisation is never without one."""
    organisation = _locked(organisation)
    to = _member(organisation, to)
    _require_administrator(organisation, handed_over_by)
    if to.user_id == handed_over_by.pk:
        raise NotAllowed("Choose a colleague to hand the administrator's role to.")
    to.administers = True
    to.save(update_fields=["administers"])
    _members(organisation).filter(user=handed_over_by).update(administers=False)
    audit_record(
        authority=organisation.authority,
        actor=handed_over_by,
        action=Audit.ORGANISATION_ADMINISTRATOR_HANDED_OVER,
        target=organisation,
        summary=f"{handed_over_by.display_name} handed the administrator's role of {organisation.name} "
        f"to {to.user.display_name}",
        details={"from": handed_over_by.pk, "to": to.user_id},
    )
    _tell_new_administrator(to, organisation, by=handed_over_by)
    return to


def _tell_new_administrator(member: RoleAssignment, organisation: Organisation, *, by) -> None:
    people = absolute(organisation.authority, "directory:provider-people") + f"?org={organisation.pk}"
    _tell(
        member,
        organisation,
        subject=f"You are now an administrator of {organisation.name}",
        body=(
            f"{by.display_name} has made you an administrator of {organisation.name}. You can invite colleagues, "
            f"remove them and share the role:\n\n{people}\n"
        ),
    )
