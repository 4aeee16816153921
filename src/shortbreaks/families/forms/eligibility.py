import re

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

from shortbreaks.core.date_input import DateInputField
from shortbreaks.core.postcodes import PostcodeError, locate

from ..eligibility import outside_area
from ..imports import MAX_BYTES
from ..models import Child, Family


def _text(label: str, what: str, *, max_length: int, required: bool = True, rows: int = 0) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"Keep {what} to {max_length} characters or fewer",
        },
    )


def _choice(label: str, choices, message: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


class ChildForm(forms.Form):
    """A parent tells the council about a child (and, the first time, about the family), or
    corrects what they told it. Short breaks are for children and young people: a date of birth
    in the future, or of someone older than the council keeps records for, is refused."""

    first_name = _text("First name", "your child's first name", max_length=100)
    last_name = _text("Last name", "your child's last name", max_length=100)
    date_of_birth = DateInputField(
        label="Date of birth",
        name="Date of birth",
        required_message="Enter your child's date of birth",
        past=True,
        help_text="For example, 27 3 2017",
    )
    needs = forms.MultipleChoiceField(
        label="Needs",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one need", "invalid_choice": "Select needs from the list"},
    )
    communication_needs = _text(
        "How does your child communicate? (optional)",
        "how your child communicates",
        max_length=2000,
        required=False,
        rows=2,
    )
    medical_needs = _text(
        "Medical needs that affect their care (optional)",
        "their medical needs",
        max_length=2000,
        required=False,
        rows=2,
    )
    has_ehc_plan = forms.BooleanField(label="My child has an education, health and care (EHC) plan", required=False)
    school = _text("School or college (optional)", "the school or college", max_length=200, required=False)
    emergency_contacts = _text(
        "Emergency contacts (optional)",
        "the emergency contacts",
        max_length=1000,
        required=False,
        rows=3,
    )
    emergency_contacts.help_text = (
        "Who to call if something happens at a session, with their phone numbers. "
        "For example, Priya Khan (aunt) 07700 900 982"
    )
    share_emergency_contacts = forms.BooleanField(
        label="I agree that providers I book with may see these emergency contacts on their register",
        required=False,
    )
    sex = _choice(
        "Sex",
        Child.Sex.choices,
        "Select your child's sex, or 'Prefer not to say'",
        help_text="We ask so we can check short breaks reach every child fairly",
    )
    ethnicity = _choice(
        "Ethnic group", Child.Ethnicity.choices, "Select your child's ethnic group, or 'Prefer not to say'"
    )

    def __init__(self, *args, needs_choices, oldest_age: int = 25, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = needs_choices
        self.oldest_age = oldest_age

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("share_emergency_contacts") and not (cleaned.get("emergency_contacts") or "").strip():
            self.add_error("emergency_contacts", "Enter the emergency contacts to share, or untick sharing them")
        return cleaned

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        # Born on or before this day, they are past `oldest_age`: no longer a child or young person.
        try:
            limit = today.replace(year=today.year - self.oldest_age - 1)
        except ValueError:  # 29 February
            limit = today.replace(year=today.year - self.oldest_age - 1, day=28)
        if born is not None and born <= limit:
            raise forms.ValidationError(
                f"Date of birth must be after {date_format(limit, 'j F Y')}: short breaks are for children "
                f"and young people aged {self.oldest_age} or under"
            )
        return born


# A UK number as people write it: spaces, dashes and brackets allowed, +44 or 0 first.
_PHONE = re.compile(r"^(?:\+44|0)\d{9,10}$")
NEEDS_A_NUMBER = {
    Family.Contact.PHONE: "Enter a phone number so we can call you",
    Family.Contact.TEXT: "Enter a mobile phone number so we can send you text messages",
}


class FamilyForm(forms.Form):
    """The family's details, the first time a parent tells us about a child. `districts` is the
    council's area from its eligibility criteria (None: it serves families anywhere)."""

    home_postcode = forms.CharField(
        label="Your home postcode",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        error_messages={"required": "Enter your home postcode", "max_length": "Enter a real postcode, like DE1 3AB"},
    )
    preferred_contact = _choice(
        "How should we contact you?", Family.Contact.choices, "Select how we should contact you"
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text="We need it if you choose a phone call or text message. For example, 07700 900 982",
        error_messages={"max_length": "Enter a UK phone number, like 07700 900 982 or 01632 960 001"},
    )
    consent_to_share = forms.BooleanField(
        label="I agree that providers I book with may see my child's care needs", required=False
    )

    def __init__(self, *args, authority, districts: list[str] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        self.districts = districts

    def clean_home_postcode(self):
        try:
            postcode = locate(self.cleaned_data["home_postcode"]).postcode
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from None
        if problem := outside_area(authority=self.authority, postcode=postcode, districts=self.districts):
            raise forms.ValidationError(problem)
        return postcode

    def clean_phone(self):
        typed = self.cleaned_data["phone"].strip()
        digits = re.sub(r"[\s().-]", "", typed)
        if typed and not _PHONE.match(digits):
            raise forms.ValidationError("Enter a UK phone number, like 07700 900 982 or 01632 960 001")
        return typed

    def clean(self):
        cleaned = super().clean()
        contact = cleaned.get("preferred_contact")
        if contact in NEEDS_A_NUMBER and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", NEEDS_A_NUMBER[contact])
        return cleaned


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
                # The policy asks the family to confirm it: an application without it cannot be met.
                self.fields[f"declare_{criterion['code']}"] = forms.BooleanField(
                    label=criterion["text"],
                    error_messages={"required": "Confirm this is true for your child, by ticking the box, to apply"},
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
