"""The evaluators' forms (views/evaluate.py): a panel's own criterion, the conflict of
interest declaration, a score and an agreed score. The bid scored is a choice from
selectors/sealing.py's scorable_bids, so a bid the evaluator may not see is a form error."""

import re

from django import forms

from shortbreaks.core.form_fields import ButtonForm, row_field, text_field

from ..models import Question
from ..scoring import FAIL, PASS


class CriterionForm(forms.Form):
    text = text_field(
        "What should providers tell you about?",
        max_length=4000,
        required_message="Say what providers should tell you about",
        textarea=True,
        help_text='In your own words, for example: "How will my child be helped to make friends?"',
    )
    guidance = text_field("What a great answer looks like (optional)", max_length=4000, textarea=True)
    weight = forms.IntegerField(
        label="How much it counts (% of your panel's share)",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Say how much it counts, as a whole number like 20",
            "invalid": "Give how much it counts as a whole number, like 20",
            "min_value": "Give how much it counts as a whole number from 0 to 100",
            "max_value": "Give how much it counts as a whole number from 0 to 100",
        },
    )


CONFLICT_REQUIRED = "Say whether you have a conflict of interest"


class ConflictForm(forms.Form):
    """Neither answer is chosen for them: an explicit yes or no."""

    conflict = forms.ChoiceField(
        label="Do you have a conflict of interest for this lot?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": CONFLICT_REQUIRED, "invalid_choice": CONFLICT_REQUIRED},
    )
    details = text_field("If yes, what it is", max_length=1000, textarea=True)

    def clean(self):
        data = super().clean()
        if data.get("conflict") == "yes" and not (data.get("details") or "").strip():
            self.add_error("details", "Say what the conflict is")
        return data

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["conflict"] == "yes"


SCALE = [("", "Choose a score")] + [(str(n), str(n)) for n in range(11)]
SCORE_MESSAGE = "Choose a score from 0 to 10"
# A selection question is a gate: pass or fail, neither chosen for the evaluator.
PASS_OR_FAIL = [(str(PASS), "Pass"), (str(FAIL), "Fail")]
PASS_OR_FAIL_MESSAGE = "Choose pass or fail"


class ScoreForm(ButtonForm):
    """One evaluator's score for one answer (a bid and a question). Its ids end in both, as the
    page's do, so the error summary links to the row's fields."""

    prefix_id = ""
    score_label, reason_label = "Your score", "Why"
    decision_label = "Your decision"
    submission = row_field(None, "Choose a bid you can score")
    question = row_field(Question.objects.none(), "Choose a question of this opportunity")
    score = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        empty_value=None,
        error_messages={"required": SCORE_MESSAGE, "invalid_choice": SCORE_MESSAGE},
    )
    justification = text_field("Why", max_length=4000, textarea=True)

    def __init__(self, *args, bids, questions, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = bids
        self.fields["question"].queryset = questions
        self.fields["score"].label = self.score_label
        self.fields["justification"].label = self.reason_label
        if row is None and self.is_bound:
            row = tuple(str(self.data.get(name, "")) for name in ("submission", "question"))
        self.row_id = "-".join(re.sub(r"[^0-9A-Za-z-]", "", part)[:64] for part in row) if row else ""
        if self.row_id:
            self.auto_id = f"{self.prefix_id}%s-{self.row_id}"

    def pass_or_fail(self) -> None:
        """For a selection question: a Pass or Fail radio instead of the 0 to 10 scale."""
        field = self.fields["score"]
        field.widget = forms.RadioSelect()
        field.choices = PASS_OR_FAIL
        field.label = self.decision_label
        field.error_messages = {"required": PASS_OR_FAIL_MESSAGE, "invalid_choice": PASS_OR_FAIL_MESSAGE}
        self._bound_fields_cache.pop("score", None)

    def clean(self):
        data = super().clean()
        question = data.get("question")
        if question is not None and question.kind == Question.Kind.SELECTION:
            self.pass_or_fail()
            if "score" in self._errors or data.get("score") not in (PASS, FAIL):
                self._errors.pop("score", None)
                self.add_error("score", PASS_OR_FAIL_MESSAGE)
        return data

    @property
    def kind(self) -> str:
        return type(self).__name__


class AgreeForm(ScoreForm):
    """The moderator's agreed score, with its rationale."""

    prefix_id = "agreed-"
    score_label, reason_label = "Agreed score", "Rationale for the agreed score"
    decision_label = "Agreed decision"
