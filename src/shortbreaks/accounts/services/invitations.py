"""Invitations: one-time links, valid for the authority's number of days, that give a role.
Whoever may invite whom is the inviting app's rule (staff.py here; families, directory and
procurement for carers, young people, colleagues and panels); this module sends, opens and
accepts them.

Accepting creates the account when the address has none (the link proves the address, so it
is confirmed), or adds the roles to the account signed in with that address. Staff then set
up their authenticator app in the same visit (second_factor.enrolment_granted)."""

import datetime as dt

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.throttle import allow

from ..links import new_token, token_hash
from ..models import Invitation, RoleAssignment, User, normalise_email
from ..selectors import account_policy
from ..signals import invitation_accepted
from .signup import LinkProblem

INVITATIONS_PER_DAY = 60  # from one person


@transaction.atomic
def invitation_send(
    *,
    authority,
    purpose: str,
    email: str,
    invited_by,
    what: str,
    roles: list[str] = (),
    full_name: str = "",
    organisation=None,
    administers: bool = False,
    subject_id: str = "",
    subject_label: str = "",
    details: dict | None = None,
) -> Invitation:
    """Email a new invitation; `what` finishes "… has invited you to …" ("join the Patel family's
    account", "sit on the parents' panel for DBC-2026-004"). An earlier invitation to the same
    address for the same thing stops working."""
    email = normalise_email(email)
    if invited_by is not None and not allow(
        "invite", invited_by.pk, limit=INVITATIONS_PER_DAY, per=dt.timedelta(days=1)
    ):
        raise NotAllowed(f"You have sent {INVITATIONS_PER_DAY} invitations today. Send more tomorrow.")
    now = timezone.now()
    Invitation.objects.filter(
        authority=authority,
        email=email,
        purpose=purpose,
        subject_id=subject_id,
        organisation=organisation,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
    ).update(withdrawn_at=now)
    token, hashed = new_token()
    days = invitation_days(authority)
    invitation = Invitation.objects.create(
        authority=authority,
        purpose=purpose,
        email=email,
        full_name=full_name.strip(),
        roles=sorted(set(roles)),
        organisation=organisation,
        administers=administers,
        subject_id=str(subject_id),
        subject_label=subject_label,
        details={**(details or {}), "what": what},
        invited_by=invited_by,
        token_hash=hashed,
        expires_at=now + dt.timedelta(days=days),
    )
    inviter = invited_by.display_name if invited_by is not None else authority.name
    audit_record(
        authority=authority,
        actor=invited_by,
        action=Audit.INVITATION_SENT,
        target=invitation,
        summary=f"Invited {email} to {what}",
        details={"purpose": purpose, "roles": invitation.roles, "subject": subject_label},
    )
    account = User.objects.filter(email=email).first()
    # The email goes to the address itself, so it may say whether the address has an account.
    name = account.display_name if account is not None else invitation.full_name
    if account is None:
        then = "You will choose a password" + (
            ", then set up an authenticator app on your phone, which council staff use to confirm each sign-in.\n"
            if invitation.gives_staff_role
            else ".\n"
        )
    elif invitation.gives_staff_role:
        then = "Sign in with your password, then set up an authenticator app on your phone.\n"
    else:
        then = "Sign in with your password to accept.\n"
    email_after_commit(
        to=[email],
        subject=f"{inviter} has invited you to {what}",
        body=(
            f"Hello{' ' + name if name else ''},\n\n"
            f"{inviter} has invited you to {what}, on {authority.name}'s short breaks service.\n\n"
            f"Open this link to accept. It works once, for {days} days:\n\n"
            f"{absolute(authority, 'accounts:invitation', token)}\n\n" + then
        ),
        why=f"{inviter} invited this email address. If you were not expecting it, ignore this email: nothing "
        "happens unless the link is opened",
        authority=authority,
    )
    return invitation


def invitation_days(authority) -> int:
    """How long an invitation works, as every page that offers one says."""
    return account_policy(authority).invitation_days


