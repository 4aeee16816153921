from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "shortbreaks.procurement"
    label = "procurement"
    verbose_name = "Procurement and evaluation"

    def ready(self):
        from shortbreaks.core.audit import register_sealed_filter
        from shortbreaks.core.panels import register_panel

        from . import panels
        from .selectors import without_sealed_events

        register_sealed_filter(without_sealed_events)
        register_panel(
            "families.young-person", template="procurement/_young_person.html", context=panels.young_person_panels
        )
