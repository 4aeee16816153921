from django import forms


class ListingCheckForm(forms.Form):
    confirmed = forms.BooleanField(
        label="I have read this listing and it is still right",
        error_messages={
            "required": "Tick the box to confirm the listing is still right, or change what is wrong instead"
        },
    )
