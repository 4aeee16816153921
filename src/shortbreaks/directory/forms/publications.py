from django import forms
from django.utils import timezone

from shortbreaks.core.form_fields import DATE_HINT, TypedDateField, TypedDateTimeField

from ..models import CommissioningIntention, ProviderEvent
from ..selectors.taxonomy import break_kind_terms, needs_terms


class IntentionForm(forms.ModelForm):
    class Meta:
        model = CommissioningIntention
        fields = ["title", "summary", "body", "break_kinds", "needs", "estimated_value", "expected_start"]
        labels = {
            "body": "Details",
            "break_kinds": "Kinds of break",
            "needs": "Needs",
            "estimated_value": "Estimated value a year in pounds",
            "expected_start": "Expected start date",
        }
        help_texts = {"expected_start": DATE_HINT}
        field_classes = {"expected_start": TypedDateField}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "break_kinds": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs_terms()
        self.fields["break_kinds"].queryset = break_kind_terms()

    # The "Save and publish" button's value; "Save as draft" sends none. Drawn by the buttons,
    # not in the loop over the visible fields.
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DocumentForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(
        label="File",
        help_text="PDF, Word, Excel, PowerPoint or OpenDocument, up to 10MB",
        error_messages={"required": "Select a file"},
    )


class EventForm(forms.ModelForm):
    class Meta:
        model = ProviderEvent
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "postcode",
            "places",
            "registration_closes_at",
        ]
        labels = {"starts_at": "Starts", "ends_at": "Ends", "registration_closes_at": "Registration closes"}
        help_texts = {
            "starts_at": "For example, 14 January 2027 10am",
            "ends_at": "For example, 14 January 2027 1pm",
            "registration_closes_at": "For example, 12 January 2027 5pm",
        }
        field_classes = dict.fromkeys(["starts_at", "ends_at", "registration_closes_at"], TypedDateTimeField)
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        data = super().clean()
        starts, ends, closes = data.get("starts_at"), data.get("ends_at"), data.get("registration_closes_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The event must end after it starts")
        if starts and closes and closes > starts:
            self.add_error("registration_closes_at", "Registration must close before the event starts")
        if starts and starts <= timezone.now():
            self.add_error("starts_at", "The event must be in the future")
        return data


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the event cancelled?",
        help_text="Everyone registered gets this in their email. "
        "For example, the speaker is ill: we will set a new date",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why the event is cancelled: those registered are told",
            "max_length": "Keep the reason to 1,000 characters or fewer",
        },
    )


class RegistrationForm(forms.Form):
    attendee_name = forms.CharField(label="Name of the person coming", max_length=200)
    attendee_email = forms.EmailField(label="Their email address")
    access_needs = forms.CharField(
        label="Access needs (optional)",
        required=False,
        max_length=300,
        help_text="For example, step-free access or a BSL interpreter",
    )


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label="Email address for news")
    break_kinds = forms.MultipleChoiceField(
        label="Kinds of break",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to hear about everything",
    )
    needs = forms.MultipleChoiceField(label="Needs", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [(str(t.pk), t.name) for t in needs_terms()]
        self.fields["break_kinds"].choices = [(str(t.pk), t.name) for t in break_kind_terms()]
