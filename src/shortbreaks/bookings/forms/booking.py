"""The parent's booking form: which sessions, which children, transport. Sessions and children
are choices from what the page offers (this service's open sessions, this carer's children),
so a foreign or malformed id is a form error, never a lookup."""

import re

from django import forms

from shortbreaks.core.idempotency import KEY_PATTERN, new_key

KEY = re.compile(KEY_PATTERN)


class _Choices(forms.ModelMultipleChoiceField):
    def __init__(self, queryset, *, required_message: str, invalid_message: str):
        super().__init__(
            queryset=queryset,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": required_message,
                "invalid_choice": invalid_message,
                "invalid_pk_value": invalid_message,
                "invalid_list": invalid_message,
            },
        )

    def _check_values(self, value):
        # A malformed uuid fails in the model field with its own wording ("is not a valid
        # UUID"): the parent gets the same message as for an id the page did not offer.
        try:
            return super()._check_values(value)
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class BookForm(forms.Form):
    session = _Choices(
        None,
        required_message="Choose at least one session",
        invalid_message="Choose sessions from the list; one you chose is no longer open for booking",
    )
    child = _Choices(
        None, required_message="Choose at least one child", invalid_message="Choose children from the list"
    )
    transport = forms.BooleanField(required=False)
    action = forms.ChoiceField(choices=[("book", "Book"), ("waitlist", "Join the waiting list")], required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sessions, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["child"].queryset = children
        # A page shown again after an error keeps its key, so a second click still books once.
        # Unlike a KeyedForm, a post without one (a script, an old page) still books, once.
        raw = str(self.data.get("idempotency_key", "")) if self.is_bound else ""
        self.key = raw if KEY.match(raw) else new_key()

    def clean_action(self):
        return self.cleaned_data["action"] or "book"

    def chosen(self, name: str) -> set[str]:
        """The ids ticked, as typed, so a refused booking shows its boxes still ticked."""
        return {str(v) for v in self.data.getlist(name)} if self.is_bound else set()
