"""A family's request for its information: asked by a carer, released by an officer."""

from django import forms

from shortbreaks.core.form_fields import row_field

from ..models import AccessRequest, Family


class AccessAskForm(forms.Form):
    family = row_field(Family.objects.none(), "Choose your family")

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families


class AccessReleaseForm(forms.Form):
    access_request = row_field(AccessRequest.objects.none(), "Choose a request waiting to be released")

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_request"].queryset = requests
