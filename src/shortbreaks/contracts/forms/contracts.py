"""The contracts pages' forms: one a button."""

from django import forms

from shortbreaks.core.form_fields import (
    PRICE_INVALID,
    ButtonForm,
    PoundsField,
    RowChoiceField,
    RowForm,
    date_field,
    number_field,
    row_field,
    text_field,
    whole_field,
)
from shortbreaks.core.idempotency import KeyedForm
from shortbreaks.core.templatetags.govuk import hours as hours_text

from ..models import KPI, BudgetLine, ContractReturn, Milestone, Payment, QualityVisit, Variation
from ..models.quality import SCORES

# The contract's own page (commissioners and procurement officers).


class TermsForm(forms.Form):
    extensions = whole_field(
        "Extension options left (months)",
        "the months of extension options left",
        max_value=120,
    )
    break_clause = text_field("Break clause", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extensions"].error_messages["max_value"] = "Give the extension options left as 120 months or fewer"


class ServicesForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label="Services",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose from this provider's services",
            "invalid_pk_value": "Choose from this provider's services",
        },
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services


class KPIForm(forms.Form):
    measure = forms.ChoiceField(
        label="Measure",
        choices=KPI.Measure.choices,
        error_messages={"required": "Choose what the KPI measures", "invalid_choice": "Choose what the KPI measures"},
    )
    target = number_field("Target per month", "the target")


class MilestoneForm(forms.Form):
    title = text_field("Milestone", max_length=300, required_message="Say what the milestone is")
    due_on = date_field("Due", "the due date")
    amount = PoundsField(
        label="Payment when met (£)",
        required_message="Enter the payment when the milestone is met, like 1250.00",
        invalid_message="Enter the payment as a number of pounds, like 1250.00",
    )


class PaymentForm(KeyedForm):  # a double click pays once
    kind = forms.ChoiceField(
        label="Kind",
        choices=Payment.Kind.choices[1:],
        error_messages={"required": "Choose the kind of payment", "invalid_choice": "Choose the kind of payment"},
    )
    amount = PoundsField(
        label="Amount (£)",
        required_message="Enter the amount paid, like 1250.00",
        invalid_message="Enter the amount paid as a number of pounds, like 1250.00",
    )
    description = text_field("What it is for", max_length=300, required_message="Say what the payment is for")


class VariationForm(forms.Form):
    kind = forms.ChoiceField(
        label="What changes",
        choices=Variation.Kind.choices,
        error_messages={
            "required": "Choose what the variation changes",
            "invalid_choice": "Choose what the variation changes",
        },
    )
    after = forms.CharField(
        label="New figure",
        max_length=40,
        help_text=(
            "Pounds for the price, whole place-hours a year for the volume, a date like 31 March 2028 for the term"
        ),
        error_messages={"required": "Enter the new figure"},
    )
    reason = text_field("Why", max_length=2000, required_message="Say why the contract changes", textarea=True)

    def clean(self):
        data = super().clean()
        kind, raw = data.get("kind"), (data.get("after") or "").strip()
        if kind and raw:
            try:
                if kind == Variation.Kind.PRICE:
                    data["after"] = PoundsField(label="", required_message="").clean(raw)
                elif kind == Variation.Kind.VOLUME:
                    data["after"] = whole_field("", "the place-hours").clean(raw)
                else:
                    data["after"] = date_field("", "the new end date").clean(raw)
            except (forms.ValidationError, ValueError):
                self.add_error("after", AFTER_INVALID)
        return data


AFTER_INVALID = (
    "Give the new figure: pounds for price, whole place-hours for volume, a date like 31 March 2028 for the term"
)

DECIDE = [("approve", "Approve"), ("reject", "Reject")]


class DecisionForm(RowForm):
    """A row with two buttons (approve or reject, approve or query): the button says which."""

    action = forms.ChoiceField(
        choices=DECIDE,
        widget=forms.HiddenInput,
        error_messages={"required": "Choose what to do", "invalid_choice": "Choose what to do"},
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["action"] == "approve"


class VariationDecideForm(DecisionForm):
    row = "variation"
    variation = row_field(Variation.objects.none(), "Choose a variation of this contract")
    decision = text_field("Reference of the formal decision", max_length=100)
    note = text_field("Note (needed to reject)", max_length=1000)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variation"].queryset = contract.variations.all()


class ReturnDecideForm(DecisionForm):
    row = "contract_return"
    contract_return = row_field(ContractReturn.objects.none(), "Choose a return of this contract")
    reason = text_field("If you query it, what needs correcting", max_length=1000)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("approve", "Approve"), ("query", "Query")]
        self.fields["contract_return"].queryset = contract.returns.all()


class MilestonePayForm(KeyedForm, RowForm):  # a double click pays once
    row = "milestone"
    milestone = row_field(Milestone.objects.none(), "Choose a milestone of this contract")

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = contract.milestones.all()


SCORE_CHOICES = [("", "Choose a score")] + [
    (str(v), f"{v}: {label}") for v, label in sorted(SCORES.items(), reverse=True)
]


