"""A form whose hidden fields (the row a button acts on, the button pressed) can come back
wrong: there is nothing on the page to link to, so the message is said at the top instead."""

from django import forms


class HiddenErrorsAtTop(forms.Form):
    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput) and name in self._errors:
                self.add_error(None, self._errors.pop(name))
        return data
