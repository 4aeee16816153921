from django.contrib import admin

from .models import BookingPolicy, Scheme


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    """Each authority's rules for late cancellations, no-shows and waiting-list offers."""

    list_display = ["authority", "late_cancellation_charged", "no_show_charged", "offer_hours"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "coordinator"]
    autocomplete_fields = ["coordinator"]
