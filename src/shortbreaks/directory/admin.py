from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Read-only here (changes go through provider self-service and approval); listed so that
    administrators can find an organisation when giving someone the provider role."""

    list_display = ["name", "authority", "kind", "is_published"]
    list_filter = ["authority", "kind"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
