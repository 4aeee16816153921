from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shortbreaks.core"
    label = "core"
    verbose_name = "Authorities and audit"
