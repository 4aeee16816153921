"""For the forms in a page's rows: a hidden field (the row a button acts on, the button
pressed) that comes back wrong has nothing on the page to link to, so its message is said at
the top; and a field's label can name its row."""

from django import forms


class HiddenErrorsAtTop(forms.Form):
    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput) and name in self._errors:
                self.add_error(None, self._errors.pop(name))
        return data


def relabel(form: forms.Form, name: str, label: str) -> None:
    """Give a field a label naming its row ("to remove Alpha Trust"), even on a form that has
    been validated (whose bound fields, labels included, are already built)."""
    form.fields[name].label = label
    form._bound_fields_cache.pop(name, None)
