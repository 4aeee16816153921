"""Forms for schemes and request rounds."""

from django import forms

from shortbreaks.core.forms import datetime_field
from shortbreaks.directory.models import Organisation


class SchemeForm(forms.Form):
    name = forms.CharField(
        label="Name of the scheme", max_length=200, error_messages={"required": "Enter the name of the scheme"}
    )
    coordinator = forms.ModelChoiceField(
        label="Coordinating organisation",
        queryset=Organisation.objects.none(),
        help_text="They see and manage every booking of the scheme.",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    description = forms.CharField(
        label="What families should know", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = Organisation.objects.filter(authority=authority).order_by("name")


class RoundForm(forms.Form):
    opens_at = datetime_field("Requests open")
    closes_at = datetime_field("Requests close")
    max_sessions_per_child = forms.IntegerField(
        label="Most sessions one child can be given", min_value=1, max_value=50, initial=3
    )
    max_choices = forms.IntegerField(
        label="Most sessions a family can choose per child", min_value=1, max_value=20, initial=6
    )
    weight_specialist = forms.IntegerField(
        label="Need weight: children with a specialist allocation", min_value=1, max_value=10, initial=3
    )
    weight_targeted = forms.IntegerField(
        label="Need weight: children with targeted eligibility", min_value=1, max_value=10, initial=2
    )
    weight_universal = forms.IntegerField(label="Need weight: everyone else", min_value=1, max_value=10, initial=1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("opens_at") and cleaned.get("closes_at") and cleaned["closes_at"] <= cleaned["opens_at"]:
            self.add_error("closes_at", "Requests must close after they open")
        return cleaned

    def need_weights(self) -> dict:
        return {tier: self.cleaned_data[f"weight_{tier}"] for tier in ("specialist", "targeted", "universal")}
