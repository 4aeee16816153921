"""The forms behind a family's buttons on their bookings: confirming a cancellation or leaving a
waiting list (nothing to fill in: the page says what will happen, the button agrees), and
answering the offer of a place."""

from django import forms


class ConfirmForm(forms.Form):
    """A confirmation page's button. No fields: posting it is the answer."""


class OfferAnswerForm(forms.Form):
    accept = forms.ChoiceField(
        choices=[("yes", "Accept the place"), ("no", "Decline")],
        error_messages={
            "required": "Choose whether to accept or decline the place",
            "invalid_choice": "Choose whether to accept or decline the place",
        },
    )

    def clean(self):
        # The answer comes from the button pressed, which has nothing on the page to link to.
        data = super().clean()
        if "accept" in self._errors:
            self.add_error(None, self._errors.pop("accept"))
        return data
