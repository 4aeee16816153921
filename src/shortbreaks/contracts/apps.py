from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "shortbreaks.contracts"
    label = "contracts"
    verbose_name = "Contracts and monitoring"
