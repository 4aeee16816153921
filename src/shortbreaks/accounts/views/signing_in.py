"""Sign-in, sign-out and password reset: Django's own views with our templates. Failed
sign-ins are throttled by django-axes (see AXES_* settings)."""

import base64

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from shortbreaks.core.access import public, signed_in

from ..forms import NewPasswordForm, OneTimeCodeForm, ResetRequestForm, SignInForm
from ..links import link_used
from ..models import OneTimeLink
from ..second_factor import link_for, link_send
from ..two_factor import needs_two_factor

sign_in = public(
    auth_views.LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
sign_out = signed_in(auth_views.LogoutView.as_view())
password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        form_class=ResetRequestForm,
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password-reset-sent"),
    )
)
password_reset_sent = public(
    auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_sent.html",
    )
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=NewPasswordForm,
        success_url=reverse_lazy("accounts:password-reset-complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html",
    )
)


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when sign-in is throttled."""
    return render(request, "accounts/locked_out.html", status=429)


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@signed_in
def two_factor(request):
    """The second step of signing in for staff: enter the code from an authenticator app, the
    first time after scanning a QR code (or typing the key) to set the app up."""
    next_url = _next_url(request)
    if not needs_two_factor(request.user) or request.user.is_verified():
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        # Only someone who opened the emailed link in this session may set the app up.
        link = OneTimeLink.objects.filter(
            pk=request.session.get(LINK_SESSION_KEY), user=request.user, purpose=OneTimeLink.Purpose.SECOND_FACTOR
        ).first()
        if link is None or not link.usable(timezone.now()):
            return _send_the_link(request, next_url)
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", "Too many wrong codes. Wait a minute, then enter the newest code.")
        elif device.verify_token(form.cleaned_data["code"].strip()):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                link_used(link_id=request.session.pop(LINK_SESSION_KEY))
            otp_login(request, device)
            return redirect(next_url)
        else:
            form.add_error(
                "code",
                "That code is not right. Enter the newest code from your app; if it still "
                "fails, check the time on your phone is set automatically.",
            )
    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(request, "accounts/two_factor.html", context)


LINK_SESSION_KEY = "second_factor_link"


def _send_the_link(request, next_url):
    """Staff with no authenticator app yet: the set-up happens only from the emailed link."""
    resend = request.method == "POST" and request.POST.get("send") == "again"
    sent = link_send(user=request.user, authority=request.authority, force=resend)
    return render(
        request,
        "accounts/two_factor_email.html",
        {"sent": sent, "resend": resend, "email": request.user.email, "next": next_url},
    )


@public
def two_factor_link(request, token):
    """The emailed link: after signing in with the password, it opens the set-up of the app."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    link = link_for(user=request.user, token=token)
    if link is None:
        return render(request, "accounts/two_factor_link_invalid.html", status=410)
    request.session[LINK_SESSION_KEY] = str(link.pk)
    return redirect("accounts:two-factor")
