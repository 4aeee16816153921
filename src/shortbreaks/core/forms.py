"""Form pieces shared by every app: a date-and-time field that works with and without the
browser's picker, and a price typed the way people write pounds."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms

from .errors import ServiceError

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def datetime_field(label: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        help_text="For example, 2027-03-01 12:00",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter the date and time like 2027-03-01 12:00"},
    )


def parse_datetime(raw: str) -> dt.datetime | None:
    """A date and time typed into a form outside a Form class; None if blank or not one."""
    try:
        return datetime_field("", required=False).clean(raw)
    except forms.ValidationError:
        return None


def parse_date(raw: str, what: str) -> dt.date:
    """'2027-03-31' (what a date input sends) -> a date, or a message naming the field."""
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ServiceError(f"Enter {what} as a date, like 2027-03-31.") from None


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
