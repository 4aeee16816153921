from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "shortbreaks.insight"
    label = "insight"
    verbose_name = "Insight and statements"
