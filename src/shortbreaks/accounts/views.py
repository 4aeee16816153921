"""Sign-in, sign-out and password reset: Django's own views with our templates. Failed
sign-ins are throttled by django-axes (see AXES_* settings)."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from shortbreaks.core.access import public, signed_in

from .forms import NewPasswordForm, ResetRequestForm, SignInForm

sign_in = public(auth_views.LoginView.as_view(
    template_name="accounts/sign_in.html", authentication_form=SignInForm,
    redirect_authenticated_user=True,
))
sign_out = signed_in(auth_views.LogoutView.as_view())
password_reset = public(auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html", form_class=ResetRequestForm,
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-sent"),
))
password_reset_sent = public(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html",
))
password_reset_confirm = public(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", form_class=NewPasswordForm,
    success_url=reverse_lazy("accounts:password-reset-complete"),
))
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
))


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when sign-in is throttled."""
    return render(request, "accounts/locked_out.html", status=429)
