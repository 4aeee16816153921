"""Forms for personal assistants' profiles, vetting, searching and booking."""

from django import forms

from shortbreaks.accounts.forms import NewAccountPasswords, email_field, name_field
from shortbreaks.core.form_fields import ButtonForm, RowForm, date_field, row_field, text_field, time_field
from shortbreaks.core.idempotency import KeyedForm
from shortbreaks.core.postcodes import KM_PER_MILE, PostcodeError, locate

from .models import DAYS, AssistantBooking, Part, Reference, Skill

SLOTS = [(f"{day}-{part}", f"{DAYS[day]} {label.lower()}") for day in range(7) for part, label in Part.choices]


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Name families see", max_length=100)
    about = forms.CharField(
        label="About you",
        help_text="Your experience and what you enjoy doing with children.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
    )
    postcode = forms.CharField(
        label="Your postcode", max_length=10, help_text="Families see how far away you are, never your address."
    )
    travel_miles = forms.IntegerField(
        label="How far you will travel, in miles",
        min_value=1,
        max_value=60,
        error_messages={
            "required": "Enter how far you will travel, in miles, like 5",
            "invalid": "Enter how far you will travel as a whole number of miles, like 5",
            "min_value": "Enter at least 1 mile",
            "max_value": "Enter at most 60 miles",
        },
    )
    hourly_rate = forms.DecimalField(
        label="Your hourly rate, in pounds", min_value=0, max_value=100, max_digits=6, decimal_places=2
    )
    skills = forms.MultipleChoiceField(
        label="Your skills",
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one skill"},
    )
    slots = forms.MultipleChoiceField(
        label="When you are usually free", choices=SLOTS, required=False, widget=forms.CheckboxSelectMultiple
    )
    dbs_certificate = forms.RegexField(
        label="Enhanced DBS certificate number",
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": "Enter the 12 digits of the DBS certificate number"},
    )
    dbs_issued_on = date_field(
        "Date the DBS certificate was issued",
        "the date it was issued",
        required=False,
        hint="For example, 30 September 2025",
    )
    hidden = forms.BooleanField(label="Hide my profile from families for now", required=False)

    def clean_postcode(self):
        try:
            return locate(self.cleaned_data["postcode"]).postcode
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("dbs_certificate")) != bool(cleaned.get("dbs_issued_on")) and not self.errors:
            self.add_error("dbs_issued_on", "Give both the DBS certificate number and the date it was issued")
        return cleaned

    def travel_km(self) -> int:
        """Kept in km, as distances are measured; asked and shown in miles."""
        return round(self.cleaned_data["travel_miles"] * KM_PER_MILE)

    def slot_pairs(self) -> list[tuple[int, str]]:
        return [(int(value.split("-")[0]), value.split("-")[1]) for value in self.cleaned_data["slots"]]


class StartProfileForm(forms.Form):
    """What families will see first, asked for when a PA registers; the rest (skills, rate,
    DBS check, referees) is added later from their home."""

    display_name = forms.CharField(
        label="Name families see",
        max_length=100,
        help_text="For example, your first name and the first letter of your surname: Sam P.",
        error_messages={"required": "Enter the name families will see"},
    )
    postcode = forms.CharField(
        label="Your postcode",
        max_length=10,
        help_text="Families see how far away you are, never your address.",
        error_messages={"required": "Enter your postcode"},
    )

    def clean_postcode(self):
        try:
            return locate(self.cleaned_data["postcode"]).postcode
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from None


class RegisterForm(StartProfileForm, NewAccountPasswords):
    """Someone without an account: the account (confirmed by email before it works) and the
    start of their profile, in one go."""

    full_name = name_field()
    email = email_field(help_text="We will send a link to this address to check it is yours.")
    agree = forms.BooleanField(
        label="I have read how the council uses my information (the privacy notice)",
        error_messages={"required": "Confirm you have read the privacy notice"},
    )
    field_order = ["full_name", "email", "password1", "password2", "display_name", "postcode", "agree"]


class TrainingForm(forms.Form):
    course = forms.CharField(label="Course", max_length=200)
    skill = forms.ChoiceField(
        label="The skill it covers", choices=[("", "None of these"), *Skill.choices], required=False
    )
    completed_on = date_field("Date completed", "the date you completed it", hint="For example, 14 March 2026")
    expires_on = date_field(
        "Date it runs out", "the date it runs out", required=False, hint="Leave empty if it does not run out."
    )


class ReferenceForm(forms.Form):
    referee = forms.CharField(label="Referee's name", max_length=200)
    relationship = forms.CharField(label="How they know you", max_length=200, help_text="For example, a past employer")
    email = forms.EmailField(
        label="Referee's email", error_messages={"invalid": "Enter an email address like name@example.org"}
    )


class ChosenOnly(forms.MultipleChoiceField):
    """Ticked boxes from a GET form: a blank value (an empty `skills=`) is no choice at all,
    not an invalid one."""

    def to_python(self, value):
        return [v for v in super().to_python(value) if v]


MILES = [("", "As far as they travel"), ("1", "1 mile"), ("3", "3 miles"), ("5", "5 miles"), ("10", "10 miles")]


