"""For the forms in a page's rows: a field's label can name its row. (A hidden field's error,
with nothing on the page to link to, is said at the top: core.form_fields.ButtonForm.)"""

from django import forms


def relabel(form: forms.Form, name: str, label: str) -> None:
    """Give a field a label naming its row ("to remove Alpha Trust"), even on a form that has
    been validated (whose bound fields, labels included, are already built)."""
    form.fields[name].label = label
    form._bound_fields_cache.pop(name, None)
