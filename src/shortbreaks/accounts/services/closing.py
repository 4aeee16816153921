"""Closing an account. The person can no longer sign in and the account forgets who they were;
what the council must keep (a child's record, bookings, payments, decisions, the audit log)
is the council's record, not the account's, and stays with the council for as long as its
account policy says."""

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shortbreaks.accounts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role

from ..models import RoleAssignment, User

# The directory's Organisation, reached through the role (accounts is below directory).
Organisation = RoleAssignment._meta.get_field("organisation").related_model

CLOSED = "Closed account"


def _keeps_administrators(user: User) -> None:
    for assignment in user.role_assignments.filter(role=Role.ADMINISTRATOR).select_related("authority"):
        if not RoleAssignment.objects.filter(authority=assignment.authority, role=Role.ADMINISTRATOR).exclude(
            user=user
        ):
            raise NotAllowed(
                f"You are {assignment.authority.name}'s only administrator. Make someone else an administrator first."
            )
    for assignment in user.role_assignments.filter(administers=True).select_related("organisation"):
        others = RoleAssignment.objects.filter(organisation=assignment.organisation, administers=True).exclude(
            user=user
        )
        if not others.exists():
            raise NotAllowed(
                f"You are the only administrator of {assignment.organisation.name}. Hand the role to a colleague first."
            )


def account_anonymise(user: User, *, how: str = "closed", name: str = CLOSED) -> None:
    """Switched off and stripped of who they were: no name, email, phone, password or app.
    `how` says why in the address left behind (closed, or erased on request)."""
    user.role_assignments.all().delete()
    TOTPDevice.objects.filter(user=user).delete()
    user.username = user.email = f"{how}-{user.pk}@invalid"
    user.full_name, user.first_name, user.last_name, user.phone = name, "", "", ""
    user.is_active = False
    user.closed_at = timezone.now()
    user.set_unusable_password()
    user.save()


@transaction.atomic(durable=True)
def account_close(*, user: User) -> None:
    authorities = list(
        Authority.objects.select_for_update().filter(pk__in=user.role_assignments.values("authority")).order_by("pk")
    )
    # The organisations they administer are locked too, as their colleagues' changes lock them,
    # so a colleague stepping down at the same moment cannot leave one without an administrator.
    list(
        Organisation.objects.select_for_update()
        .filter(pk__in=user.role_assignments.filter(administers=True).values("organisation"))
        .order_by("pk")
    )
    _keeps_administrators(user)
    held = sorted({Role(r).label for r in user.role_assignments.values_list("role", flat=True)})
    for authority in authorities:
        audit_record(
            authority=authority,
            actor=user,
            action=Audit.ACCOUNT_CLOSED,
            target=user,
            summary=f"{user.display_name} closed their account",
            details={"roles": held},
        )
    account_anonymise(user)
