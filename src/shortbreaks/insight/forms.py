"""Insight's forms: publishing a statement, and the council's own sections of the market
position statement."""

import datetime as dt

from django import forms

from shortbreaks.core.form_fields import ButtonForm, RowForm, date_field, row_field, text_field, whole_field

from .models import Statement, StatementSection
from .services import BODY_MAX, HEADING_MAX, review_date_problem


class StatementPublishForm(forms.Form):
    kind = forms.ChoiceField(
        label="Statement",
        choices=Statement.Kind.choices,
        error_messages={
            "required": "Choose which statement to publish",
            "invalid_choice": "Choose which statement to publish",
        },
    )
    review_by = date_field("Review by", "the review date")
    summary = text_field("What changed since the last version (optional)", max_length=500)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        example = today + dt.timedelta(days=365)
        self.fields["review_by"].help_text = f"Within the next two years. For example, {example:%-d %B %Y}"

    def clean_review_by(self):
        review_by = self.cleaned_data["review_by"]
        if problem := review_date_problem(review_by, today=self.today):  # the service's own rule, said at the box
            raise forms.ValidationError(problem)
        return review_by


class SectionForm(forms.Form):
    heading = text_field(
        "Heading",
        max_length=HEADING_MAX,
        required_message="Enter the section's heading",
        help_text="For example, Our vision, or What we want from providers",
    )
    body = text_field(
        "Text",
        max_length=BODY_MAX,
        required_message="Enter the section's text",
        textarea=True,
        help_text="Plain text. Put a blank line between paragraphs.",
    )
    place = forms.ChoiceField(
        label="Where it goes in the statement",
        choices=StatementSection.Place.choices,
        initial=StatementSection.Place.START,
        error_messages={"required": "Choose where the section goes", "invalid_choice": "Choose where the section goes"},
    )
    position = whole_field(
        "Order in that place (optional)",
        "the order",
        required=False,
        max_value=999,
        help_text="1 comes first. Leave it blank to keep its order, or to put a new section last.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs.update(rows=8, spellcheck="true")
        self.fields["position"].error_messages["max_value"] = "Enter the order as a number up to 999"


class SectionChangeForm(ButtonForm, RowForm, SectionForm):
    """One section's own form on the page (its Save and Remove buttons)."""

    row = "section"
    section = row_field(StatementSection.objects.none(), "Choose a section on this page")

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = StatementSection.objects.filter(authority=authority)


class SectionRemoveForm(ButtonForm, RowForm):
    row = "section"
    section = row_field(StatementSection.objects.none(), "Choose a section on this page")

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = StatementSection.objects.filter(authority=authority)
