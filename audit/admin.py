from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by the app, never edited."""

    list_display = ("at", "actor_name", "source", "action", "content_type", "object_repr", "summary")
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "actor_name", "summary", "object_id")
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
