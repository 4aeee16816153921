"""The GOV.UK date input: a day, a month and a year as three boxes in one fieldset, posted as
`<name>_0`, `<name>_1` and `<name>_2`, with the GOV.UK messages for each way a date goes wrong
(https://design-system.service.gov.uk/components/date-input/). Each error names the parts it is
about (`params["parts"]`), so the `govuk_field` tag marks only those boxes and the error summary
links to the first of them."""

import calendar
import datetime as dt

from django import forms
from django.utils import timezone

PARTS = ("day", "month", "year")
# People type months as names too ("May", "sept"), as the Design System expects.
MONTHS = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


class DateInputWidget(forms.MultiWidget):
    """Three text boxes (numbers, no spinners); `govuk_field` renders them in GOV.UK markup."""

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric", "spellcheck": "false"}
        super().__init__([forms.TextInput(attrs=box) for _ in PARTS], attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


def _error(message: str, code: str, parts=PARTS) -> forms.ValidationError:
    return forms.ValidationError(message, code=code, params={"parts": tuple(parts)})


class DateInputField(forms.MultiValueField):
    """A date typed as day, month and year. `name` starts each message ("Date of birth must
    include a month"); `required_message` is the one for nothing typed ("Enter your child's date
    of birth"). `past=True` refuses a date after today (today itself is allowed: a baby born
    today has a date of birth)."""

    widget = DateInputWidget

    def __init__(self, *, label: str, name: str, required_message: str, past: bool = False, **kwargs):
        kwargs.setdefault("help_text", "For example, 27 3 2017")
        parts = [forms.CharField(required=False) for _ in PARTS]
        super().__init__(parts, label=label, require_all_fields=False, **kwargs)
        self.noun = name  # not self.name: a form field's name is its BoundField's
        self.required_message = required_message
        self.past = past

    def clean(self, value):
        typed = [str(part or "").strip() for part in (list(value or []) + ["", "", ""])[:3]]
        if not any(typed):
            if self.required:
                raise _error(self.required_message, "required")
            return None
        missing = [part for part, text in zip(PARTS, typed, strict=True) if not text]
        if missing:
            raise _error(f"{self.noun} must include a {' and a '.join(missing)}", "incomplete", missing)
        typed[1] = str(MONTHS.get(typed[1].lower(), typed[1]))
        not_numbers = [part for part, text in zip(PARTS, typed, strict=True) if not (text.isascii() and text.isdigit())]
        if not_numbers:
            raise _error(f"{self.noun} must be a real date", "invalid", not_numbers)
        day, month, year = (int(text) for text in typed)
        if len(typed[2]) != 4:
            raise _error("Year must include 4 numbers", "year_digits", ["year"])
        try:
            date = dt.date(year, month, day)
        except ValueError:
            wrong = ["month"] if not 1 <= month <= 12 else ["day"]
            raise _error(f"{self.noun} must be a real date", "invalid", wrong) from None
        if self.past and date > timezone.localdate():
            raise _error(f"{self.noun} must be in the past", "future")
        self.run_validators(date)
        return date

    def compress(self, data_list):  # clean() above does the work; kept for MultiValueField
        return data_list

    def has_changed(self, initial, data):
        before = ["" if part is None else str(part) for part in self.widget.decompress(initial)]
        typed = [str(part or "").strip() for part in (list(data or []) + ["", "", ""])[:3]]
        return before != [text.lstrip("0") or text for text in typed]


def error_parts(errors) -> tuple[str, ...]:
    """The boxes a date field's errors are about: all three unless an error names some."""
    named: list[str] = []
    for error in errors.as_data():
        parts = (error.params or {}).get("parts") if hasattr(error, "params") else None
        if not parts:
            return PARTS
        named.extend(part for part in parts if part not in named)
    return tuple(part for part in PARTS if part in named)
