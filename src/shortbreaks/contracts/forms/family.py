"""A parent's call-off from a framework open to families."""

from shortbreaks.core.form_fields import PoundsField, RowChoiceField, RowForm, row_field, text_field
from shortbreaks.core.idempotency import KeyedForm
from shortbreaks.directory.models import Organisation
from shortbreaks.procurement.models import Membership
from shortbreaks.procurement.selectors.frameworks import members


class CallOffForm(KeyedForm, RowForm):  # it commits the child's money: a double click buys once
    row = "lot"
    lot = row_field(None, "Choose a part of a framework open to families")
    organisation = RowChoiceField(
        label="Provider",
        queryset=None,
        error_messages={
            "required": "Choose a provider on this part of the framework",
            "invalid_choice": "Choose a provider on this part of the framework",
        },
    )
    child = RowChoiceField(
        label="For",
        queryset=None,
        error_messages={"required": "Choose your child", "invalid_choice": "Choose your child"},
    )
    title = text_field("What you agreed", max_length=200, required_message="Say what you agreed with the provider")
    price = PoundsField(
        label="Price agreed (£)",
        required_message="Enter the price you agreed, like 250.00",
        invalid_message="Enter the price as a number of pounds, like 250.00",
    )

    def __init__(self, *args, lots, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots
        self.fields["child"].queryset = children
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__lot__in=lots, memberships__status=Membership.Status.ADMITTED
        ).distinct()

    def clean(self):
        data = super().clean()
        lot, organisation = data.get("lot"), data.get("organisation")
        if lot and organisation and not members(lot).filter(organisation=organisation).exists():
            self.add_error("organisation", "Choose a provider on this part of the framework")
        return data
