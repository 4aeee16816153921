"""The Django admin is for a council's system administrators (superusers): setting up
authorities and people. Directory records are changed in the app, where approval and the audit
trail apply, so they are not editable here."""

from django.contrib import admin

from .audit import unsealed
from .models import AuditEvent, Authority


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed for finding things, never changed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "hostnames", "org_identifier"]
    search_fields = ["name", "slug", "org_identifier"]
    fields = ["name", "slug", "kind", "hostnames", "website", "contact_email", "org_identifier", "centre_postcode"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is read-only, even for superusers."""

    list_display = ["created_at", "authority", "actor", "action", "summary"]
    list_filter = ["authority", "action"]
    search_fields = ["summary", "target_id"]

    def get_queryset(self, request):
        # Not even a superuser learns before the opening who has bid (docs/privacy.md).
        return unsealed(super().get_queryset(request))
