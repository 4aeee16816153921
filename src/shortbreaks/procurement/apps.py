from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "shortbreaks.procurement"
    label = "procurement"
    verbose_name = "Procurement and evaluation"

    def ready(self):
        from shortbreaks.accounts.models import Invitation
        from shortbreaks.accounts.signals import invitation_accepted
        from shortbreaks.core.audit import register_sealed_filter
        from shortbreaks.core.panels import register_panel

        from . import invitations, panels, receivers  # noqa: F401 (receivers connect on import)
        from .selectors import without_sealed_events

        register_sealed_filter(without_sealed_events)
        invitation_accepted.connect(
            invitations.invitation_accepted, sender=Invitation, dispatch_uid="procurement.invitation_accepted"
        )
        register_panel(
            "families.young-person", template="procurement/_young_person.html", context=panels.young_person_panels
        )
        register_panel(
            "families.home", template="procurement/_family_home.html", context=panels.family_home_evaluations
        )
        register_panel(
            "core.staff-navigation", template="procurement/_staff_navigation.html", context=panels.staff_navigation
        )
