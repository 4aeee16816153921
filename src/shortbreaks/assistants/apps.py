from django.apps import AppConfig


class AssistantsConfig(AppConfig):
    name = "shortbreaks.assistants"
    label = "assistants"
    verbose_name = "Personal assistants"
