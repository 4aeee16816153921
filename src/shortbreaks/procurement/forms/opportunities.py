"""Forms for building opportunities and answering them."""

from django import forms

from shortbreaks.accounts.forms import email_field, name_field
from shortbreaks.core.form_fields import date_field
from shortbreaks.core.forms import datetime_field

from ..models import Opportunity, Question


class OpportunityForm(forms.Form):
    reference = forms.RegexField(
        label="Reference",
        regex=r"^[A-Za-z0-9][A-Za-z0-9\-/]{1,39}$",
        max_length=40,
        help_text="For example, SB-2027-01",
        error_messages={"invalid": "Use letters, numbers, dashes and slashes only"},
    )
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="What the council is buying", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    route = forms.ChoiceField(label="Route", choices=Opportunity.Route.choices, widget=forms.RadioSelect)
    justification = forms.CharField(
        label="Why this route",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for spot purchases and in-house agreements.",
        max_length=4000,
    )
    quality_weight = forms.IntegerField(label="Quality weight (%)", min_value=0, max_value=100, initial=60)
    price_weight = forms.IntegerField(label="Price weight (%)", min_value=0, max_value=100, initial=40)
    price_formula = forms.ChoiceField(
        label="How price is scored",
        choices=Opportunity.PriceFormula.choices,
        widget=forms.RadioSelect,
        initial=Opportunity.PriceFormula.LOWEST,
    )
    price_bands = forms.CharField(
        label="Price bands (if scored by bands)",
        required=False,
        initial="0:100, 5:90, 10:75, 20:50, 30:25",
        help_text="Percent above the lowest price : marks out of 100, for example 0:100, 5:90, 10:75",
    )
    clarification_deadline = datetime_field("Clarification questions close", required=False)
    selection_deadline = datetime_field("Selection stage closes (two-stage tenders)", required=False)
    submission_deadline = datetime_field("Submissions close", required=False)
    contract_start = date_field("Contract starts", "the date the contract starts", required=False)
    term_months = forms.IntegerField(label="Term in months", required=False, min_value=1, max_value=240)
    reopens_every_months = forms.IntegerField(
        label="Open framework: re-opens to new members every (months)", required=False, min_value=1, max_value=60
    )

    def clean_price_bands(self):
        raw = (self.cleaned_data.get("price_bands") or "").strip()
        if not raw:
            return [[0, 100], [5, 90], [10, 75], [20, 50], [30, 25]]
        try:
            return [
                [float(a) if "." in a else int(a), int(b)]
                for a, b in (pair.split(":") for pair in raw.replace(" ", "").split(",") if pair)
            ]
        except ValueError:
            raise forms.ValidationError("Write the bands as percent:marks pairs, like 0:100, 5:90, 10:75") from None

    def clean(self):
        cleaned = super().clean()
        ask, submit = cleaned.get("clarification_deadline"), cleaned.get("submission_deadline")
        if ask and submit and ask >= submit:
            self.add_error("clarification_deadline", "Clarification questions must close before submissions do")
        return cleaned


class OpportunityChangeForm(OpportunityForm):
    """The edit page: the same details, and the reason if a live tender's deadline comes sooner."""

    deadline_reason = forms.CharField(
        label="Why the submission deadline is brought forward (only if it is)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Once providers are bidding the deadline can move earlier only for a real reason, "
        "which every bidder is told.",
    )


class LotForm(forms.Form):
    title = forms.CharField(label="Lot title", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    value = forms.DecimalField(label="Estimated value (£, including VAT)", min_value=0, max_digits=12, decimal_places=2)
    max_providers = forms.IntegerField(
        label="Providers to appoint",
        min_value=1,
        max_value=50,
        initial=1,
        required=False,
        help_text="More than one for a framework.",
    )
    guaranteed_hours = forms.IntegerField(
        label="Guaranteed place-hours a year (block contracts)",
        required=False,
        min_value=1,
        max_value=1_000_000,
        # The unit block use, the providers' returns and the KPI count in (contracts.selectors.UNIT).
        help_text="A place-hour is one child for one hour: a 3-hour session with 6 children is 18 place-hours.",
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of question", choices=Question.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    guidance = forms.CharField(
        label="Guidance and score descriptors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    weight = forms.IntegerField(
        label="Weight (% of the quality marks; 0 for pass or fail)", min_value=0, max_value=100, initial=0
    )
    panel = forms.ChoiceField(
        label="Who scores it", choices=Question.Panel.choices, widget=forms.RadioSelect, initial=Question.Panel.OFFICERS
    )


def _their_email():
    return email_field(
        label="Their email address",
        required_message="Enter their email address",
        autocomplete="off",
        help_text="We email them a link that works once.",
    )


class PanelInviteForm(forms.Form):
    """Someone for an evaluation panel: a parent, a young person or an officer (invitations.py)."""

    email = _their_email()
    full_name = name_field(label="Their name", required_message="Enter their name")
    panel = forms.ChoiceField(
        label="Panel",
        choices=Question.Panel.choices,
        widget=forms.RadioSelect,
        help_text="The council officers' panel is for this council's staff only.",
        error_messages={"required": "Choose the panel", "invalid_choice": "Choose one of the panels"},
    )


class PanelWithdrawForm(forms.Form):
    """The withdraw button beside a panel invitation not yet accepted."""

    invitation = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "Choose an invitation"})
