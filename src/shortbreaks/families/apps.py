from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "shortbreaks.families"
    label = "families"
    verbose_name = "Families, eligibility, allocation and budgets"
