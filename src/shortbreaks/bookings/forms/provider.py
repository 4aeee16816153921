"""The forms behind a provider's pages: marking the register (one child, everyone, or undoing a
mark), cancelling a scheme's booking on a family's behalf, and adding sessions (from the
schedule between two dates, or one-off, at the published times or at several times a day)."""

import datetime as dt
import re

from django import forms

from shortbreaks.core.form_fields import ButtonForm, date_field, row_field

from ..models import Booking, Session
from ..selectors.registers import ON_REGISTER

NO_BOOKING = "Choose a child on this register"
NO_BUTTON = "Choose a button on the register"


class AttendanceForm(ButtonForm):
    """One button of the register: came, did not come, undo (for one child), or everyone came."""

    CAME, ABSENT, UNDO, EVERYONE = "came", "absent", "undo", "everyone"
    action = forms.ChoiceField(
        choices=[(CAME, "Came"), (ABSENT, "Did not come"), (UNDO, "Undo"), (EVERYONE, "Mark everyone attended")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a button on the register",
            "invalid_choice": "Choose a button on the register",
        },
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["booking"] = row_field(session.bookings.filter(status__in=ON_REGISTER), NO_BOOKING)
        self.fields["booking"].required = False

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action and action != self.EVERYONE and not self.data.get("booking"):
            self.add_error(None, NO_BOOKING)
        return cleaned


class SchemeCancelForm(ButtonForm):
    """The coordinator cancels one booking of their scheme."""

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"] = row_field(
            Booking.objects.filter(session__scheme=scheme, status=Booking.Status.CONFIRMED),
            "Choose a booking of this scheme that can still be cancelled",
        )


_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
_SLOT = re.compile(rf"^\s*{_TIME}\s*(?:to|-|–|until)\s*{_TIME}\s*$", re.IGNORECASE)
TIMES_INVALID = "Enter each session's times on its own line, like 10am to 12:30pm"


def _clock(hour: str, minute: str | None, half: str | None) -> dt.time:
    hour_number, minute_number = int(hour), int(minute or 0)
    if half:
        if not 1 <= hour_number <= 12:
            raise ValueError
        hour_number = hour_number % 12 + (12 if half.lower() == "pm" else 0)
    return dt.time(hour_number, minute_number)


class SessionTimesField(forms.CharField):
    """Session times as people type them, one a line: "10am to 12pm", "1:30pm-4pm", "14:00 to
    16:30". Cleans to a sorted list of (starts, ends)."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})

    def clean(self, value):
        text = super().clean(value)
        slots = []
        for line in (line for line in (text or "").splitlines() if line.strip()):
            match = _SLOT.match(line.replace("–", "-"))
            if not match:
                raise forms.ValidationError(TIMES_INVALID)
            first_half, second_half = match.group(3), match.group(6)
            try:
                starts = _clock(match.group(1), match.group(2), first_half or second_half)
                ends = _clock(match.group(4), match.group(5), second_half)
            except ValueError:
                raise forms.ValidationError(TIMES_INVALID) from None
            if starts >= ends and first_half is None and second_half and second_half.lower() == "pm":
                starts = _clock(match.group(1), match.group(2), "am")  # "10 to 2pm": 10am
            if ends <= starts:
                raise forms.ValidationError(f"A session must end after it starts: {line.strip()}")
            slots.append((starts, ends))
        return sorted(set(slots))


class SessionsForm(forms.Form):
    SCHEDULE, ONE_OFF = "schedule", "one_off"
    pattern = forms.ChoiceField(
        label="Which sessions",
        choices=[
            (SCHEDULE, "On the days the service runs, from the first date to the last"),
            (ONE_OFF, "One day only, on the first date (a one-off)"),
        ],
        widget=forms.RadioSelect,
        initial=SCHEDULE,
        error_messages={"required": "Choose which sessions to add"},
    )
    start = date_field("First date", "the first date")
    end = date_field(
        "Last date", "the last date", required=False, hint="Not needed for a one-off. For example, 17 April 2027"
    )
    times = SessionTimesField(
        label="Session times (optional)",
        required=False,
        max_length=500,
        help_text="Leave this blank to use the service's published times. For several sessions on a day, "
        "put each on its own line, like 10am to 12pm",
    )
    places = forms.IntegerField(label="Places in each session", min_value=1, max_value=500)
    support_staff = forms.IntegerField(label="Staff free for one-to-one support", min_value=0, max_value=100, initial=0)
    transport_seats = forms.IntegerField(label="Transport seats (0 if none)", min_value=0, max_value=200, initial=0)
    price = forms.DecimalField(
        label="Price charged to the child's budget, in pounds (0 if free)",
        min_value=0,
        max_digits=8,
        decimal_places=2,
        initial=0,
    )
    tier = forms.ChoiceField(
        label="Who can book", choices=Session.Tier.choices, widget=forms.RadioSelect, initial=Session.Tier.TARGETED
    )
    open_days_before = forms.IntegerField(
        label="Booking opens this many days before", min_value=0, max_value=365, initial=28
    )
    cancel_days_before = forms.IntegerField(
        label="Free cancellation up to this many days before", min_value=0, max_value=60, initial=2
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pattern") == self.ONE_OFF:
            cleaned["end"] = cleaned.get("start")
        elif cleaned.get("pattern") == self.SCHEDULE and not cleaned.get("end") and "end" not in self.errors:
            self.add_error("end", "Enter the last date, or choose a one-off session")
        return cleaned
