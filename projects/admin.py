from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from projects.models import (
    CreationProject,
    FundingSource,
    MonthlyReport,
    PolicyVersion,
    ReportCorrection,
    Transition,
)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Parameters are validated against the policy's ParamSpecs (PolicyVersion.clean).

    Add a new version with a later effective date rather than editing one that projects are
    bound to: bound projects keep their version, and paid amounts are never rewritten.
    """

    list_display = ["policy_code", "effective_from", "note", "continuation_document_no", "created_at",
                    "created_by"]
    list_filter = ["policy_code"]
    readonly_fields = ["created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class FundingSourceInline(admin.TabularInline):
    model = FundingSource
    extra = 0


@admin.register(CreationProject)
class CreationProjectAdmin(admin.ModelAdmin):
    """Reference view for administrators; state changes go through the workflow only."""

    list_display = ["id", "community", "tier", "category", "status", "batch_year", "street"]
    list_filter = ["status", "tier", "category", "policy_code"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community", "street"]
    readonly_fields = ["status", "review_step", "version", "policy_code", "policy_version", "listed_on",
                       "accepted_on", "named_on", "construction_deadline", "construction_deadline_basis"]
    raw_id_fields = ["community", "street", "created_by"]
    inlines = [FundingSourceInline]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["project", "action_label", "from_status", "to_status", "actor", "office", "at"]
    list_select_related = ["project__community", "actor", "office"]
    list_filter = ["action"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    """月报 change only through projects.reports (the street, before the lock, on its version) and,
    once locked, through a 更正申请 the district decides (projects.report_corrections)."""

    list_display = ["project", "month", "progress_percent", "investment_completed", "submitted_at"]
    list_select_related = ["project__community"]
    raw_id_fields = ["project", "submitted_by"]


@admin.register(ReportCorrection)
class ReportCorrectionAdmin(ReadOnlyAdmin):
    """月报更正申请 change only through projects.report_corrections (request, district decision)."""

    list_display = ["report", "state", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["report__project", "requested_by", "decided_by"]
