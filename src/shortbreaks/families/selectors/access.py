"""Who may see which families. Children's needs and health are special category data:

- a parent or carer sees only the families they are a carer in;
- a young person with their own account sees only their own record;
- council officers see their authority's whole caseload;
- commissioners see figures and family references (for the what-if), never a child's record;
- everyone else, providers included, sees none of it.
"""

from django.db.models import QuerySet

from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role

from ..models import Child, Family


def families_visible_to(*, user, authority: Authority) -> QuerySet[Family]:
    families = Family.objects.filter(authority=authority)
    roles = user.roles_in(authority)
    if Role.OFFICER in roles:
        return families
    if Role.PARENT in roles:
        return families.filter(carers__user=user).distinct()
    return families.none()


def children_of_carer(*, user, authority: Authority) -> QuerySet[Child]:
    """The children in the families this person is a carer in: the ones they may book for."""
    return Child.objects.filter(authority=authority, family__carers__user=user).distinct()


def children_visible_to(*, user, authority: Authority) -> QuerySet[Child]:
    children = Child.objects.filter(authority=authority)
    roles = user.roles_in(authority)
    if Role.OFFICER in roles:
        return children
    visible = children.none()
    if Role.PARENT in roles:
        visible = children_of_carer(user=user, authority=authority)
    if Role.YOUNG_PERSON in roles:
        visible = visible | children.filter(user=user)
    return visible.distinct()
