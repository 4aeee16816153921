from django.contrib import admin

from shortbreaks.core.admin import ReadOnlyAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    """Read-only here (changes go through provider self-service and approval); listed so that
    administrators can find an organisation when giving someone the provider role."""

    list_display = ["name", "authority", "kind", "registration", "is_published"]
    list_filter = ["authority", "kind", "registration"]
    search_fields = ["name"]
