from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "shortbreaks.procurement"
    label = "procurement"
    verbose_name = "Procurement and evaluation"
