from django import forms

from ..imports import MAX_BYTES
from ..models import Child, Family


class ChildForm(forms.Form):
    """A parent tells the council about a child (and, the first time, about the family)."""

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example, 2017-05-01",
        error_messages={"invalid": "Enter the date of birth like 2017-05-01"},
    )
    needs = forms.MultipleChoiceField(
        label="Needs", widget=forms.CheckboxSelectMultiple, error_messages={"required": "Select at least one need"}
    )
    communication_needs = forms.CharField(
        label="How does your child communicate? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    medical_needs = forms.CharField(
        label="Medical needs that affect their care (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    has_ehc_plan = forms.BooleanField(label="My child has an education, health and care (EHC) plan", required=False)
    school = forms.CharField(label="School or college (optional)", required=False, max_length=200)
    sex = forms.ChoiceField(
        label="Sex",
        choices=Child.Sex.choices,
        widget=forms.RadioSelect,
        help_text="We ask so we can check short breaks reach every child fairly",
    )
    ethnicity = forms.ChoiceField(label="Ethnic group", choices=Child.Ethnicity.choices, widget=forms.RadioSelect)

    def __init__(self, *args, needs_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = needs_choices


class FamilyForm(forms.Form):
    home_postcode = forms.CharField(
        label="Your home postcode", max_length=10, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    preferred_contact = forms.ChoiceField(
        label="How should we contact you?", choices=Family.Contact.choices, widget=forms.RadioSelect
    )
    consent_to_share = forms.BooleanField(
        label="I agree that providers I book with may see my child's care needs", required=False
    )


class ApplicationForm(forms.Form):
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text="A letter from a doctor, school or therapist: PDF, Word, JPEG or PNG, up to 10MB",
    )

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.declaration_codes = []
        for criterion in criteria:
            if criterion["check"] == "declaration":
                self.fields[f"declare_{criterion['code']}"] = forms.BooleanField(
                    label=criterion["text"], required=False
                )
                self.declaration_codes.append(criterion["code"])

    def declarations(self) -> dict:
        return {code: bool(self.cleaned_data.get(f"declare_{code}")) for code in self.declaration_codes}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Approve targeted short breaks"), ("refuse", "Do not approve")],
        error_messages={"required": "Choose a decision"},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The family will read these: write them plainly",
        error_messages={"required": "Give the reasons for the decision"},
    )


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label="Why do you think the decision is wrong?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Tell us why you think the decision is wrong"},
    )


class CodeCheckForm(forms.Form):
    code = forms.CharField(
        label="Eligibility code",
        max_length=12,
        help_text="For example, K7Q2-M9XD",
        error_messages={"required": "Enter the code the family gave you"},
    )


class CaseloadImportForm(forms.Form):
    file = forms.FileField(
        label="Caseload file",
        help_text="CSV (UTF-8) or Excel .xlsx, with the columns below",
        error_messages={"required": "Select a file"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # refused before it is read
            raise forms.ValidationError(f"The file must be smaller than {MAX_BYTES // 1_000_000} MB: split it")
        return upload


class EraseForm(forms.Form):
    reason = forms.CharField(
        label="Why is the data being erased?",
        max_length=500,
        help_text="For example: the family's request of 3 November 2026",
        error_messages={"required": "Record why the data is being erased"},
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Confirm that you understand this cannot be undone"},
    )
