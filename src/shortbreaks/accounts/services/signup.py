"""Opening an account: a parent or carer signing up, a provider registering, a personal
assistant offering themselves. The email is confirmed by a link before any role works
(User.all_roles), so nothing about a child can be entered from an address nobody owns.

Signing up with an address that already has an account creates nothing and shows the same
page: the address's owner is emailed instead, so the form never tells a stranger who has an
account here."""

import datetime as dt

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed, ServiceError
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.throttle import allow

from ..links import link_found, link_issue, link_used, sent_lately
from ..models import OneTimeLink, RoleAssignment, User, normalise_email

CONFIRM = OneTimeLink.Purpose.CONFIRM_EMAIL
CONFIRM_HOURS = 48
SIGN_UPS_PER_ADDRESS = 10  # an hour, from one client address (a family centre may share one)
SIGN_UPS_PER_EMAIL = 3


class LinkProblem(ServiceError):
    """The link is expired, used, or was never ours: the page says which and offers another."""

    def __init__(self, message: str, *, used: bool = False, renewable: bool = False):
        super().__init__(message)
        self.used = used
        self.renewable = renewable  # expired, so a new one may be sent on the same terms


def _throttle(*, email: str, client: str) -> None:
    if not (allow("sign-up", client, limit=SIGN_UPS_PER_ADDRESS) and allow("sign-up", email, limit=SIGN_UPS_PER_EMAIL)):
        raise NotAllowed("Too many accounts have been asked for from here in the last hour. Try again in an hour.")


@transaction.atomic
def account_open(
    *,
    authority,
    full_name: str,
    email: str,
    password: str,
    role: str,
    client: str,
    organisation=None,
    next_step: str = "",
) -> User | None:
    """A new account holding `role` once its email is confirmed, and the emailed link to
    confirm it. None when the address already has an account: its owner is told by email,
    with `next_step` (what to do, signed in, to finish what they started); the caller shows
    the same page either way."""
    email = normalise_email(email)
    _throttle(email=email, client=client)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        if existing.email_confirmed:
            _tell_owner(existing, authority, next_step)
        else:
            confirmation_send(user=existing, authority=authority)
        return None
    user = User(email=email, username=email, full_name=full_name.strip(), email_confirmed=False)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(
        user=user, authority=authority, role=role, organisation=organisation, administers=organisation is not None
    )
    audit_record(
        authority=authority,
        actor=None,
        action=Audit.ACCOUNT_OPENED,
        target=user,
        summary=f"{user.display_name} opened an account ({RoleAssignment(role=role).get_role_display()})",
    )
    confirmation_send(user=user, authority=authority)
    return user


def _tell_owner(user: User, authority, next_step: str) -> None:
    email_after_commit(
        to=[user.email],
        subject="You already have a short breaks account",
        body=(
            f"Hello {user.display_name},\n\n"
            "Someone asked to create a short breaks account with this email address. You already have one, "
            "so nothing has changed.\n\n"
            f"Sign in: {absolute(authority, 'accounts:sign-in')}\n"
            f"If you have forgotten your password, set a new one: {absolute(authority, 'accounts:password-reset')}\n"
            + (f"\n{next_step}\n" if next_step else "")
        ),
        why="someone tried to open an account with your email address. If it was not you, you need do nothing",
        authority=authority,
    )


def confirmation_send(*, user: User, authority) -> bool:
    """Email a link that confirms the address; at most one a minute."""
    if sent_lately(user=user, purpose=CONFIRM, within=dt.timedelta(minutes=1)):
        return False
    _, token = link_issue(user=user, purpose=CONFIRM, hours=CONFIRM_HOURS, authority=authority)
    email_after_commit(
        to=[user.email],
        subject="Confirm your email address for short breaks",
        body=(
            f"Hello {user.display_name},\n\n"
            "To finish opening your account, confirm this is your email address by opening this link. "
            f"It works once, for {CONFIRM_HOURS} hours:\n\n"
            f"{absolute(authority, 'accounts:confirm-email', token)}\n"
        ),
        why="you asked for a short breaks account with this email address. If you did not, ignore this email "
        "and no account will be opened",
        authority=authority,
    )
    return True


@transaction.atomic
def confirmation_resend(*, authority, email: str, client: str) -> None:
    """Another link for an account that is still waiting; nothing (and no sign of it) otherwise."""
    if not allow("confirm-resend", client, limit=SIGN_UPS_PER_ADDRESS):
        raise NotAllowed("Too many links have been asked for from here in the last hour. Try again in an hour.")
    user = User.objects.filter(email=normalise_email(email), email_confirmed=False, is_active=True).first()
    if user is not None:
        confirmation_send(user=user, authority=authority)


@transaction.atomic(durable=True)
def email_confirm(*, token: str) -> User:
    link = link_found(token=token, purpose=CONFIRM)
    if link is None:
        raise LinkProblem("This link is not right. Copy the whole link from the email, or ask for a new one.")
    link = OneTimeLink.objects.select_for_update(of=("self",)).select_related("user").get(pk=link.pk)
    user = link.user
    if link.used_at is not None or user.email_confirmed:
        raise LinkProblem("This link has already been used: your email address is confirmed. Sign in.", used=True)
    if not link.usable(timezone.now()):
        raise LinkProblem(f"This link has expired: links work for {CONFIRM_HOURS} hours. Ask for a new one.")
    user.email_confirmed = True
    user.save(update_fields=["email_confirmed"])
    link_used(link_id=link.pk)
    if link.authority is not None:
        audit_record(
            authority=link.authority,
            actor=user,
            action=Audit.ACCOUNT_CONFIRMED,
            target=user,
            summary=f"{user.display_name} confirmed their email address",
        )
    return user
