from django.contrib import admin

from acceptance.models import Alert, Bulletin, Deadline, Delivery, Heartbeat, Notification, RectificationOrder


@admin.register(RectificationOrder)
class RectificationOrderAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "office", "due_on", "closed_at"]
    raw_id_fields = ["project"]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["project", "label", "due_on", "state", "missed", "basis"]
    list_filter = ["kind", "state", "missed"]
    raw_id_fields = ["project", "order"]
    date_hierarchy = "due_on"


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["deadline", "level", "period", "office", "raised_on", "state"]
    list_filter = ["level", "state"]
    raw_id_fields = ["deadline"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "mode", "created_at", "read_at"]
    list_filter = ["event", "mode"]
    raw_id_fields = ["user", "project", "alert", "digest"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Failed e-mail: the error and the next attempt; the in-app notification is unaffected."""

    list_display = ["kind", "to_address", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["user", "notification"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["city", "kind", "period", "generated_at"]
