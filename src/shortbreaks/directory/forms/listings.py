"""Provider forms. They turn what a provider types into a snapshot for approval; rules about
what may change live in services, not here."""

from django import forms

from shortbreaks.core.form_fields import ButtonForm, row_field, time_field
from shortbreaks.core.postcodes import PostcodeError

from ..models import ListingChange, Organisation, Service
from ..selectors.search import DAYS
from ..selectors.taxonomy import break_kind_terms, needs_terms
from ..services.snapshots import ORGANISATION_FIELDS, SERVICE_FIELDS, areas_from_text
from .registration import OrganisationChecks


class ServiceForm(forms.Form):
    name = forms.CharField(label="Service name", max_length=200)
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What children do, and what families can expect",
    )
    status = forms.ChoiceField(label="Status", choices=Service.Status.choices)
    break_kinds = forms.MultipleChoiceField(
        label="Kinds of break",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one kind of break"},
    )
    needs = forms.MultipleChoiceField(
        label="Needs supported",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one need the service supports"},
    )
    minimum_age = forms.IntegerField(label="Youngest age", min_value=0, max_value=25)
    maximum_age = forms.IntegerField(label="Oldest age", min_value=0, max_value=25)
    capacity = forms.IntegerField(label="Places at a time", min_value=1, required=False)
    days = forms.MultipleChoiceField(
        label="Days it runs",
        choices=DAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the days the service runs"},
    )
    opens_at = time_field("Starts at", "a start time", hint="For example, 9:30am")
    closes_at = time_field("Ends at", "an end time", hint="For example, 3pm")
    schedule_note = forms.CharField(label="Anything else about when it runs", required=False, max_length=300)
    is_free = forms.BooleanField(label="This service is free to families", required=False)
    cost_amount = forms.DecimalField(
        label="Cost in pounds",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": "Enter the cost as a number, like 25.00"},
    )
    cost_description = forms.CharField(
        label="Cost is per", required=False, max_length=200, help_text="For example, per session or per night"
    )
    fees = forms.CharField(label="Anything else about cost", required=False, max_length=300)
    locations = forms.MultipleChoiceField(label="Where it runs", required=False, widget=forms.CheckboxSelectMultiple)
    areas = forms.CharField(
        label="Postcode areas it comes to",
        required=False,
        max_length=300,
        help_text="For breaks at home or in the community: postcode districts, like DE1, DE22",
    )
    registration = forms.ChoiceField(label="Registered with", required=False, choices=Service.Registration.choices)
    registration_number = forms.CharField(label="Ofsted URN or CQC location ID", required=False, max_length=20)
    accreditations = forms.CharField(label="Accreditations", required=False, max_length=300)
    send_support = forms.CharField(
        label="How the service supports children with SEND", widget=forms.Textarea(attrs={"rows": 4})
    )
    staff_training = forms.CharField(label="Staff training and experience", widget=forms.Textarea(attrs={"rows": 3}))
    accessibility = forms.CharField(
        label="Accessibility",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Wheelchair access, changing places, quiet spaces, sensory rooms",
    )
    how_to_contact = forms.CharField(
        label="How families get in touch or are referred", widget=forms.Textarea(attrs={"rows": 3})
    )
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Telephone", required=False, max_length=40)
    url = forms.URLField(label="Website", required=False, assume_scheme="https")
    contact_name = forms.CharField(label="Contact name", required=False, max_length=200)
    contact_title = forms.CharField(label="Contact job title", required=False, max_length=200)

    def __init__(self, *args, organisation: Organisation, original: dict | None = None, **kwargs):
        self.original = original or {}
        if self.original and "initial" not in kwargs:
            kwargs["initial"] = self._initial_from(self.original)
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [(t.code, t.name) for t in needs_terms()]
        self.fields["break_kinds"].choices = [(t.code, t.name) for t in break_kind_terms()]
        self.fields["locations"].choices = [
            (str(loc.pk), f"{loc.name}, {loc.postcode}") for loc in organisation.locations.all()
        ]

    @staticmethod
    def _initial_from(snapshot: dict) -> dict:
        initial = {k: snapshot[k] for k in SERVICE_FIELDS}
        initial.update(
            needs=snapshot["needs"],
            break_kinds=snapshot["break_kinds"],
            locations=snapshot["locations"],
            areas=", ".join(snapshot["areas"]),
        )
        if snapshot["schedules"]:
            first = snapshot["schedules"][0]
            initial.update(
                days=[d for d in first["byday"].split(",") if d],
                opens_at=first["opens_at"],
                closes_at=first["closes_at"],
                schedule_note=first.get("description", ""),
            )
        if snapshot["costs"]:
            initial.update(
                cost_amount=snapshot["costs"][0]["amount"], cost_description=snapshot["costs"][0]["amount_description"]
            )
        if snapshot["contacts"]:
            initial.update(contact_name=snapshot["contacts"][0]["name"], contact_title=snapshot["contacts"][0]["title"])
        return initial

    def clean_areas(self):
        try:
            return areas_from_text(self.cleaned_data["areas"])
        except PostcodeError:
            raise forms.ValidationError("Enter postcode districts separated by commas, like DE1, DE22") from None

    def clean(self):
        data = super().clean()
        if (
            data.get("minimum_age") is not None
            and data.get("maximum_age") is not None
            and data["minimum_age"] > data["maximum_age"]
        ):
            self.add_error("maximum_age", "Oldest age must be the same as or more than the youngest age")
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "End time must be after the start time")
        if not data.get("is_free") and data.get("cost_amount") is None and not data.get("fees"):
            self.add_error("cost_amount", "Enter the cost, or say the service is free")
        if not data.get("locations") and not data.get("areas") and "areas" not in self.errors:
            self.add_error("locations", "Select where the service runs, or enter the postcode areas it comes to")
        if data.get("registration") and not data.get("registration_number"):
            self.add_error("registration_number", "Enter the registration number")
        return data

    def snapshot(self) -> dict:
        """The proposed service; schedules, costs and contacts beyond the first are kept."""
        data = self.cleaned_data
        snapshot = {k: data.get(k) for k in SERVICE_FIELDS}
        snapshot["registration"] = data.get("registration") or ""
        schedule = {
            "freq": "WEEKLY",
            "interval": 1,
            "byday": ",".join(code for code, _ in DAYS if code in data["days"]),
            "opens_at": data["opens_at"].strftime("%H:%M"),
            "closes_at": data["closes_at"].strftime("%H:%M"),
            "description": data.get("schedule_note", ""),
        }
        old = self.original
        if old.get("schedules"):
            schedule["freq"], schedule["interval"] = old["schedules"][0]["freq"], old["schedules"][0]["interval"]
        costs = []
        if data.get("cost_amount") is not None:
            costs.append(
                {
                    "option": "",
                    "amount": str(data["cost_amount"]),
                    "amount_description": data.get("cost_description", ""),
                }
            )
        contacts = []
        if data.get("contact_name"):
            contacts.append(
                {
                    "name": data["contact_name"],
                    "title": data.get("contact_title", ""),
                    "email": data.get("email", ""),
                    "phone": data.get("phone", ""),
                }
            )
        snapshot.update(
            needs=sorted(data["needs"]),
            break_kinds=sorted(data["break_kinds"]),
            areas=data["areas"],
            locations=sorted(data.get("locations", [])),
            schedules=[schedule] + old.get("schedules", [])[1:],
            costs=costs + old.get("costs", [])[1:],
            contacts=contacts + old.get("contacts", [])[1:],
        )
        return snapshot


class OrganisationForm(OrganisationChecks, forms.ModelForm):
    """A change to an organisation's details, checked as registering checks them."""

    website = forms.URLField(label="Website", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "kind": forms.RadioSelect}

    def snapshot(self) -> dict:
        return {k: self.cleaned_data[k] for k in ORGANISATION_FIELDS}


class ChangeDecisionForm(ButtonForm):
    """The commissioner's decision on a provider's change: approve and publish it, or return it
    with a reason the provider will see (needed only to return it)."""

    said_at_top = ("decision",)
    decision = forms.ChoiceField(
        choices=[("approve", "Approve and publish"), ("return", "Return with this reason")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Press Approve and publish, or Return with this reason",
            "invalid_choice": "Press Approve and publish, or Return with this reason",
        },
    )
    reason = forms.CharField(
        label="Why are you returning this change?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The provider will see this",
        max_length=2000,
        required=False,
        error_messages={"max_length": "Keep the reason to 2000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why you are returning the change")
        return cleaned


class RestoreForm(ButtonForm):
    """ "Restore this version" on a service's history: one of this service's own versions."""

    said_at_top = ("version",)
    version = row_field(ListingChange.objects.none(), "Choose a version of this service from its history")

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
