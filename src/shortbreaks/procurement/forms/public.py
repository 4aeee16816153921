"""A provider's forms on a published opportunity (views/public.py): a clarification question,
and its bid on a lot, with a field for each question it answers."""

from django import forms

from shortbreaks.core.form_fields import ButtonForm, PoundsField, text_field


class AskForm(forms.Form):
    question = text_field(
        "Ask a question",
        max_length=2000,
        required_message="Write your question",
        textarea=True,
        help_text="The answer is published to every provider, without saying who asked.",
    )


class BidForm(ButtonForm):
    """The answers (answer-<question id>) and the price; the button says whether to submit it
    or keep it as a draft."""

    action = forms.ChoiceField(
        choices=[("submit", "Submit the bid"), ("save", "Save as a draft")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose to submit or save", "invalid_choice": "Choose to submit or save"},
    )

    def __init__(self, *args, questions, priced: bool, grant: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            weight = f" ({q.weight}%)" if q.weight else ""
            self.fields[f"answer-{q.pk}"] = text_field(
                f"{q.get_kind_display()} question {q.number}{weight}: {q.text}",
                max_length=20000,
                textarea=True,
                help_text=q.guidance,
            )
            self.fields[f"answer-{q.pk}"].widget.attrs["rows"] = 6
        if grant:
            self.fields["price"] = PoundsField(
                label="Amount requested (£)",
                required_message="",
                required=False,
                help_text="The amount of grant you are asking for. You must give it before you submit.",
            )
        elif priced:
            self.fields["price"] = PoundsField(
                label="Your price for the lot (£, including VAT)", required_message="", required=False
            )

    def answer_fields(self):
        return [self[f"answer-{q.pk}"] for q in self.questions]

    def answers(self) -> dict:
        return {str(q.pk): self.cleaned_data[f"answer-{q.pk}"] for q in self.questions}

    @property
    def submitting(self) -> bool:
        return self.cleaned_data["action"] == "submit"


class BidStandsForm(ButtonForm):
    """A submitted bid's buttons: confirm it stands (after the opportunity changed), or withdraw
    it to change it."""

    action = forms.ChoiceField(
        choices=[("confirm", "Confirm my bid"), ("withdraw", "Withdraw it to change it")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose to confirm or withdraw your bid",
            "invalid_choice": "Choose to confirm or withdraw your bid",
        },
    )
