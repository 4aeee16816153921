"""A person's own account: who it says they are, and closing it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render

from shortbreaks.core.access import signed_in
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms import CloseAccountForm
from ..selectors import account_policy
from ..services.closing import account_close


@signed_in
def settings(request):
    return render(
        request,
        "accounts/settings.html",
        {"roles": sorted(Role(r).label for r in request.user.roles_in(request.authority))},
    )


@signed_in
def close(request):
    form = CloseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_close(user=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, "Your account is closed. You have been signed out.")
            return redirect("directory:home")
    roles = request.user.roles_in(request.authority)
    return render(
        request,
        "accounts/close.html",
        {
            "form": form,
            "policy": account_policy(request.authority),
            "is_family": bool(roles & {Role.PARENT, Role.YOUNG_PERSON}),
            "is_provider": Role.PROVIDER in roles,
            "is_assistant": Role.PERSONAL_ASSISTANT in roles,
        },
    )
