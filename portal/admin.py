from django.contrib import admin

from portal.exports import kind_title
from portal.models import Delivery, ExportJob, Heartbeat, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "mode", "created_at", "read_at"]
    list_filter = ["event", "mode"]
    raw_id_fields = ["user", "project", "digest"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Failed e-mail: the error and the next attempt; the in-app notification is unaffected."""

    list_display = ["kind", "to_address", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["user", "notification"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """A reference view of rows that change only through their services, never in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Jobs change only through portal.exports."""

    list_display = ["id", "requester", "title", "file_format", "state", "total_rows", "created_at", "expires_at"]
    list_filter = ["state"]

    @admin.display(description="报表")
    def title(self, job):
        """Reports and exportable lists register their kinds (portal.exports.register)."""
        return kind_title(job.kind)
