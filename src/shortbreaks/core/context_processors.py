from shortbreaks.core.roles import STAFF_ROLES, Role


def site(request):
    authority = getattr(request, "authority", None)
    user = getattr(request, "user", None)
    user_roles = user.roles_in(authority) if user is not None and user.is_authenticated else frozenset()
    return {
        "authority": authority,
        "user_roles": user_roles,
        "is_staff_member": bool(user_roles & STAFF_ROLES),
        "is_commissioner": Role.COMMISSIONER in user_roles,
        "is_buyer": bool(user_roles & {Role.COMMISSIONER, Role.PROCUREMENT_OFFICER}),
        "is_provider": Role.PROVIDER in user_roles,
        "is_officer": Role.OFFICER in user_roles,
        "is_administrator": Role.ADMINISTRATOR in user_roles,
        "is_panel_member": Role.PANEL_MEMBER in user_roles,
        "is_young_person": Role.YOUNG_PERSON in user_roles,
        "is_safeguarding": Role.SAFEGUARDING_OFFICER in user_roles,
        "is_parent": Role.PARENT in user_roles,
        "is_assistant": Role.PERSONAL_ASSISTANT in user_roles,
        "is_family": bool(user_roles & {Role.PARENT, Role.YOUNG_PERSON}),
    }
