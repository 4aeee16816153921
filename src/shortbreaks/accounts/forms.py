from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.template import loader

from shortbreaks.core.roles import STAFF_ROLES, Role
from shortbreaks.core.tasks import email_after_commit

from .models import normalise_email


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. The password is case-sensitive.",
        "inactive": "This account has been switched off. Contact the council to switch it back on.",
    }

    def clean_username(self):
        return normalise_email(self.cleaned_data["username"])

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            # Someone who knows the password of a switched-off account is told it is switched
            # off (the backend refuses it as if the password were wrong).
            from .models import User

            data = self.cleaned_data
            account = User.objects.filter(email=data.get("username", ""), is_active=False, closed_at__isnull=True)
            account = account.first()
            if error.code == "invalid_login" and account and account.check_password(data.get("password") or ""):
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise


EMAIL_INVALID = "Enter an email address in the right format, like name@example.com"


class AccountEmailField(forms.EmailField):
    """An address that names a person's account: cleaned to the form it is stored in."""

    def to_python(self, value):
        return normalise_email(super().to_python(value))


def email_field(
    label="Email address", required_message="Enter your email address", autocomplete="email", **kwargs
) -> AccountEmailField:
    """`autocomplete="off"` where the address typed is someone else's (an invitation)."""
    return AccountEmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        error_messages={"required": required_message, "invalid": EMAIL_INVALID},
        **kwargs,
    )


def name_field(label="Your full name", required_message="Enter your full name") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": required_message},
    )


class NewAccountPasswords(forms.Form):
    """A password chosen twice, checked by Django's validators against the person's details."""

    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters, not a common password, and not your name or email address.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again"},
    )

    def person(self):
        """Who the password is for, so it can be checked against their name and email."""
        from .models import User

        return User(email=self.cleaned_data.get("email", ""), full_name=self.cleaned_data.get("full_name", ""))

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match. Type the same password twice.")
        elif first:
            try:
                password_validation.validate_password(first, self.person())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SignUpForm(NewAccountPasswords):
    full_name = name_field()
    email = email_field(help_text="We will send a link to this address to check it is yours.")
    agree = forms.BooleanField(
        label="I have read how the council uses my information (the privacy notice)",
        error_messages={"required": "Confirm you have read the privacy notice"},
    )
    field_order = ["full_name", "email", "password1", "password2", "agree"]


class ResendConfirmationForm(forms.Form):
    email = email_field()


class AcceptInvitationForm(NewAccountPasswords):
    """Opening an account from an invitation: the address is the invitation's."""

    full_name = name_field()
    field_order = ["full_name", "password1", "password2"]

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def person(self):
        from .models import User

        return User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))


class ConfirmForm(forms.Form):
    """A button with nothing to type: accepting an invitation into an account one already has."""


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        help_text="To check it is you closing the account.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That password is not right. Enter the password you sign in with.")
        return self.cleaned_data["password"]


STAFF_CHOICES = [(r.value, r.label) for r in Role if r in STAFF_ROLES]


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=STAFF_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one role. To stop someone working here, switch their account off",
            "invalid_choice": "Choose from the roles listed",
        },
        help_text="Commissioners see the market and money; procurement officers run tenders; officers hold the "
        "caseload; safeguarding officers see alerts; administrators manage staff.",
    )


class StaffInviteForm(StaffRolesForm):
    full_name = name_field(label="Full name", required_message="Enter the person's full name")
    email = email_field(label="Work email address", required_message="Enter their work email address")
    field_order = ["full_name", "email", "roles"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].error_messages["required"] = "Choose at least one role"


class ResetRequestForm(PasswordResetForm):
    email = email_field()

    def save(self, *args, request=None, **kwargs):
        self.authority = getattr(request, "authority", None)
        return super().save(*args, request=request, **kwargs)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Hand the email to the background worker instead of sending it in the request. The
        link is on the host the person asked from: their council's own."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_after_commit(
            to=[to_email],
            subject=subject,
            body=body,
            why="someone asked to reset the password of the account with this email address",
            authority=self.authority,
        )


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
