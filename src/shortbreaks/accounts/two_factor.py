"""Who must confirm their sign-in with a one-time code: council staff (commissioners,
procurement officers, officers) in any authority, and administrators."""

from shortbreaks.core.roles import STAFF_ROLES


def needs_two_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(role in STAFF_ROLES for _, role in user.all_roles())
