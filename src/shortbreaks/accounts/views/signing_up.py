"""Opening an account as a parent or carer, and confirming its email. The pages look the
same whether or not the address already has an account (services/signup.py)."""

from django.contrib.auth import login
from django.shortcuts import redirect, render

from shortbreaks.core.access import public
from shortbreaks.core.clients import client_ip
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.models import SitePage
from shortbreaks.core.roles import Role
from shortbreaks.core.site_pages import as_html, site_page

from ..forms import ResendConfirmationForm, SignUpForm
from ..selectors import account_policy
from ..services.signup import LinkProblem, account_open, confirmation_resend, email_confirm

SENT_TO = "sign_up_sent_to"


@public
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account_open(
                authority=request.authority,
                full_name=data["full_name"],
                email=data["email"],
                password=data["password1"],
                role=Role.PARENT,
                client=client_ip(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            request.session[SENT_TO] = data["email"]
            return redirect("accounts:check-email")
    return render(request, "accounts/sign_up.html", {"form": form})


@public
def check_email(request):
    """Where sign-up leads, and where someone waiting for the link can ask for another."""
    form = ResendConfirmationForm(request.POST or None, initial={"email": request.session.get(SENT_TO, "")})
    resent = False
    if request.method == "POST" and form.is_valid():
        try:
            confirmation_resend(
                authority=request.authority, email=form.cleaned_data["email"], client=client_ip(request)
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            resent = True
    return render(
        request,
        "accounts/check_email.html",
        {"form": form, "email": request.session.get(SENT_TO, ""), "resent": resent},
    )


@public
def confirm_email(request, token):
    try:
        user = email_confirm(token=token)
    except LinkProblem as problem:
        return render(
            request,
            "accounts/link_problem.html",
            {"problem": problem.message, "used": problem.used, "form": ResendConfirmationForm()},
            status=410,
        )
    if not request.user.is_authenticated or request.user == user:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return render(request, "accounts/email_confirmed.html", {"confirmed": user})


@public
def privacy_notice(request):
    """The council's privacy notice in its own words (core/site_pages.py), then how long it
    keeps records, from its account policy so the two never disagree. Anyone may read it."""
    page = site_page(request.authority, SitePage.Kind.PRIVACY)
    return render(
        request,
        "accounts/privacy.html",
        {"policy": account_policy(request.authority), "page": page, "html": as_html(page.body) if page else ""},
    )
