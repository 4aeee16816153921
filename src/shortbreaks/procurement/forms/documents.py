"""A document added to an opportunity (by the council) or to a draft bid (by its provider)."""

from django import forms

from shortbreaks.core.form_fields import text_field


class DocumentForm(forms.Form):
    title = text_field("Document title", max_length=200)
    file = forms.FileField(
        label="File (PDF, Word, spreadsheet or image)",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file you chose is empty: choose another",
            "invalid": "Choose a file to upload",
        },
    )
