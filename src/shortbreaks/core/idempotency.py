"""Submissions that move money carry a key made when the page is drawn, so a double click or a
retried request does the thing once and shows the same result (Zulip's idempotency note).
The key is unique per person in the database; the service returns what the first submission
made when the key comes again."""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.validators import RegexValidator
from django.db import IntegrityError

EXPIRED = "This page has expired: open it again and submit it once more."
KEY_PATTERN = r"^[A-Za-z0-9_:\-]{8,64}$"

T = TypeVar("T")


def new_key() -> str:
    return uuid.uuid4().hex


class IdempotencyKeyField(forms.CharField):
    """A hidden field with a fresh key each time the form is drawn unbound; a form drawn again
    with errors keeps the key it was posted with."""

    def __init__(self, **kwargs):
        super().__init__(
            widget=forms.HiddenInput,
            initial=new_key,
            max_length=64,
            validators=[RegexValidator(KEY_PATTERN, EXPIRED)],
            error_messages={"required": EXPIRED, "max_length": EXPIRED},
            **kwargs,
        )


def once(do: Callable[[], T], *, done_before: Callable[[], T | None]) -> T:
    """Return what a submission with this key made before, or do it now. `do` is the durable
    transaction; if the same submission arrives twice at once, the unique key stops the second
    one, which then returns what the first made."""
    if (earlier := done_before()) is not None:
        return earlier
    try:
        return do()
    except IntegrityError:
        if (earlier := done_before()) is None:
            raise
        return earlier


class KeyedForm(forms.Form):
    """A form whose submission moves money. A missing or spoilt key is said at the top of the
    error summary: there is no field a person could put it right in."""

    idempotency_key = IdempotencyKeyField()

    def clean(self):
        data = super().clean()
        if self.errors.pop("idempotency_key", None):
            self.add_error(None, EXPIRED)
        return data