def invitation_open(*, token: str) -> Invitation:
    """The invitation behind a link, if it still works; otherwise LinkProblem says why."""
    invitation = (
        Invitation.objects.filter(token_hash=token_hash(token)).select_related("authority", "invited_by").first()
    )
    if invitation is None:
        raise LinkProblem("This link is not right. Copy the whole link from the email.")
    if invitation.accepted_at is not None:
        raise LinkProblem("This invitation has already been accepted.", used=True)
    if invitation.withdrawn_at is not None:
        raise LinkProblem("This invitation has been replaced by a newer one, or withdrawn. Use the newest email.")
    if not invitation.usable(timezone.now()):
        raise LinkProblem("This invitation has expired.", renewable=True)
    return invitation


@transaction.atomic
def invitation_renew(*, token: str) -> bool:
    """An expired invitation sent again, on the same terms, to the same address (so asking
    for one reveals and gives nothing). Returns whether one was sent."""
    invitation = Invitation.objects.filter(token_hash=token_hash(token)).select_related("authority").first()
    if invitation is None or invitation.accepted_at or invitation.withdrawn_at or invitation.usable(timezone.now()):
        return False
    if not allow("invite-renew", invitation.pk, limit=3, per=dt.timedelta(days=1)):
        raise NotAllowed("A new invitation has been sent several times today. Check your email, or try tomorrow.")
    invitation_send(
        authority=invitation.authority,
        purpose=invitation.purpose,
        email=invitation.email,
        invited_by=None,
        what=invitation.details.get("what", "use short breaks"),
        roles=invitation.roles,
        full_name=invitation.full_name,
        organisation=invitation.organisation,
        administers=invitation.administers,
        subject_id=invitation.subject_id,
        subject_label=invitation.subject_label,
        details=invitation.details,
    )
    return True


def account_for(invitation: Invitation) -> User | None:
    return User.objects.filter(email=invitation.email).first()


@transaction.atomic(durable=True)
def invitation_accept(*, invitation: Invitation, user=None, full_name: str = "", password: str = "") -> User:
    """Accept for the signed-in account with the invited address, or open an account with it."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.usable(timezone.now()):
        raise LinkProblem("This invitation has already been used or has expired.")
    if user is not None and user.is_authenticated:
        if user.email != invitation.email:
            raise NotAllowed(
                f"This invitation is for {invitation.email}, and you are signed in as {user.email}. "
                "Sign out, then open the link again."
            )
        if not user.email_confirmed:
            # The link reached the address: that confirms it.
            User.objects.filter(pk=user.pk).update(email_confirmed=True)
            user.email_confirmed = True
    else:
        if account_for(invitation) is not None:
            raise NotAllowed("You already have an account with this email address. Sign in to accept.")
        user = User(
            email=invitation.email, username=invitation.email, full_name=full_name.strip() or invitation.full_name
        )
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save()
    for role in invitation.roles:
        organisation = invitation.organisation if role == Role.PROVIDER else None
        assignment, _ = RoleAssignment.objects.get_or_create(
            user=user, authority=invitation.authority, role=role, organisation=organisation
        )
        if invitation.administers and role == Role.PROVIDER and not assignment.administers:
            assignment.administers = True
            assignment.save(update_fields=["administers"])
    user.forget_roles()
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        authority=invitation.authority,
        actor=user,
        action=Audit.INVITATION_ACCEPTED,
        target=invitation,
        summary=f"{user.display_name} accepted an invitation: {invitation.get_purpose_display().lower()}",
        details={"roles": invitation.roles, "subject": invitation.subject_label},
    )
    return user


@transaction.atomic(durable=True)
def invitation_withdraw(*, invitation: Invitation, withdrawn_by) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise NotAllowed("This invitation has already been accepted.")
    if invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        audit_record(
            authority=invitation.authority,
            actor=withdrawn_by,
            action=Audit.INVITATION_WITHDRAWN,
            target=invitation,
            summary=f"Withdrew the invitation to {invitation.email}",
        )
    return invitation