class VisitForm(forms.Form):
    """A quality visit: a score and evidence for each of the council's standards."""

    visited_on = date_field("Date of the visit", "the visit date")

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(standards)
        for n, (name, weight) in enumerate(self.standards):
            self.fields[f"score-{n}"] = forms.TypedChoiceField(
                label=f"{name} ({weight}%)",
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                error_messages={
                    "required": f"Score '{name}' from 1 (inadequate) to 4 (good)",
                    "invalid_choice": f"Score '{name}' from 1 (inadequate) to 4 (good)",
                },
            )
            self.fields[f"evidence-{n}"] = text_field(f"Evidence for {name.lower()}", max_length=2000, textarea=True)

    def scores(self) -> dict:
        return {name: self.cleaned_data[f"score-{n}"] for n, (name, _) in enumerate(self.standards)}

    def evidence(self) -> dict:
        return {name: self.cleaned_data[f"evidence-{n}"] for n, (name, _) in enumerate(self.standards)}

    def rows(self):
        """(score, evidence) bound fields, one pair a standard, for the template."""
        return [(self[f"score-{n}"], self[f"evidence-{n}"]) for n in range(len(self.standards))]


class PlanActionForm(RowForm):
    row = "visit"
    visit = row_field(QualityVisit.objects.none(), "Choose a visit to this contract")
    plan_action = text_field("Action for the plan", max_length=1000, required_message="Say what the provider is to do")
    due_on = date_field("Due", "the due date")

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = contract.visits.all()


class FinaliseForm(RowForm):
    row = "visit"
    visit = row_field(QualityVisit.objects.none(), "Choose a visit to this contract")
    response = text_field("Response to the provider's corrections", max_length=4000, textarea=True)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = contract.visits.all()


# Pages of their own.


class DirectAwardForm(forms.Form):
    organisation = RowChoiceField(
        label="Provider (for an in-house agreement, the council's own service)",
        queryset=None,
        empty_label="Choose the provider",
        error_messages={
            "required": "Choose the provider",
            "invalid_choice": "Choose a provider listed with the council",
        },
    )
    value = PoundsField(
        label="Value (£, including VAT)",
        required_message="Enter the value of the agreement, like 9000",
        invalid_message="Enter the value as a number of pounds, like 9000",
    )
    starts_on = date_field("Starts", "the start date")
    ends_on = date_field("Ends", "the end date")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "The end date must be after the start date")
        return data


class BudgetForm(forms.Form):
    kind = forms.ChoiceField(
        label="Line",
        choices=BudgetLine.Kind.choices,
        error_messages={"required": "Choose the budget line", "invalid_choice": "Choose the budget line"},
    )
    amount = PoundsField(
        label="Budget for the year (£)",
        required_message="Enter the budget for the year, like 50000",
        invalid_message=PRICE_INVALID,
    )


class AwardConfirmForm(forms.Form):
    award = row_field(None, "Choose an award in its standstill period")

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards


# The provider's pages.


class ReturnForm(forms.Form):
    hours = number_field("Place-hours delivered", "the place-hours")

    def __init__(self, *args, booked_place_hours=None, **kwargs):
        super().__init__(*args, **kwargs)
        # One unit with the contract's guarantee and its use: one child for one hour.
        self.fields["hours"].help_text = (
            "One child for one hour: a 3-hour session with 6 children is 18 place-hours."
            + (
                f" Your bookings on the platform come to {hours_text(booked_place_hours)}."
                if booked_place_hours
                else ""
            )
        )
        if booked_place_hours:
            self.fields["hours"].initial = hours_text(booked_place_hours).replace(",", "")

    incidents = whole_field("Incidents", "the number of incidents", initial=0)
    complaints = whole_field("Complaints", "the number of complaints", initial=0)
    amount = PoundsField(
        label="Amount you claim (£)",
        required_message="Enter the amount you claim, like 950.00",
        invalid_message=PRICE_INVALID,
    )
    notes = text_field("Anything the council should know (optional)", max_length=4000, textarea=True)


ANSWERS = [("accept", "Accept"), ("decline", "Decline")]


class OfferAnswerForm(ButtonForm):
    """The offer page's answer: one contract, so no row to name; the button says which."""

    action = forms.ChoiceField(
        choices=ANSWERS,
        widget=forms.HiddenInput,
        error_messages={"required": "Choose to accept or decline", "invalid_choice": "Choose to accept or decline"},
    )
    reason = text_field("If you decline, why", max_length=1000)

    def clean(self):
        data = super().clean()
        if data.get("action") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Say why you are declining, so the council can respond")
        return data


class CorrectionsForm(RowForm):
    row = "visit"
    visit = row_field(QualityVisit.objects.none(), "Choose a visit to this contract")
    corrections = text_field(
        "Facts to correct", max_length=4000, required_message="Say which facts are wrong", textarea=True
    )

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = contract.visits.all()


class ActionDoneForm(RowForm):
    row = "item"
    item = row_field(None, "Choose an action on this contract's plans")
    note = text_field("What you did", max_length=1000, required_message="Say what you did")

    def __init__(self, *args, contract, **kwargs):
        from ..models import ActionPlanItem

        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ActionPlanItem.objects.filter(visit__contract=contract)
