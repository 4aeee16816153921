"""Public and provider-facing eligibility pages."""

from django.shortcuts import render

from shortbreaks.core.access import public, roles
from shortbreaks.core.roles import Role

from ..forms.eligibility import CodeCheckForm
from ..models import Eligibility, EligibilityApplication
from ..selectors.access import children_of_carer
from ..services.eligibility import TooManyChecks, eligibility_check_code, policy_in_force


def _may_apply(user, authority):
    """The parent's children with neither eligibility nor an application waiting."""
    return (
        children_of_carer(user=user, authority=authority)
        .exclude(eligibilities__status=Eligibility.Status.ACTIVE)
        .exclude(
            applications__status__in=[
                EligibilityApplication.Status.SUBMITTED,
                EligibilityApplication.Status.REVIEW_REQUESTED,
            ]
        )
    )


@public
def criteria(request):
    """Who can get targeted short breaks: the criteria in force, as the council published them,
    and the way to apply: an account for someone signed out; their children (or the form to tell
    us about one) for a parent."""
    user = request.user
    is_parent = user.is_authenticated and Role.PARENT in user.roles_in(request.authority)
    return render(
        request,
        "families/public/criteria.html",
        {
            "policy": policy_in_force(request.authority),
            "signed_out": not user.is_authenticated,
            "parent_children": list(_may_apply(user, request.authority)) if is_parent else None,
        },
    )


@roles(Role.PROVIDER)
def code_check(request):
    """A provider checks a family's eligibility code: valid or not, with the child's first name
    and year of birth to match them at the door, and nothing more."""
    form = CodeCheckForm(request.POST or None)
    result, checked = None, False
    if request.method == "POST" and form.is_valid():
        try:
            result = eligibility_check_code(
                authority=request.authority, code=form.cleaned_data["code"], checked_by=request.user
            )
        except TooManyChecks as refused:
            form.add_error("code", refused.message)
        else:
            checked = True
    return render(request, "families/public/code_check.html", {"form": form, "result": result, "checked": checked})
