from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "shortbreaks.directory"
    label = "directory"
    verbose_name = "Marketplace and directory"

    def ready(self):
        from . import receivers  # noqa: F401 (receivers connect on import)
