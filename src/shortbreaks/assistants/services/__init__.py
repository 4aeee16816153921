"""Writes about personal assistants, one module a use case: profiles.py (the profile, its
checks and vetting), bookings.py (asking, answering, cancelling, paid from a child's budget),
timesheets.py (hours worked, approved and paid) and checks.py (the daily warnings about checks
running out)."""

from .bookings import booking_answer, booking_cancel, booking_request
from .checks import expiry_check
from .profiles import (
    DBS_RENEWAL_YEARS,
    profile_for,
    profile_update,
    reference_add,
    submit_for_vetting,
    training_record,
    vet,
)
from .timesheets import timesheet_decide, timesheet_submit

__all__ = [
    "DBS_RENEWAL_YEARS",
    "booking_answer",
    "booking_cancel",
    "booking_request",
    "expiry_check",
    "profile_for",
    "profile_update",
    "reference_add",
    "submit_for_vetting",
    "timesheet_decide",
    "timesheet_submit",
    "training_record",
    "vet",
]
