"""Who may see which families. Children's needs and health are special category data:

- a parent or carer sees only the families they are a carer in, and in them only the
  children still theirs to see (below);
- a young person with their own account sees only their own record;
- council officers see their authority's whole caseload;
- commissioners see figures and family references (for the what-if), never a child's record;
- everyone else, providers included, sees none of it.

Growing up: once a young person who has their own account (Child.user set) reaches the
authority's `parents_see_until_age` (accounts.AccountPolicy, 18 unless the council says
otherwise), their record is theirs alone. Their parents and carers no longer see it, book for
it or read its budget: `children_of_carer` leaves it out, and every page, service and API that
reads or writes a family's children goes through it. A young person without an account of their
own stays with their parents (someone has to be able to book for them); an authority with no
age set (None) keeps every record visible to its parents. Officers see every record either way.
Ages are worked out on today's date in the authority's time zone (timezone.localdate())."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from shortbreaks.accounts.selectors import account_policy
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role

from ..models import Child, Family


def _birthday_years_ago(today: dt.date, years: int) -> dt.date:
    """The latest date of birth that makes someone `years` old today (29 February counts as
    28 February in a year without one)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def grown_up(authority: Authority) -> Q:
    """Children whose record is their own alone: with their own account, and at or past the
    authority's `parents_see_until_age`. Matches nothing when the authority sets no age."""
    until = account_policy(authority).parents_see_until_age
    if until is None:
        return Q(pk__in=[])
    return Q(user__isnull=False, date_of_birth__lte=_birthday_years_ago(timezone.localdate(), until))


def families_visible_to(*, user, authority: Authority) -> QuerySet[Family]:
    """The families themselves (reference, postcode, carers): a carer still sees their family
    when one of its young people has grown up; which children they see is children_of_carer."""
    families = Family.objects.filter(authority=authority)
    roles = user.roles_in(authority)
    if Role.OFFICER in roles:
        return families
    if Role.PARENT in roles:
        return families.filter(carers__user=user).distinct()
    return families.none()


def children_of_carer(*, user, authority: Authority) -> QuerySet[Child]:
    """The children in the families this person is a carer in, less those grown up with their
    own account (above): the ones they may see and book for. The one rule for every read and
    write of a family's children and bookings (the bookings API included)."""
    return Child.objects.filter(authority=authority, family__carers__user=user).exclude(grown_up(authority)).distinct()


def children_grown_up(*, user, authority: Authority) -> QuerySet[Child]:
    """The carer's children whose records are now their own: only so the parent's page can say
    why they are no longer shown (first names only)."""
    return Child.objects.filter(grown_up(authority), authority=authority, family__carers__user=user).distinct()


def children_visible_to(*, user, authority: Authority) -> QuerySet[Child]:
    children = Child.objects.filter(authority=authority)
    roles = user.roles_in(authority)
    if Role.OFFICER in roles:
        return children
    visible = Q(pk__in=[])
    if Role.PARENT in roles:
        visible |= Q(pk__in=children_of_carer(user=user, authority=authority).values("pk"))
    if Role.YOUNG_PERSON in roles:
        visible |= Q(user=user)
    return children.filter(visible)