class SearchForm(forms.Form):
    """A GET form that shows exactly what the parent chose: nothing is ticked for them on a
    submitted search (the page offers each child's suggested skills as a link instead)."""

    postcode = forms.CharField(
        label="Near this postcode",
        max_length=10,
        required=False,
        help_text="Leave empty to search near your home.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    within = forms.TypedChoiceField(label="Distance", coerce=int, empty_value=None, required=False, choices=MILES)
    day = forms.TypedChoiceField(
        label="Day", coerce=int, empty_value=None, required=False, choices=[("", "Any day"), *enumerate(DAYS)]
    )
    part = forms.ChoiceField(label="Time of day", required=False, choices=[("", "Any time"), *Part.choices])
    skills = ChosenOnly(
        label="Skills needed",
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose skills from the list"},
    )

    def clean_postcode(self):
        raw = self.cleaned_data["postcode"]
        if not raw:
            return None
        try:
            return locate(raw)
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from None


class RequestForm(KeyedForm):  # it commits the child's money: a double click asks once
    child = forms.ChoiceField(label="Which child")
    date = date_field("Date", "the date", hint="For example, 6 April 2027")
    starts_at = time_field("From", "the time the PA starts", hint="For example, 10am")
    ends_at = time_field("Until", "the time the PA finishes", hint="For example, 2:30pm")
    message = forms.CharField(
        label="Anything the PA should know", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    meet_at = text_field(
        "Where the PA should come",
        max_length=200,
        required_message="Say where the PA should come, like your home address or a meeting place",
        help_text="For example, your home address or a meeting place. We send it to the PA with your request.",
    )
    contact_email = forms.EmailField(
        label="Email address the PA can reach you on",
        error_messages={
            "required": "Enter an email address the PA can reach you on",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    contact_phone = forms.CharField(
        label="Phone number the PA can call (optional)",
        max_length=40,
        required=False,
        help_text="Leave empty if you would rather the PA emailed.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": "Keep the phone number to 40 characters or fewer"},
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(str(c.pk), c.first_name) for c in children]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", "The end time must be after the start time")
        return cleaned


class TimesheetForm(RowForm):
    """The PA's hours for one booking on their home page; drawn again with what they typed."""

    row = "booking"
    booking = row_field(AssistantBooking.objects.none(), "Choose one of your bookings")
    hours = forms.DecimalField(
        label="Hours worked",
        min_value=0.25,
        max_value=24,
        max_digits=4,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the hours worked, like 2.5",
            "invalid": "Enter the hours worked as a number, like 2.5",
            "min_value": "Enter at least 0.25 hours",
            "max_value": "Enter at most 24 hours",
            "max_digits": "Enter the hours worked as a number, like 2.5",
            "max_decimal_places": "Enter the hours to at most 2 decimal places, like 2.25",
        },
    )
    note = text_field("Note for the family (optional)", max_length=500)

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = bookings


class AnswerForm(RowForm):
    """The PA accepts or declines one request on their home page."""

    row = "booking"
    booking = row_field(AssistantBooking.objects.none(), "Choose one of the requests waiting for you")
    action = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose to accept or decline", "invalid_choice": "Choose to accept or decline"},
    )
    note = text_field("Message to the family (optional)", max_length=500)

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = bookings


class DecideForm(KeyedForm, RowForm):  # approving pays the PA from the child's budget: a double click pays once
    row = "booking"
    booking = row_field(AssistantBooking.objects.none(), "Choose a timesheet waiting for you")
    action = forms.ChoiceField(
        choices=[("approve", "Approve and pay"), ("query", "Query it")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose to approve or query the timesheet"},
    )
    reason = text_field("If something is wrong, say what (to query it)", max_length=500)

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = bookings

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "query" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say what is wrong with the timesheet, so the PA can correct it")
        return cleaned


class CancelForm(forms.Form):
    """The "Yes, cancel it" button of the confirmation page."""

    confirm = forms.TypedChoiceField(
        choices=[("yes", "Yes")],
        widget=forms.HiddenInput,
        error_messages={"required": "Confirm you want to cancel", "invalid_choice": "Confirm you want to cancel"},
    )


class SubmitForVettingForm(ButtonForm):
    """The PA's "Ask to be vetted" button on their home page."""

    said_at_top = ("action",)
    action = forms.ChoiceField(
        choices=[("submit", "Ask to be vetted")],
        widget=forms.HiddenInput,
        error_messages={"required": "Press Ask to be vetted", "invalid_choice": "Press Ask to be vetted"},
    )


class BookingActionForm(forms.Form):
    """Which button of a booking's row on the PA's home page was pressed: an answer to the
    request (AnswerForm) or the timesheet (TimesheetForm). Anything else is the answer's error."""

    action = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline"), ("timesheet", "Timesheet")])

    def is_timesheet(self) -> bool:
        return self.is_valid() and self.cleaned_data["action"] == "timesheet"


REFEREE = "Choose referees from the list"


class ChosenReferees(forms.ModelMultipleChoiceField):
    """Ticked referees: a malformed id (not a UUID) gets the same message as one not offered,
    not the database's words."""

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(REFEREE, code="invalid_choice") from None


class VetForm(ButtonForm):
    """An officer's decision on a PA waiting to be vetted: the referees whose references came
    (only this PA's), approve or not, and why."""

    said_at_top = ("decision",)
    received = ChosenReferees(
        label="References received",
        queryset=Reference.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = text_field("Reason or note (needed if not approving)", max_length=500, textarea=True)
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Do not approve")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Press Approve or Do not approve",
            "invalid_choice": "Press Approve or Do not approve",
        },
    )

    def __init__(self, *args, assistant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].queryset = assistant.references.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the profile is not approved, so the PA can put it right")
        return cleaned

    def ticked(self) -> list[str]:
        """The referees ticked as posted, to tick them again when the page comes back."""
        value = self["received"].value() or []
        return [str(v) for v in value]
