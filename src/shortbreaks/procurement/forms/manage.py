"""The forms on an opportunity's page, one a button (views/manage.py, views/decisions.py). Ids
that arrive in hidden fields are choices from querysets scoped to the opportunity, so a
malformed or foreign one is a form error; submissions come only from selectors/sealing.py."""

from django import forms

from shortbreaks.accounts.forms import email_field
from shortbreaks.accounts.models import User
from shortbreaks.core.form_fields import (
    ButtonForm,
    PoundsField,
    RowChoiceField,
    RowForm,
    date_field,
    row_field,
    text_field,
)

from ..models import Clarification, Lot, Membership, Question


class ClarificationAnswerForm(ButtonForm, RowForm):
    row = "clarification"
    clarification = row_field(Clarification.objects.none(), "Choose a question asked about this opportunity")
    answer = text_field(
        "Answer, published to every provider without saying who asked",
        max_length=4000,
        required_message="Write the answer to publish",
        textarea=True,
    )

    def __init__(self, *args, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clarification"].queryset = opportunity.clarifications.filter(published_at__isnull=True)


PANELS_WITH_SHARES = [(Question.Panel.PARENTS, "Parents' panel"), (Question.Panel.YOUNG_PEOPLE, "Young people's panel")]


class PanelShareForm(forms.Form):
    panel = forms.ChoiceField(
        label="Panel",
        choices=PANELS_WITH_SHARES,
        error_messages={
            "required": "Choose the panel",
            "invalid_choice": "Choose the parents' or young people's panel",
        },
    )
    share = forms.IntegerField(
        label="Share of the quality marks (%)",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Give the share as a whole number from 0 to 100",
            "invalid": "Give the share as a whole number from 0 to 100",
            "min_value": "Give the share as a whole number from 0 to 100",
            "max_value": "Give the share as a whole number from 0 to 100",
        },
    )


class EvaluatorForm(forms.Form):
    email = email_field(label="Their email address", required_message="Enter their email address", autocomplete="off")
    panel = forms.ChoiceField(
        label="Panel",
        choices=Question.Panel.choices,
        error_messages={"required": "Choose the panel", "invalid_choice": "Choose one of the panels"},
    )
    moderator = forms.BooleanField(label="Moderator (agrees the final scores)", required=False)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority

    def clean_email(self):
        email = self.cleaned_data["email"]
        # Only people of this council are looked up: whether an address has an account
        # elsewhere on the installation, and whose it is, is not this council's to learn.
        user = User.objects.filter(email__iexact=email, role_assignments__authority=self.authority).distinct().first()
        if user is None:
            raise forms.ValidationError(
                f"Nobody with that email address has a role at {self.authority.name}. "
                "Give them a role here first, then add them."
            )
        self.cleaned_data["user"] = user
        return email


class AwardForm(ButtonForm, RowForm):
    row = "lot"
    lot = row_field(Lot.objects.none(), "Choose a lot of this opportunity not yet awarded")
    conditions = text_field("Conditions of the grant offer", max_length=4000, textarea=True)
    amount_offered = PoundsField(
        label="Amount offered (£)",
        required_message="",
        required=False,
        invalid_message="Enter the amount offered as a number of pounds, like 25000",
        help_text="What the council offers: up to the amount requested.",
    )

    def __init__(self, *args, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = opportunity.lots.filter(award__isnull=True)


class DecisionForm(ButtonForm, RowForm):
    """A submission's two buttons (shortlist or not, admit or not): the button says which.
    The submissions offered are those sealing.py lets the council decide on now."""

    row = "submission"
    choices = [("yes", "Yes"), ("no", "No")]
    submission = row_field(None, "Choose a response you can decide on now")
    action = forms.ChoiceField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose what to decide", "invalid_choice": "Choose what to decide"},
    )
    reasons = text_field("Reasons", max_length=2000)

    def __init__(self, *args, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = submissions
        self.fields["action"].choices = self.choices

    @property
    def yes(self) -> bool:
        return self.cleaned_data["action"] == self.choices[0][0]


class ShortlistForm(DecisionForm):
    choices = [("shortlist", "Shortlist"), ("reject", "Do not shortlist")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].label = "Reasons (needed if not shortlisted)"


class ApplicationForm(DecisionForm):
    choices = [("admit", "Admit"), ("refuse", "Do not admit")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].label = "Reasons (needed if not admitted: which criteria are not met)"


class RemoveForm(ButtonForm, RowForm):
    row = "membership"
    membership = row_field(Membership.objects.none(), "Choose a provider on this list")
    reasons = text_field(
        "Criteria no longer met", max_length=2000, required_message="Say which published criteria are no longer met"
    )

    def __init__(self, *args, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = opportunity.memberships.filter(status=Membership.Status.ADMITTED)


class JointForm(forms.Form):
    terms = text_field(
        "What the authorities agreed",
        max_length=8000,
        required_message="Record what the authorities agreed",
        textarea=True,
        help_text="Governance, sharing the procurement's costs, who monitors what, how to leave.",
    )
    agreed_on = date_field("Agreed on", "the date of the agreement")


class ParticipantForm(forms.Form):
    authority = RowChoiceField(
        label="Authority",
        queryset=None,
        empty_label="Choose the authority joining",
        error_messages={"required": "Choose the authority joining", "invalid_choice": "Choose the authority joining"},
    )
    signed_for_by = text_field(
        "Signed for that authority by", max_length=200, required_message="Say who signed the agreement for it"
    )
    joined_on = date_field("Joined on", "the date it joined")

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
