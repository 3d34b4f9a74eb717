from django.contrib import admin

from acceptance.models import Alert, Bulletin, Deadline, RectificationOrder


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


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["city", "kind", "period", "generated_at"]
