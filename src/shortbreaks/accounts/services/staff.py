"""The authority administrator's work: inviting council staff, giving and removing their
roles, switching accounts off and on, and resetting a lost authenticator app. Every change is
audited, and an authority never loses its last administrator: each change locks the authority's
row first, so two administrators removing each other at once cannot both succeed."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from shortbreaks.accounts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import STAFF_ROLES, Role

from ..models import Invitation, RoleAssignment, User, normalise_email
from .invitations import invitation_send


def _labels(roles) -> str:
    return ", ".join(sorted(Role(r).label.lower() for r in roles)) or "no roles"


def _lock(authority) -> Authority:
    return Authority.objects.select_for_update().get(pk=authority.pk)


def _keeps_an_administrator(authority, *, losing: User) -> None:
    others = RoleAssignment.objects.filter(
        authority=authority, role=Role.ADMINISTRATOR, user__is_active=True, user__email_confirmed=True
    ).exclude(user=losing)
    if not others.exists():
        raise NotAllowed(
            f"{losing.display_name} is {authority.name}'s only administrator. Make someone else an administrator first."
        )


def staff_invite(*, authority, email: str, full_name: str, roles: list[str], invited_by) -> Invitation:
    roles = [r for r in roles if r in STAFF_ROLES]
    if not roles:
        raise NotAllowed("Choose at least one role.")
    existing = User.objects.filter(
        email=normalise_email(email), role_assignments__authority=authority, role_assignments__role__in=STAFF_ROLES
    ).first()
    if existing is not None:
        raise NotAllowed(
            f"{existing.display_name} is already on {authority.name}'s staff with that address: change their roles "
            "on their page instead."
        )
    return invitation_send(
        authority=authority,
        purpose=Invitation.Purpose.STAFF,
        email=email,
        full_name=full_name,
        roles=roles,
        invited_by=invited_by,
        what=f"work in the short breaks service as {_labels(roles)}",
    )


@transaction.atomic(durable=True)
def staff_roles_set(*, authority, user: User, roles: list[str], changed_by) -> None:
    """Give the person exactly these staff roles here (their family or provider roles stay)."""
    _lock(authority)
    wanted = {r for r in roles if r in STAFF_ROLES}
    if not wanted:
        raise NotAllowed("Choose at least one role. To stop someone working here, switch their account off.")
    held = set(
        RoleAssignment.objects.filter(authority=authority, user=user, role__in=STAFF_ROLES).values_list(
            "role", flat=True
        )
    )
    if Role.ADMINISTRATOR in held - wanted:
        _keeps_an_administrator(authority, losing=user)
    RoleAssignment.objects.filter(authority=authority, user=user, role__in=held - wanted).delete()
    for role in wanted - held:
        RoleAssignment.objects.create(authority=authority, user=user, role=role)
    if wanted != held:
        audit_record(
            authority=authority,
            actor=changed_by,
            action=Audit.STAFF_ROLES,
            target=user,
            summary=f"{user.display_name}'s roles: {_labels(wanted)} (were {_labels(held)})",
            details={"given": sorted(wanted - held), "removed": sorted(held - wanted)},
        )


@transaction.atomic(durable=True)
def account_switch(*, authority, user: User, active: bool, changed_by) -> None:
    """Switch a member of staff's account off (they cannot sign in) or back on."""
    _lock(authority)
    if user == changed_by and not active:
        raise NotAllowed("You cannot switch off your own account. Ask another administrator.")
    if RoleAssignment.objects.filter(user=user).exclude(authority=authority).exists():
        raise NotAllowed(
            f"{user.display_name} also has roles at another council, so their account stays on. "
            "Remove their roles here instead."
        )
    if not RoleAssignment.objects.filter(authority=authority, user=user, role__in=STAFF_ROLES).exists():
        raise NotAllowed(f"{user.display_name} is not on {authority.name}'s staff.")
    if not active and RoleAssignment.objects.filter(authority=authority, user=user, role=Role.ADMINISTRATOR).exists():
        _keeps_an_administrator(authority, losing=user)
    if user.is_active == active:
        return
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    audit_record(
        authority=authority,
        actor=changed_by,
        action=Audit.STAFF_SWITCHED_ON if active else Audit.STAFF_SWITCHED_OFF,
        target=user,
        summary=f"Switched {user.display_name}'s account {'on' if active else 'off'}",
    )


@transaction.atomic(durable=True)
def second_factor_reset(*, authority, user: User, reset_by) -> Invitation:
    """A lost phone: the old authenticator app stops working at once, and the person sets up a
    new one through a fresh invitation to their email, after signing in with their password."""
    _lock(authority)
    if not RoleAssignment.objects.filter(authority=authority, user=user, role__in=STAFF_ROLES).exists():
        raise NotAllowed(f"{user.display_name} is not on {authority.name}'s staff.")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        authority=authority,
        actor=reset_by,
        action=Audit.STAFF_SECOND_FACTOR_RESET,
        target=user,
        summary=f"Reset {user.display_name}'s authenticator app",
        details={"devices_removed": removed},
    )
    return invitation_send(
        authority=authority,
        purpose=Invitation.Purpose.SECOND_FACTOR,
        email=user.email,
        full_name=user.full_name,
        invited_by=reset_by,
        what="set up a new authenticator app for your council staff account (the old one no longer works)",
    )
