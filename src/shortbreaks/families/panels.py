"""Families' parts of earlier apps' pages (see core/panels.py), registered in apps.py: on a
person's account settings, the way to ask for a copy of their family's information (for
parents and carers only)."""

from shortbreaks.core.roles import Role


def settings_panel(user, authority):
    return {"is_parent": Role.PARENT in user.roles_in(authority)}
