from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.template import loader

from shortbreaks.core.tasks import email_after_commit


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Contact the council to switch it back on.",
    }


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Hand the email to the background worker instead of sending it in the request."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_after_commit(to=[to_email], subject=subject, body=body)


class NewPasswordForm(SetPasswordForm):
    def save(self, commit=True):
        """A new password set from the emailed link also lifts a lock-out: whoever reads that
        email is the account's owner, so a stranger's failed guesses cannot keep them out."""
        from axes.utils import reset

        user = super().save(commit=commit)
        reset(username=user.get_username())
        return user


class OneTimeCodeForm(forms.Form):
    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": "Enter the 6-digit code", "invalid": "Enter the 6-digit code, like 123456"},
    )
