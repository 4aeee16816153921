"""Inviting people to a family's account: another parent or carer, and a young person to an
account of their own."""

from django import forms

from shortbreaks.accounts.forms import email_field


def _email(label: str, required: str, hint: str = ""):
    """Someone else's address: the browser should not offer the parent's own."""
    return email_field(label=label, required_message=required, autocomplete="off", help_text=hint)


class CarerInviteForm(forms.Form):
    full_name = forms.CharField(
        label="Their full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the parent or carer's full name"},
    )
    email = _email(
        "Their email address",
        "Enter the parent or carer's email address",
        "We email them a link to join. It works once, for {days} days.",
    )
    relationship = forms.CharField(
        label="Their relationship to the children",
        max_length=50,
        help_text="For example, mother, father, grandparent or foster carer",
        error_messages={
            "required": "Enter their relationship to the children, like mother or grandparent",
            "max_length": "Enter their relationship in 50 characters or fewer",
        },
    )

    def __init__(self, *args, families=(), days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = self.fields["email"].help_text.format(days=days)
        self.families = list(families)
        if len(self.families) > 1:
            # Someone caring in two families chooses which one the new carer joins.
            self.fields["family"] = forms.ChoiceField(
                label="Which family are they joining?",
                choices=[(str(f.pk), f"Family {f.reference}") for f in self.families],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose the family they are joining",
                    "invalid_choice": "Choose the family they are joining",
                },
            )
            self.order_fields(["family", "full_name", "email", "relationship"])

    def chosen_family(self):
        if len(self.families) == 1:
            return self.families[0]
        return next(f for f in self.families if str(f.pk) == self.cleaned_data["family"])


class YoungPersonInviteForm(forms.Form):
    email = _email(
        "The young person's own email address",
        "Enter the young person's email address",
        "Their own address, not a parent's. We email them a link to set up their account. It works once, "
        "for {days} days.",
    )

    def __init__(self, *args, days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = self.fields["email"].help_text.format(days=days)


class WithdrawInvitationForm(forms.Form):
    invitation = forms.CharField(max_length=64, error_messages={"required": "Choose the invitation to withdraw"})
