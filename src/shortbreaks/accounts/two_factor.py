"""Who must confirm their sign-in with a one-time code: council staff (commissioners,
procurement officers, officers) in any authority, and administrators."""

from .roles import STAFF_ROLES


def needs_two_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = user.__dict__.get("_needs_two_factor")
    if cached is None:
        cached = user.role_assignments.filter(role__in=STAFF_ROLES).exists()
        user.__dict__["_needs_two_factor"] = cached
    return cached
