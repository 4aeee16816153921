"""Reads about people, their roles, and the authority's rules for accounts."""

from django.db.models import Prefetch

from shortbreaks.core.roles import STAFF_ROLES, Role

from .models import AccountPolicy, Invitation, RoleAssignment, User

# Where each role lands after signing in (by URL name, so this app names later apps' pages
# without importing them).
HOMES = {
    Role.COMMISSIONER: ("insight:home", "At a glance: the market, money and needs"),
    Role.PROCUREMENT_OFFICER: ("procurement:list", "Procurements"),
    Role.OFFICER: ("families:caseload", "The caseload"),
    Role.SAFEGUARDING_OFFICER: ("contracts:safeguarding", "Safeguarding alerts"),
    Role.ADMINISTRATOR: ("accounts:staff", "Council staff and their roles"),
    Role.PROVIDER: ("directory:provider-home", "Your organisation"),
    Role.PARENT: ("families:home", "Your family"),
    Role.YOUNG_PERSON: ("families:me", "Your short breaks"),
    Role.PERSONAL_ASSISTANT: ("assistants:home", "Your personal assistant's home"),
    Role.PANEL_MEMBER: ("procurement:my-evaluations", "Your evaluations"),
}
# The order homes are offered in, to someone with several roles.
HOME_ORDER = list(HOMES)


def account_policy(authority) -> AccountPolicy:
    """The newest version is in force; every authority is given one when it is made."""
    return AccountPolicy.objects.filter(authority=authority).first() or AccountPolicy(authority=authority)


def emails_of(*, authority, role) -> list[str]:
    """Where to tell everyone holding a role in an authority (switched-off accounts left out)."""
    return list(
        RoleAssignment.objects.filter(authority=authority, role=role, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def staff_of(*, authority):
    """Everyone holding a council staff role here, with those roles, by name."""
    return (
        User.objects.filter(role_assignments__authority=authority, role_assignments__role__in=STAFF_ROLES)
        .distinct()
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(authority=authority, role__in=STAFF_ROLES),
                to_attr="staff_roles_here",
            )
        )
        .order_by("full_name", "email")
    )


def pending_invitations(*, authority, purpose: str, subject_id: str = "", organisation=None):
    invitations = Invitation.objects.filter(
        authority=authority, purpose=purpose, accepted_at__isnull=True, withdrawn_at__isnull=True
    )
    if subject_id:
        invitations = invitations.filter(subject_id=str(subject_id))
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    return invitations.select_related("invited_by")
