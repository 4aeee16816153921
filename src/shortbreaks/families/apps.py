from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "shortbreaks.families"
    label = "families"
    verbose_name = "Families, eligibility, allocation and budgets"

    def ready(self):
        from shortbreaks.accounts.models import Invitation
        from shortbreaks.accounts.signals import invitation_accepted

        from . import receivers

        invitation_accepted.connect(
            receivers.invitation_accepted, sender=Invitation, dispatch_uid="families.invitation_accepted"
        )
