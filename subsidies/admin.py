from django.contrib import admin

from subsidies.models import AnnualPlan, ApprovedSubsidy, ExportJob, Payment


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference views: these rows change only through subsidies.services (核定, 拨付,
    compute_subsidies) and exports; a paid payment never changes at all."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "project", "kind", "payer", "amount", "state", "due_on", "fiscal_year", "voucher_no"]
    list_filter = ["state", "kind", "payer", "fiscal_year"]
    search_fields = ["project__name", "project__community__name", "voucher_no", "trigger"]
    list_select_related = ["project__community"]


@admin.register(ApprovedSubsidy)
class ApprovedSubsidyAdmin(ReadOnlyAdmin):
    list_display = ["project", "amount", "basis", "computed_at"]
    list_select_related = ["project__community"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "requester", "title", "file_format", "state", "total_rows", "created_at", "expires_at"]
    list_filter = ["state"]

    @admin.display(description="报表")
    def title(self, job):
        """Subsidy reports and every exportable list (their kinds are registered by the lists,
        not the model's choices)."""
        from subsidies.reports import report_title

        return report_title(job.kind)


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    """年度创建计划 (绍兴2023 附件); an administrator may correct a number."""

    list_display = ["district", "year", "tier", "planned", "basis"]
    list_filter = ["year", "tier", "district"]
    list_select_related = ["district"]
