from django.contrib import admin

from shortbreaks.core.admin import ReadOnlyAdmin

from .models import ListingPolicy, Organisation


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    """Read-only here (changes go through provider self-service and approval); listed so that
    administrators can find an organisation when giving someone the provider role."""

    list_display = ["name", "authority", "kind", "registration", "is_published"]
    list_filter = ["authority", "kind", "registration"]
    search_fields = ["name"]


@admin.register(ListingPolicy)
class ListingPolicyAdmin(admin.ModelAdmin):
    """Each authority's rules for how often listings are confirmed, and when providers are reminded."""

    list_display = ["authority", "version", "check_every_days", "remind_days_before"]
