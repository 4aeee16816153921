"""Each person's home. After signing in, everyone lands here and is sent on to the home of
their role; someone with several roles, or roles at several councils, chooses."""

from django.shortcuts import redirect, render
from django.urls import reverse

from shortbreaks.core.access import signed_in
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import site_url

from ..selectors import HOME_ORDER, HOMES


def homes_here(user, authority) -> list[dict]:
    held = user.roles_in(authority)
    return [
        {"role": Role(role).label, "url": reverse(HOMES[role][0]), "what": HOMES[role][1]}
        for role in HOME_ORDER
        if role in held
    ]


@signed_in
def home(request):
    user = request.user
    if not user.email_confirmed:
        return render(request, "accounts/confirm_first.html", {"email": user.email})
    here = homes_here(user, request.authority)
    elsewhere = [
        {"name": authority.name, "url": site_url(authority) + reverse("accounts:home")}
        for authority in Authority.objects.filter(pk__in={a for a, _ in user.all_roles()}).exclude(
            pk=request.authority.pk
        )
    ]
    if len(here) == 1 and not elsewhere:
        return redirect(here[0]["url"])
    return render(request, "accounts/home.html", {"homes": here, "elsewhere": elsewhere})
