from django.apps import AppConfig


class AssistantsConfig(AppConfig):
    name = "shortbreaks.assistants"
    label = "assistants"
    verbose_name = "Personal assistants"

    def ready(self):
        from shortbreaks.families.selectors.statement import register_break_days

        from .models import AssistantBooking

        # The budget statement dates a PA booking's entries by the day the PA comes.
        register_break_days(
            "pa", lambda ids: dict(AssistantBooking.objects.filter(pk__in=ids).values_list("pk", "date"))
        )
