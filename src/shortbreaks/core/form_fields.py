"""Fields shared by every app's forms: each says what to type when it is wrong; ids that
arrive in hidden fields are choices from a queryset scoped to what the page shows (a contract,
an opportunity, the authority), so a malformed or foreign one is a form error, never a lookup."""

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


def date_field(label: str, what: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a date, like 2027-03-31"},
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
