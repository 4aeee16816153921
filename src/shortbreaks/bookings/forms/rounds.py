"""Forms for schemes and request rounds."""

from django import forms
from django.db import models

from shortbreaks.core.form_fields import ButtonForm
from shortbreaks.core.forms import datetime_field
from shortbreaks.directory.models import Organisation

from ..models import Session


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


class RoundRequestForm(forms.Form):
    """A family's requests in an open round: for each of their children a choice per rank
    (`choice-<child>-<rank>`, most wanted first), each one of the round's sessions; then whether
    siblings go together or not at all, and transport. Ids are the field names, as the page's
    labels and the error summary's links use them."""

    together = forms.BooleanField(
        label="Together or not at all: where my children chose the same session, give it to all of them or none",
        required=False,
    )
    transport = forms.BooleanField(label="We need transport where the session has it", required=False)

    def __init__(self, *args, children, sessions, max_choices: int, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.pk): s for s in sessions}
        self.children = list(children)
        self.names, self.fitting = {}, {}
        for child in self.children:
            # Each child is offered the sessions for their age on the day, and no more choices than those.
            fits = [s for s in self.sessions.values() if s.minimum_age <= child.age_on(s.date) <= s.maximum_age]
            self.fitting[child] = fits
            offered = [("", "No session"), *((str(s.pk), str(s)) for s in fits)]
            wrong = f"Choose {child.first_name}'s sessions from the lists"
            self.names[child] = [f"choice-{child.pk}-{n}" for n in range(1, min(max_choices, len(fits)) + 1)]
            for name in self.names[child]:
                self.fields[name] = forms.ChoiceField(
                    choices=offered, required=False, error_messages={"invalid_choice": wrong}
                )

    def rows(self):
        """Each child with their choice fields, in rank order, for the page."""
        return [(child, [self[name] for name in self.names[child]], self.fitting[child]) for child in self.children]

    def clean(self):
        cleaned = super().clean()
        if not self.children:
            raise forms.ValidationError("Add your children to your family first")
        for child, names in self.names.items():
            seen = set()
            for name in names:
                picked = cleaned.get(name)
                if picked and picked in seen:
                    self.add_error(name, f"Choose each session once for {child.first_name}")
                seen.add(picked)
        if not self.errors and not any(cleaned.get(n) for names in self.names.values() for n in names):
            first = next((names[0] for names in self.names.values() if names), None)
            if first is None:
                raise forms.ValidationError("None of these sessions are for your children's ages")
            self.add_error(first, "Choose at least one session for at least one child")
        return cleaned

    def choices(self) -> dict:
        """Child -> the sessions chosen for them, most wanted first."""
        data = self.cleaned_data
        return {child: [self.sessions[data[n]] for n in names if data.get(n)] for child, names in self.names.items()}


class SchemeSessionsForm(ButtonForm):
    """The sessions ticked on a scheme's page: those in it come out, those not in a scheme go in."""

    said_at_top = ("session",)
    session = forms.ModelMultipleChoiceField(
        queryset=Session.objects.none(),
        error_messages={
            "required": "Tick the sessions to take out of the scheme or to add to it",
            "invalid_choice": "Choose sessions from the lists on this page",
            "invalid_pk_value": "Choose sessions from the lists on this page",
        },
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["session"].queryset = Session.objects.filter(authority=scheme.authority).filter(
            models.Q(scheme__isnull=True) | models.Q(scheme=scheme)
        )

    def changes(self) -> tuple[list, list]:
        """(to add, to remove)."""
        chosen = list(self.cleaned_data["session"])
        return [s for s in chosen if s.scheme_id is None], [s for s in chosen if s.scheme_id == self.scheme.pk]


class RoundStepForm(ButtonForm):
    """A round's buttons: share the places out, or confirm what was shared."""

    ALLOCATE, CONFIRM = "allocate", "confirm"
    action = forms.ChoiceField(
        choices=[(ALLOCATE, "Share out the places"), (CONFIRM, "Confirm and book")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a button on this page", "invalid_choice": "Choose a button on this page"},
    )
