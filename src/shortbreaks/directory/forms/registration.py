"""Registering an organisation, the council's decision on it, and its people. The format of
each registration number is checked here, with a message saying what the number looks like;
numbers are kept in one form (upper case, no spaces) so a duplicate is found whatever way it
was typed."""

import re

from django import forms

from shortbreaks.accounts.forms import EMAIL_INVALID, NewAccountPasswords, email_field, name_field
from shortbreaks.accounts.models import normalise_email
from shortbreaks.core.form_fields import ButtonForm
from shortbreaks.core.postcodes import PostcodeError, locate

from ..models import Organisation

# England and Wales: 6 to 8 digits, a linked charity with "-" and its number; Scotland: SC and
# 6 digits; Northern Ireland: NIC and 6 digits (older NI numbers, 100000 to 199999, are 6 digits).
CHARITY = re.compile(r"^(?:\d{6,8}(?:-\d{1,2})?|SC\d{6}|NIC\d{6})$")
# Companies House: 8 characters, all digits (England and Wales) or 2 letters and 6 digits.
COMPANY = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")
# Ofsted: a unique reference number of 6 or 7 digits, or EY or SC and 6 digits.
OFSTED = re.compile(r"^(?:\d{6,7}|(?:EY|SC)\d{6})$")
# CQC: a location ID is "1-" and 9 to 11 digits.
CQC = re.compile(r"^1-\d{9,11}$")
# Public Procurement Organisation Number (Procurement Act 2023, from the Central Digital
# Platform): P and 3 letters, 4 digits, 4 letters, in three parts, like PMZV-7329-TQGH.
PPON = re.compile(r"^P[A-Z]{3}-\d{4}-[A-Z]{4}$")


def compact(value: str) -> str:
    """'sc 012 345' -> 'SC012345': the one way a registration number is kept and compared."""
    return "".join((value or "").split()).upper()


def charity_number(value: str) -> str:
    number = compact(value)
    if number and not CHARITY.match(number):
        raise forms.ValidationError(
            "Enter a charity number in the right format: 6 to 8 digits in England and Wales, like 1123456; "
            "SC and 6 digits in Scotland, like SC012345; or NIC and 6 digits in Northern Ireland, like NIC100001"
        )
    return number


def company_number(value: str) -> str:
    number = compact(value)
    if number.isdigit() and len(number) < 8:
        number = number.zfill(8)  # Companies House numbers lose their leading zeros when typed
    if number and not COMPANY.match(number):
        raise forms.ValidationError(
            "Enter a company number in the right format: 8 digits, like 01234567, or 2 letters and 6 digits, "
            "like SC123456"
        )
    return number


def ppon(value: str) -> str:
    number = compact(value)
    if len(number) == 12 and "-" not in number:
        number = f"{number[:4]}-{number[4:8]}-{number[8:]}"  # typed without its hyphens
    if number and not PPON.match(number):
        raise forms.ValidationError(
            "Enter a PPON in the right format: P and 3 letters, 4 digits and 4 letters, like PMZV-7329-TQGH"
        )
    return number


def ofsted_urn(value: str) -> str:
    number = compact(value)
    if number and not OFSTED.match(number):
        raise forms.ValidationError(
            "Enter an Ofsted URN in the right format: 6 or 7 digits, like 123456, or EY or SC and 6 digits, "
            "like EY123456"
        )
    return number


def cqc_location_id(value: str) -> str:
    number = compact(value)
    if number and not CQC.match(number):
        raise forms.ValidationError(
            "Enter a CQC location ID in the right format: 1- and 9 to 11 digits, like 1-123456789"
        )
    return number


def full_postcode(value: str) -> str:
    """A whole postcode we can place, as it is shown ('DE1 3AB'); blank stays blank."""
    if not (value or "").strip():
        return ""
    try:
        place = locate(value)
    except PostcodeError as error:
        raise forms.ValidationError(str(error)) from None
    if len(place.postcode.split(" ")) != 2 or len(place.postcode.split(" ")[1]) != 3:
        raise forms.ValidationError("Enter the whole postcode, like DE1 3AB")
    return place.postcode


class OrganisationChecks:
    """The format checks, for any form with these fields (registering, or changing details)."""

    def clean_charity_number(self):
        return charity_number(self.cleaned_data.get("charity_number", ""))

    def clean_company_number(self):
        return company_number(self.cleaned_data.get("company_number", ""))

    def clean_ppon(self):
        return ppon(self.cleaned_data.get("ppon", ""))

    def clean_ofsted_urn(self):
        return ofsted_urn(self.cleaned_data.get("ofsted_urn", ""))

    def clean_cqc_location_id(self):
        return cqc_location_id(self.cleaned_data.get("cqc_location_id", ""))

    def clean_postcode(self):
        return full_postcode(self.cleaned_data.get("postcode", ""))


def _text(label, message, *, max_length=200, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, error_messages={"required": message}, **kwargs)


def _number(label, hint, what) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,  # room for spaces; the format check says what the number looks like
        help_text=hint,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": f"The {what} is too long. Check it and enter it again"},
    )


