"""Opening an invitation: someone with no account chooses a name and password here; someone
with one signs in and accepts. Staff then set up their authenticator app in the same visit."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse

from shortbreaks.core.access import public
from shortbreaks.core.errors import ServiceError

from ..forms import AcceptInvitationForm, ConfirmForm
from ..second_factor import enrolment_granted
from ..services.invitations import account_for, invitation_accept, invitation_open, invitation_renew
from ..services.signup import LinkProblem
from .signing_in import LINK_SESSION_KEY


@public
def invitation(request, token):
    try:
        invitation = invitation_open(token=token)
    except LinkProblem as problem:
        return _problem(request, token, problem)
    existing = account_for(invitation)
    signed_in = request.user.is_authenticated
    if existing is not None and not signed_in:
        messages.info(request, "You already have an account with this email address. Sign in to accept the invitation.")
        return redirect_to_login(request.get_full_path())
    if signed_in:
        form = ConfirmForm(request.POST if request.method == "POST" else None)
    else:
        form = AcceptInvitationForm(
            request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
        )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                user=request.user if signed_in else None,
                full_name=form.cleaned_data.get("full_name", ""),
                password=form.cleaned_data.get("password1", ""),
            )
        except LinkProblem as problem:
            return _problem(request, token, problem)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if invitation.gives_staff_role and not (signed_in and request.user.is_verified()):
                # The invitation proved the address: the app is set up now, in this visit.
                request.session[LINK_SESSION_KEY] = str(enrolment_granted(user=user).pk)
                return redirect(f"{reverse('accounts:two-factor')}?next={reverse('accounts:home')}")
            messages.success(request, "Invitation accepted.")
            return redirect("accounts:home")
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "form": form, "signed_in": signed_in},
    )


def _problem(request, token, problem):
    renewed = False
    if request.method == "POST" and ConfirmForm(request.POST).is_valid() and problem.renewable:
        try:
            renewed = invitation_renew(token=token)
        except ServiceError as error:
            messages.error(request, error.message)
    return render(
        request,
        "accounts/invitation_problem.html",
        {
            "problem": problem.message,
            "used": problem.used,
            "renewable": problem.renewable,
            "renewed": renewed,
            "form": ConfirmForm(),
        },
        status=410,
    )
