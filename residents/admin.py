from django.contrib import admin

from residents.models import (
    Notice,
    Objection,
    ProsperityIndicator,
    Survey,
    SurveyTemplate,
    TemplateQuestion,
)


class TemplateQuestionInline(admin.TabularInline):
    model = TemplateQuestion
    extra = 1


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    """Questionnaires an administrator maintains; surveys copy the questions when created."""

    list_display = ["title", "kind", "active"]
    inlines = [TemplateQuestionInline]


@admin.register(ProsperityIndicator)
class ProsperityIndicatorAdmin(admin.ModelAdmin):
    """共富指数 indicators: the document (嘉兴 二(五)13) defines none; none by default."""

    list_display = ["name", "unit", "order", "active"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "source", "project", "opens_on", "conducted_on"]
    list_filter = ["kind", "source"]
    raw_id_fields = ["community", "project", "created_by"]
    readonly_fields = ["token", "questions"]


class ObjectionInline(admin.TabularInline):
    model = Objection
    extra = 0
    readonly_fields = ["text", "name", "phone", "submitted_at", "reply_due_on", "reply", "replied_at"]
    exclude = ["address_key", "replied_by"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "office", "starts_on", "ends_on", "outcome", "consent_recorded"]
    raw_id_fields = ["office", "region", "published_by"]
    inlines = [ObjectionInline]
