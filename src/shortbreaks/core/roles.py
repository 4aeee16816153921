"""The roles people hold in an authority. A person may hold several (a provider's manager can
also be a parent); each is granted per authority."""

from django.db import models


class Role(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    PROCUREMENT_OFFICER = "procurement_officer", "Procurement officer"
    OFFICER = "officer", "Council officer"
    PROVIDER = "provider", "Provider"
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"
    PANEL_MEMBER = "panel_member", "Panel member"
    PERSONAL_ASSISTANT = "personal_assistant", "Personal assistant"
    SAFEGUARDING_OFFICER = "safeguarding_officer", "Safeguarding officer"
    ADMINISTRATOR = "administrator", "Authority administrator"


# Council staff: people who act for the authority itself.
STAFF_ROLES = frozenset(
    {Role.COMMISSIONER, Role.PROCUREMENT_OFFICER, Role.OFFICER, Role.SAFEGUARDING_OFFICER, Role.ADMINISTRATOR}
)
