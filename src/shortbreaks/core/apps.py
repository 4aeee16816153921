from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shortbreaks.core"
    label = "core"
    verbose_name = "Authorities and audit"

    def ready(self):
        from . import receivers, tasks  # noqa: F401  (receivers connect on import; tasks connects
        # forget_sent_email to the worker's task_finished)
