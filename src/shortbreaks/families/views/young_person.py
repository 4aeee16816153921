"""The young person's own page: written for them, about their own record only. What they have
booked, feedback and the panels they sit on belong to later apps, which put them here through
the "families.young-person" panel slot (core/panels.py)."""

from django.shortcuts import render

from shortbreaks.accounts.selectors import account_policy
from shortbreaks.core.access import roles
from shortbreaks.core.roles import Role

from ..models import Allocation, Child, Eligibility


@roles(Role.YOUNG_PERSON)
def me(request):
    child = (
        Child.objects.filter(authority=request.authority, user=request.user).select_related("family", "budget").first()
    )
    if child is not None:
        child.current = child.allocations.filter(status=Allocation.Status.ACTIVE).first()
        child.eligibility = child.eligibilities.filter(status=Eligibility.Status.ACTIVE).first()
    return render(
        request,
        "families/young_person/me.html",
        {"child": child, "account_policy": account_policy(request.authority)},
    )
