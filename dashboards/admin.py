from django.contrib import admin

from dashboards.models import AnnualPlan


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    """年度创建计划 (绍兴2023 附件); an administrator may correct a number."""

    list_display = ["district", "year", "tier", "planned", "basis"]
    list_filter = ["year", "tier", "district"]
    list_select_related = ["district"]
