from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "shortbreaks.families"
    label = "families"
    verbose_name = "Families, eligibility, allocation and budgets"

    def ready(self):
        from shortbreaks.accounts.models import Invitation
        from shortbreaks.accounts.signals import invitation_accepted
        from shortbreaks.core.panels import register_panel

        from . import panels, receivers

        register_panel("accounts.settings", template="families/_settings.html", context=panels.settings_panel)
        register_panel("directory.search-place", template="families/_search_place.html", context=panels.search_place)
        invitation_accepted.connect(
            receivers.invitation_accepted, sender=Invitation, dispatch_uid="families.invitation_accepted"
        )
