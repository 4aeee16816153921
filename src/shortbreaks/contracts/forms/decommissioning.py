"""Decommissioning plans: starting one, and recording each child's alternative."""

from django import forms

from shortbreaks.core.form_fields import RowChoiceField, RowForm, date_field, row_field, text_field

from ..models import AffectedChild, DecommissioningPlan


class PlanForm(forms.Form):
    service = RowChoiceField(
        label="Service",
        queryset=None,
        empty_label="Choose the service",
        error_messages={"required": "Choose the service", "invalid_choice": "Choose one of the council's services"},
    )
    change = forms.ChoiceField(
        label="Change",
        choices=DecommissioningPlan.Change.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the service is reduced or ended",
            "invalid_choice": "Choose whether the service is reduced or ended",
        },
    )
    reasons = text_field("Reasons", max_length=4000, required_message="Give the reasons for the change", textarea=True)
    communications = text_field("Communications: who is told what, how and when", max_length=4000, textarea=True)
    families_told_by = date_field("Families told by", "when families are told")
    last_day = date_field("Last day of the service as it is", "the last day")

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        # Services of different providers may share a name: the provider tells them apart.
        self.fields["service"].label_from_instance = lambda s: f"{s.name} ({s.organisation.name})"
        self.fields["families_told_by"].help_text = "For example, 15 January 2027"

    def clean(self):
        data = super().clean()
        if data.get("families_told_by") and data.get("last_day") and data["last_day"] < data["families_told_by"]:
            self.add_error("last_day", "The last day must be on or after the day families are told")
        return data


class AlternativeForm(RowForm):
    row = "entry"
    entry = row_field(AffectedChild.objects.none(), "Choose a child listed in this plan")
    alternative = RowChoiceField(
        label="Alternative service",
        queryset=None,
        required=False,
        empty_label="Something else (describe it)",
        error_messages={"invalid_choice": "Choose one of the council's active services, or something else"},
    )
    notes = text_field("Notes", max_length=1000)
    told_on = date_field("Family told on (optional)", "the date the family was told", required=False)

    def __init__(self, *args, plan, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = plan.affected.all()
        self.fields["alternative"].queryset = services


class CompletePlanForm(forms.Form):
    """The button with nothing to type."""