class OrganisationDetailsForm(OrganisationChecks, forms.Form):
    """What an organisation tells the council when it registers."""

    name = _text("Organisation name", "Enter the organisation's name")
    kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of organisation it is"},
    )
    description = _text(
        "What your organisation does",
        "Describe what your organisation does",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Families will read this once the council approves your organisation",
    )
    charity_number = _number(
        "Charity number (optional)", "For example, 1123456, SC012345 or NIC100001", "charity number"
    )
    company_number = _number(
        "Company number (optional)", "From Companies House, for example 01234567 or SC123456", "company number"
    )
    ppon = _number(
        "Public Procurement Organisation Number (PPON) (optional)",
        "From the Central Digital Platform, for example PMZV-7329-TQGH",
        "PPON",
    )
    ofsted_urn = _number("Ofsted URN (optional)", "For example, 123456 or EY123456", "Ofsted URN")
    cqc_location_id = _number("CQC location ID (optional)", "For example, 1-123456789", "CQC location ID")
    address_line = _text(
        "Building and street",
        "Enter the building and street of the organisation's address",
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    town = _text(
        "Town or city",
        "Enter the town or city",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postcode = _text(
        "Postcode",
        "Enter the organisation's postcode",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )
    contact_name = _text("Main contact's name", "Enter the main contact's name")
    contact_email = forms.EmailField(
        label="Main contact's email address",
        max_length=254,
        help_text="Families and the council will write to this address",
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={"required": "Enter the main contact's email address", "invalid": EMAIL_INVALID},
    )
    contact_phone = forms.CharField(label="Main contact's telephone (optional)", required=False, max_length=40)
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website's address, like https://www.example.org"},
    )
    is_small = forms.BooleanField(
        label="We have fewer than 50 staff (the council supports small providers)", required=False
    )

    def details(self) -> dict:
        """The new organisation's fields."""
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "kind": data["kind"],
            "description": data["description"].strip(),
            "charity_number": data["charity_number"],
            "company_number": data["company_number"],
            "ppon": data["ppon"],
            "ofsted_urn": data["ofsted_urn"],
            "cqc_location_id": data["cqc_location_id"],
            "address_line": data["address_line"].strip(),
            "town": data["town"].strip(),
            "postcode": data["postcode"],
            "contact_name": data["contact_name"].strip(),
            "email": normalise_email(data["contact_email"]),
            "phone": data["contact_phone"].strip(),
            "website": data["website"],
            "is_small": data["is_small"],
        }


class RegisterWithAccountForm(NewAccountPasswords, OrganisationDetailsForm):
    """Registering while signed out: the organisation, and the account of the person registering
    it, who will administer it."""

    full_name = name_field()
    email = email_field(
        label="Your email address", help_text="You will sign in with this. We will send a link to check it is yours."
    )
    agree = forms.BooleanField(
        label="I have read how the council uses my information (the privacy notice)",
        error_messages={"required": "Confirm you have read the privacy notice"},
    )


class RegistrationDecisionForm(ButtonForm):
    """The commissioner's decision on an organisation's registration: approve it (a button,
    nothing to type) or refuse it with a reason the registrant is sent."""

    said_at_top = ("decision",)
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the organisation"), ("refuse", "Refuse with this reason")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Press Approve the organisation, or Refuse with this reason",
            "invalid_choice": "Press Approve the organisation, or Refuse with this reason",
        },
    )
    reason = forms.CharField(
        label="Why are you refusing this registration?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="We will send this to the person who registered it",
        max_length=2000,
        required=False,
        error_messages={"max_length": "Keep the reason to 2000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["reason"] = cleaned.get("reason", "").strip()
        if cleaned.get("decision") == "refuse" and not cleaned["reason"] and "reason" not in self.errors:
            self.add_error("reason", "Say why you are refusing the registration")
        return cleaned


# The buttons of the organisation's people page, each with what it asks for.
PEOPLE_ACTIONS = ["invite", "remove", "leave", "share", "step_down", "hand_over"]
CHOOSE_WHAT = "Choose what to do: invite a colleague, remove one or change their role"


class PeopleActionForm(ButtonForm):
    """Which button of the organisation's people page was pressed; the form for what it asks
    (InviteColleagueForm or MemberForm) comes next."""

    said_at_top = ("action",)
    action = forms.ChoiceField(
        choices=[(a, a) for a in PEOPLE_ACTIONS],
        widget=forms.HiddenInput,
        error_messages={"required": CHOOSE_WHAT, "invalid_choice": CHOOSE_WHAT},
    )


class InviteColleagueForm(forms.Form):
    full_name = name_field(label="Their full name", required_message="Enter your colleague's full name")
    email = email_field(
        label="Their email address", required_message="Enter your colleague's email address", autocomplete="off"
    )
    administers = forms.BooleanField(
        label="Make them an administrator too (they can invite and remove people)", required=False
    )


class MemberForm(ButtonForm):
    """One of the organisation's people, chosen by a button: an id that is not one of them is a
    form error, never a server error."""

    said_at_top = ("member",)
    member = forms.ChoiceField(error_messages={"required": "Choose a person", "invalid_choice": "Choose a person"})

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["member"].choices = [(pk, str(m.user)) for pk, m in self.members.items()]

    def chosen(self):
        return self.members[self.cleaned_data["member"]]
