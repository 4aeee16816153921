"""Call-offs under a framework: the council creates one (on the framework's page or, for a
participant in a joint arrangement, on the arrangement's page), a member prices a
mini-competition, and the council awards it (contracts' award view posts the award form)."""

from django import forms

from shortbreaks.core.form_fields import PoundsField, RowChoiceField, date_field, text_field
from shortbreaks.core.forms import datetime_field

from ..models import CallOff, Opportunity
from ..selectors.frameworks import member_organisations, members

PREFIX = "call-off"  # the framework's page holds other forms: these fields keep ids of their own


class CallOffForm(forms.Form):
    lot = RowChoiceField(
        label="Lot",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the lot", "invalid_choice": "Choose one of the framework's lots"},
    )
    title = text_field(
        "What is being called off",
        max_length=200,
        required_message="Say what is being called off, for example 'Summer holiday club 2027'",
    )
    description = text_field(
        "Specification",
        max_length=4000,
        textarea=True,
        required_message="Say what is being bought: the service, for whom, where and how much",
        help_text="What is being bought: the service, for whom, where and how much. Members price this.",
    )
    value = PoundsField(
        label="Estimated value (£, including VAT)",
        required_message="Enter the call-off's estimated value in pounds, like 25000",
    )
    starts_on = date_field("Starts on", "the date the call-off starts")
    ends_on = date_field("Ends on", "the date the call-off ends")
    method = forms.ChoiceField(
        label="How",
        # The mini-competition first: it is the usual way, and the page's first choice.
        choices=[
            (CallOff.Method.MINI, CallOff.Method.MINI.label),
            (CallOff.Method.DIRECT, CallOff.Method.DIRECT.label),
        ],
        error_messages={
            "required": "Choose how to call off",
            "invalid_choice": "Choose a mini-competition or a direct award",
        },
    )
    deadline = datetime_field("Deadline for prices (mini-competition)", required=False)
    justification = text_field("Why (direct award)", max_length=4000, textarea=True)

    def __init__(self, *args, framework: Opportunity, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = framework.lots.all()
        self.fields["lot"].label_from_instance = lambda lot: f"Lot {lot.number}: {lot.title}"

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "The end date must be after the start date")
        return data


class CallOffBidForm(forms.Form):
    """A member's price in a mini-competition."""

    price = PoundsField(
        label="Your price (£, including VAT)",
        required_message="Enter your price in pounds, like 25000",
    )

    def __init__(self, *args, mine=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mine is not None:
            self.fields["price"].label = "Change your price (£, including VAT)"


class CallOffAwardForm(forms.Form):
    """A direct award names the member and the price; a mini-competition goes to the best
    ranked, so its form has nothing to fill in (only the button, and any error)."""

    organisation = RowChoiceField(
        label="Member",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose a member of the framework lot",
            "invalid_choice": "Choose a member of the framework lot",
        },
    )
    price = PoundsField(
        label="Price on the framework's terms (£)",
        required_message="Enter the price agreed on the framework's terms, like 25000",
    )

    def __init__(self, *args, call_off: CallOff, **kwargs):
        super().__init__(*args, **kwargs)
        if call_off.method != CallOff.Method.DIRECT:
            self.fields.clear()
            return
        reasons = {m.organisation_id: m.reasons for m in members(call_off.lot)}
        if call_off.value:
            self.fields["price"].initial = f"{call_off.value:.2f}"
        field = self.fields["organisation"]
        field.queryset = member_organisations(call_off.lot)
        field.label_from_instance = lambda o: f"{o.name} ({reasons[o.pk]})" if reasons.get(o.pk) else o.name
