"""Feedback: a provider's reply, moderating a review, a step taken on a safeguarding alert,
and the feedback a parent or young person gives."""

from django import forms

from shortbreaks.core.form_fields import RowChoiceField, RowForm, row_field, text_field
from shortbreaks.core.idempotency import KeyedForm

from ..models import Feedback, SafeguardingStep
from ..selectors.feedback import break_label


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


class StepForm(KeyedForm):
    """One step on an alert (the page it is on says which alert); a double click records it once."""

    kind = forms.ChoiceField(
        label="What was done",
        choices=SafeguardingStep.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what was done", "invalid_choice": "Choose what was done"},
    )
    note = text_field(
        "What happened",
        max_length=4000,
        required_message="Write what was done, or the outcome if you are closing the alert",
        textarea=True,
        help_text="Who you spoke to and what was agreed. To close the alert, say what the outcome was.",
    )


class BreakField(RowChoiceField):
    """A break the child went to (an attended booking), named with its provider and day."""

    def __init__(self, *args, today, with_child: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.with_child = today, with_child

    def label_from_instance(self, obj) -> str:
        return break_label(obj, today=self.today, with_child=self.with_child)


class GiveForm(forms.Form):
    """The page's own markup shows the answers (faces for children); the outcomes are ticked
    boxes, an unticked one a no. The break is one of the giver's own children's (`breaks`),
    so it names the child too; nothing is chosen until they choose."""

    enjoyed = forms.ChoiceField(
        choices=Feedback.Enjoyed.choices,
        error_messages={"required": "Choose how the break was", "invalid_choice": "Choose how the break was"},
    )
    felt_safe = forms.ChoiceField(
        choices=Feedback.Safe.choices,
        error_messages={
            "required": "Choose whether your child felt safe",
            "invalid_choice": "Choose whether your child felt safe",
        },
    )
    comment = text_field("Anything else (optional)", max_length=2000, textarea=True)
    publish = forms.BooleanField(required=False)

    def __init__(self, *args, breaks, today, outcomes, from_child: bool, **kwargs):
        super().__init__(*args, **kwargs)
        with_child = breaks.order_by().values("child").distinct().count() > 1
        message = "Choose where you went" if from_child else "Choose the break you are telling us about"
        self.fields["booking"] = BreakField(
            queryset=breaks,
            today=today,
            with_child=with_child,
            label="Where did you go?" if from_child else "Which break",
            empty_label=message,
            error_messages={"required": message, "invalid_choice": message},
        )
        self.order_fields(["booking"])
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
