"""Fields shared by every app's forms: each says what to type when it is wrong; ids that
arrive in hidden fields are choices from a queryset scoped to what the page shows (a contract,
an opportunity, the authority), so a malformed or foreign one is a form error, never a lookup."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms

PRICE_INVALID = "Enter the price as a number of pounds, like 25000"


class PoundsField(forms.CharField):
    """Pounds as people type them: "£9,000", "1250.00"; never negative."""

    def __init__(self, *, label: str, required_message: str, invalid_message: str = PRICE_INVALID, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}))
        super().__init__(label=label, error_messages={"required": required_message}, **kwargs)
        self.invalid_message = invalid_message

    def clean(self, value):
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            amount = Decimal(text.replace(",", "").replace("£", "").strip())
        except InvalidOperation:
            raise forms.ValidationError(self.invalid_message) from None
        if not amount.is_finite() or amount < 0:
            raise forms.ValidationError(self.invalid_message)
        return amount.quantize(Decimal("0.01"))


# What people type around a date or a time that the input formats do not allow for:
# "Sept", "1st", commas, "Sep.", "2 pm", "2.30pm", "p.m.", "midday".
_TIDY = (
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE), r"\1"),
    (re.compile(r"\bsept\b", re.IGNORECASE), "Sep"),
    (re.compile(r"\b([a-z]{3,})\.", re.IGNORECASE), r"\1"),
    (re.compile(r"\b(?:midday|noon)\b", re.IGNORECASE), "12pm"),
    (re.compile(r"\b([ap])\.?m\.?(?=\s|$)", re.IGNORECASE), r"\1m"),
    (re.compile(r"(\d)\.(\d\d)(?=\s*[ap]m\b|$)", re.IGNORECASE), r"\1:\2"),
    (re.compile(r"(\d)\s+([ap]m)\b", re.IGNORECASE), r"\1\2"),
)

_HAS_TIME = re.compile(r"\d:\d\d|\d[ap]m\b", re.IGNORECASE)


def tidy_typed(text: str) -> str:
    """ "Sept 1st, 2027 2.30 p.m." as the input formats expect it: "1 Sep 2027 2:30pm"."""
    text = " ".join(str(text).replace(",", " ").split())
    for pattern, replacement in _TIDY:
        text = pattern.sub(replacement, text)
    return text


def show_time(value) -> str:
    """14:30 -> "2:30pm", 10:00 -> "10am": how a time is shown in a box (and accepted back)."""
    if value.second:
        return f"{value:%H:%M:%S}"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d}{suffix}" if value.minute else f"{hour}{suffix}"


class TypedDateInput(forms.TextInput):
    """A text box showing a date as "1 September 2027", a date and time as "1 September 2027
    2:30pm" (with its seconds, "14:30:15", when it has any, so a value saved unchanged stays
    exactly as it was) and a time as "2:30pm"; what was typed is shown again as typed."""

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            return f"{value.day} {value:%B %Y} {show_time(value)}"
        if isinstance(value, dt.date):
            return f"{value.day} {value:%B %Y}"
        if isinstance(value, dt.time):
            return show_time(value)
        return super().format_value(value)


class TypedDateField(forms.DateField):
    """A date as people type it ("1 September 2027", "1 Sept 2027", "01/09/2027", "2027-09-01")."""

    widget = TypedDateInput

    def to_python(self, value):
        return super().to_python(tidy_typed(value) if isinstance(value, str) else value)


class TypedDateTimeField(forms.DateTimeField):
    """A date and a time as people type them ("1 September 2027 2pm", "2027-09-01 14:00"). A
    date on its own is refused rather than read as midnight: a deadline needs its time."""

    widget = TypedDateInput

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            value = tidy_typed(value)
            if not _HAS_TIME.search(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class TypedTimeField(forms.TimeField):
    """A time as people type it ("10am", "2pm", "2:30pm", "14:30")."""

    widget = TypedDateInput

    def to_python(self, value):
        return super().to_python(tidy_typed(value) if isinstance(value, str) else value)


DATE_HINT = "For example, 1 September 2027"


def date_field(label: str, what: str, *, required: bool = True, hint: str = DATE_HINT) -> forms.DateField:
    return TypedDateField(
        label=label,
        required=required,
        help_text=hint,
        widget=TypedDateInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a date, like 1 September 2027"},
    )


def time_field(label: str, what: str, *, required: bool = True, hint: str = "For example, 10am or 2:30pm"):
    return TypedTimeField(
        label=label,
        required=required,
        help_text=hint,
        widget=TypedDateInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a time, like 10am or 2:30pm"},
    )


def whole_field(label: str, what: str, *, required: bool = True, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": f"Enter {what}, like 2",
            "invalid": f"Enter {what} as a whole number, like 2",
            "min_value": f"{what.capitalize()} cannot be negative",
        },
        **kwargs,
    )


def number_field(label: str, what: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": f"Enter {what}, like 12.5",
            "invalid": f"Enter {what} as a number, like 12.5",
            "min_value": f"{what.capitalize()} cannot be negative",
            "max_digits": f"Enter {what} as a number, like 12.5",
            "max_decimal_places": f"Enter {what} with at most 2 decimal places, like 12.5",
        },
    )


def text_field(label: str, *, max_length: int, required_message: str = "", textarea: bool = False, **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required_message),
        widget=forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput,
        error_messages={
            "required": required_message,
            "max_length": f"Keep it to {max_length} characters or fewer",
        },
        **kwargs,
    )


class RowChoiceField(forms.ModelChoiceField):
    """A record named by id: a malformed id gets the same message as one not offered."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


def row_field(queryset, message: str) -> forms.ModelChoiceField:
    """The record a row's button acts on, from a hidden field."""
    return RowChoiceField(
        queryset=queryset,
        widget=forms.HiddenInput,
        error_messages={"required": message, "invalid_choice": message},
    )


class RowForm(forms.Form):
    """A form in one row of a page's list (a variation, a return, a visit): `row` names the
    hidden field saying which. Its ids end in the row's id, as the page's do, so the error
    summary links to the row's fields and the page can show what was typed there again."""

    row = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raw = str(self.data.get(self.row, "")) if self.is_bound else ""
        self.row_id = re.sub(r"[^0-9A-Za-z-]", "", raw)[:64]
        if self.row_id:
            self.auto_id = f"%s-{self.row_id}"

    @property
    def kind(self) -> str:
        """Which form it is, for a page whose rows hold more than one."""
        return type(self).__name__


class ButtonForm(forms.Form):
    """A form with fields there is no box to put right in: hidden ones (a button's value, the id
    of the row it acts on) and any named in `said_at_top` (a value only a button sends). Their
    errors are said at the top of the error summary, where its link goes to the page itself."""

    said_at_top: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if name in self.said_at_top or isinstance(field.widget, forms.HiddenInput):
                for error in self.errors.pop(name, []):
                    self.add_error(None, error)
        return cleaned
