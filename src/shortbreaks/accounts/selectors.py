"""Reads about people and their roles."""

from .models import RoleAssignment


def emails_of(*, authority, role) -> list[str]:
    """Where to tell everyone holding a role in an authority (switched-off accounts left out)."""
    return list(
        RoleAssignment.objects.filter(authority=authority, role=role, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )
