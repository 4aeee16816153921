from decimal import Decimal

from django import forms

from shortbreaks.core.form_fields import ButtonForm, date_field

from ..models import DirectPaymentAudit, LedgerEntry


class AssessmentForm(forms.Form):
    """One radio question per question of the rule in force."""

    assessed_on = date_field(
        "Date of the assessment", "the date of the assessment", hint="For example, 20 November 2026"
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, spec: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        for question in spec["questions"]:
            self.fields[f"q_{question['code']}"] = forms.ChoiceField(
                label=question["text"],
                widget=forms.RadioSelect,
                choices=[(a["code"], a["text"]) for a in question["answers"]],
                error_messages={"required": f"Answer: {question['text']}"},
            )

    def question_fields(self):
        return [self[f"q_{q['code']}"] for q in self.spec["questions"]]

    def answers(self) -> dict[str, str]:
        return {q["code"]: self.cleaned_data[f"q_{q['code']}"] for q in self.spec["questions"]}


class DraftRuleForm(forms.Form):
    """Points for every answer and the thresholds and amounts of every band of a draft."""

    name = forms.CharField(label="Name", max_length=200)
    annual_budget = forms.DecimalField(
        label="Budget for allocations in a year, in pounds", min_value=0, max_digits=12, decimal_places=2
    )
    family_contributions_allowed = forms.BooleanField(
        label="Families may add their own money to their child's budget account", required=False
    )

    def __init__(self, *args, rule, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": rule.name,
                "annual_budget": rule.annual_budget,
                "family_contributions_allowed": rule.family_contributions_allowed,
            },
        )
        super().__init__(*args, **kwargs)
        self.spec = rule.spec
        for question in self.spec["questions"]:
            for answer in question["answers"]:
                self.fields[f"points__{question['code']}__{answer['code']}"] = forms.IntegerField(
                    label=answer["text"], min_value=0, max_value=1000, initial=answer["points"]
                )
        for band in self.spec["bands"]:
            self.fields[f"band__{band['code']}__min_points"] = forms.IntegerField(
                label=f"{band['name']}: from points", min_value=0, initial=band["min_points"]
            )
            self.fields[f"band__{band['code']}__annual_amount"] = forms.DecimalField(
                label=f"{band['name']}: pounds a year",
                min_value=0,
                max_digits=9,
                decimal_places=2,
                initial=Decimal(band["annual_amount"]),
            )
            self.fields[f"band__{band['code']}__annual_hours"] = forms.IntegerField(
                label=f"{band['name']}: hours a year", min_value=0, max_value=5000, initial=band["annual_hours"]
            )

    def questions(self):
        return [(q, [self[f"points__{q['code']}__{a['code']}"] for a in q["answers"]]) for q in self.spec["questions"]]

    def bands(self):
        return [
            (b, [self[f"band__{b['code']}__{part}"] for part in ("min_points", "annual_amount", "annual_hours")])
            for b in self.spec["bands"]
        ]

    def to_spec(self) -> dict:
        data = self.cleaned_data

        def band(b: dict) -> dict:
            prefix = f"band__{b['code']}__"
            return {
                **b,
                "min_points": data[prefix + "min_points"],
                "annual_amount": f"{data[prefix + 'annual_amount']:.2f}",
                "annual_hours": data[prefix + "annual_hours"],
            }

        return {
            "questions": [
                {**q, "answers": [{**a, "points": data[f"points__{q['code']}__{a['code']}"]} for a in q["answers"]]}
                for q in self.spec["questions"]
            ],
            "bands": [band(b) for b in self.spec["bands"]],
        }


class PaymentForm(forms.Form):
    """What an officer records on a budget account by hand."""

    KINDS = [
        (k.value, k.label)
        for k in (
            LedgerEntry.Kind.DIRECT_PAYMENT,
            LedgerEntry.Kind.DIRECT_PAYMENT_RETURNED,
            LedgerEntry.Kind.TOP_UP,
            LedgerEntry.Kind.FAMILY_CONTRIBUTION,
            LedgerEntry.Kind.CLAWBACK,
        )
    ]
    kind = forms.ChoiceField(label="What is it?", choices=KINDS, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label="Amount in pounds",
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "min_value": "Enter an amount of at least 1p",
            "invalid": "Enter the amount as a number, like 125.00",
        },
    )
    description = forms.CharField(label="Description", max_length=300, help_text="The family will see this")
    reference = forms.CharField(label="Payment reference (optional)", required=False, max_length=100)


class DirectPaymentAuditForm(forms.Form):
    period_start = date_field("Period from", "the date the period starts", hint="For example, 1 April 2026")
    period_end = date_field("Period to", "the date the period ends", hint="For example, 30 September 2026")
    outcome = forms.ChoiceField(label="Outcome", choices=DirectPaymentAudit.Outcome.choices, widget=forms.RadioSelect)
    unspent = forms.DecimalField(
        label="Unspent money found, in pounds", min_value=0, max_digits=10, decimal_places=2, initial=Decimal("0")
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


CHOOSE_RULE_ACTION = "Press Publish this version, or Make a new draft from this version"


class RuleActionForm(ButtonForm):
    """Which button of an allocation rule's page was pressed: none is the draft's own form
    (DraftRuleForm, saved), else copying the version into a new draft or publishing the draft."""

    said_at_top = ("action",)
    action = forms.ChoiceField(
        choices=[("", "Save the draft"), ("copy", "Make a new draft"), ("publish", "Publish this version")],
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": CHOOSE_RULE_ACTION},
    )
