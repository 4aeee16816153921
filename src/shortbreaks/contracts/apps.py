from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "shortbreaks.contracts"
    label = "contracts"
    verbose_name = "Contracts and monitoring"

    def ready(self):
        from shortbreaks.core.panels import register_panel

        from . import panels, receivers  # noqa: F401 (receivers connect on import)
        from .selectors.joint import joint_monitoring_panel

        register_panel("directory.service", template="contracts/_public_reviews.html", context=panels.service_reviews)
        register_panel(
            "directory.provider-home", template="contracts/_provider_summary.html", context=panels.provider_summary
        )
        register_panel(
            "families.young-person", template="contracts/_young_person.html", context=panels.young_person_feedback
        )
        register_panel(
            "procurement.joint-arrangement", template="contracts/_joint_monitoring.html", context=joint_monitoring_panel
        )
