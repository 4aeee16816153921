"""Public and provider-facing eligibility pages."""

from django.shortcuts import render

from shortbreaks.core.access import public, roles
from shortbreaks.core.roles import Role

from ..forms.eligibility import CodeCheckForm
from ..services.eligibility import TooManyChecks, eligibility_check_code, policy_in_force


@public
def criteria(request):
    """Who can get targeted short breaks: the criteria in force, as the council published them."""
    return render(request, "families/public/criteria.html", {"policy": policy_in_force(request.authority)})


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
