"""Form pieces shared by every app: a date-and-time field typed as people write one, and a
price typed the way people write pounds."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms

from .errors import ServiceError
from .form_fields import TypedDateInput, TypedDateTimeField, date_field


def datetime_field(label: str, *, required: bool = True) -> forms.DateTimeField:
    """A date and time typed as people write them ("1 September 2027 2pm"; the formats are in
    core/formats/en_GB/formats.py); the box shows a saved one the same way, to the second."""
    return TypedDateTimeField(
        label=label,
        required=required,
        help_text="For example, 1 September 2027 2pm",
        widget=TypedDateInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": "Enter the date and time like 1 September 2027 2pm"},
    )


def parse_datetime(raw: str) -> dt.datetime | None:
    """A date and time typed into a form outside a Form class; None if blank or not one."""
    try:
        return datetime_field("", required=False).clean(raw)
    except forms.ValidationError:
        return None


def parse_date(raw: str, what: str) -> dt.date:
    """A date typed into a form outside a Form class ("1 September 2027", or "2027-03-31" from
    a date picker) -> a date, or a message naming the field."""
    try:
        value = date_field("", what, required=True).clean(raw or "")
    except forms.ValidationError:
        raise ServiceError(f"Enter {what} as a date, like 1 September 2027.") from None
    return value


def parse_pounds(raw: str, *, required: bool) -> Decimal | None:
    """ "£52,000" -> Decimal("52000"); blank is None unless a price is required."""
    text = (raw or "").replace(",", "").replace("£", "").strip()
    if not text and not required:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ServiceError("Enter the price as a number of pounds, like 25000") from None


class SitePageForm(forms.Form):
    body = forms.CharField(
        label="The page's text",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        max_length=40000,
        help_text="Start a heading with ## and a list item with -. Put a blank line between paragraphs.",
        error_messages={
            "required": "Enter the page's text",
            "max_length": "Keep the page to 40,000 characters or fewer",
        },
    )
