"""Offering one's services as a personal assistant. Signed out: an account and the start of the
profile, with the page after it the same whether or not the address already had an account
(registration.py). Signed in: the start of the profile, added to the account."""

from django.contrib import messages
from django.shortcuts import redirect, render

from shortbreaks.accounts.views.signing_up import SENT_TO
from shortbreaks.core.access import public
from shortbreaks.core.clients import client_ip
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.postcodes import PostcodeError
from shortbreaks.core.roles import Role

from ..forms import RegisterForm, StartProfileForm
from ..models import Assistant
from ..registration import assistant_profile_start, assistant_register


@public
def register(request):
    signed_in = request.user.is_authenticated
    if signed_in and (
        Role.PERSONAL_ASSISTANT in request.user.roles_in(request.authority)
        or Assistant.objects.filter(user=request.user, authority=request.authority).exists()
    ):
        return redirect("assistants:home")
    form = (StartProfileForm if signed_in else RegisterForm)(
        request.POST or None, initial={"display_name": request.user.full_name} if signed_in else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if signed_in:
                assistant_profile_start(
                    authority=request.authority,
                    user=request.user,
                    display_name=data["display_name"],
                    postcode=data["postcode"],
                )
            else:
                assistant_register(
                    authority=request.authority,
                    full_name=data["full_name"],
                    email=data["email"],
                    password=data["password1"],
                    display_name=data["display_name"],
                    postcode=data["postcode"],
                    client=client_ip(request),
                )
        except PostcodeError as error:
            form.add_error("postcode", str(error))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if signed_in:
                messages.success(request, "Your profile is started. Add the rest, then ask to be vetted.")
                return redirect("assistants:home")
            request.session[SENT_TO] = data["email"]
            return redirect("accounts:check-email")
    return render(request, "assistants/register.html", {"form": form, "signed_in": signed_in})
