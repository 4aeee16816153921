"""Feedback: a provider's reply, moderating a review, recording what was done about a
safeguarding alert, and the feedback a parent or young person gives."""

from django import forms

from shortbreaks.core.form_fields import RowChoiceField, RowForm, row_field, text_field

from ..models import Feedback


class ReplyForm(RowForm):
    row = "feedback"
    feedback = row_field(None, "Choose feedback on one of your services")
    reply = text_field("Your reply", max_length=2000, required_message="Write your reply", textarea=True)

    def __init__(self, *args, feedback, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feedback"].queryset = feedback


class ModerateForm(RowForm):
    row = "feedback"
    feedback = row_field(None, "Choose a review waiting to be moderated")
    action = forms.ChoiceField(
        choices=[("publish", "Publish"), ("reject", "Do not publish")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose to publish or not", "invalid_choice": "Choose to publish or not"},
    )

    def __init__(self, *args, pending, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feedback"].queryset = pending


class AlertForm(RowForm):
    row = "alert"
    alert = row_field(None, "Choose one of the council's safeguarding alerts")
    action_taken = text_field("What was done", max_length=4000, required_message="Record what was done", textarea=True)

    def __init__(self, *args, alerts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alert"].queryset = alerts


class GiveForm(forms.Form):
    """The page's own markup shows it (faces for children); the outcomes are ticked boxes, an
    unticked one a no."""

    service = RowChoiceField(queryset=None, error_messages={"required": "", "invalid_choice": ""})
    child = RowChoiceField(
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose one of your children"},
    )
    enjoyed = forms.ChoiceField(
        choices=Feedback.Enjoyed.choices,
        error_messages={"required": "Choose how the break was", "invalid_choice": "Choose how the break was"},
    )
    felt_safe = forms.ChoiceField(
        choices=Feedback.Safe.choices,
        required=False,
        error_messages={
            "required": "Choose whether your child felt safe",
            "invalid_choice": "Choose whether your child felt safe",
        },
    )
    comment = text_field("Anything else (optional)", max_length=2000, textarea=True)
    publish = forms.BooleanField(required=False)

    def __init__(self, *args, services, children, outcomes, from_child: bool, **kwargs):
        super().__init__(*args, **kwargs)
        message = "Pick the club you went to" if from_child else "Choose the service or club"
        self.fields["service"].queryset = services
        self.fields["service"].error_messages = {"required": message, "invalid_choice": message}
        self.fields["child"].queryset = children
        if from_child:
            self.fields["enjoyed"].error_messages = {
                "required": "Pick a face for how it was",
                "invalid_choice": "Pick a face for how it was",
            }
            self.fields["felt_safe"].error_messages = {
                "required": "Pick a face for whether you felt safe",
                "invalid_choice": "Pick a face for whether you felt safe",
            }
        self.outcome_names = list(outcomes)
        for name in self.outcome_names:
            self.fields[name] = forms.BooleanField(required=False)

    def outcomes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.outcome_names}
