from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shortbreaks.accounts"
    label = "accounts"
    verbose_name = "People and roles"

    def ready(self):
        from . import signals  # noqa: F401
