"""年度创建计划完成情况表 as an export kind (registered in dashboards.apps), written like the
subsidy reports (one sheet per district and a summary)."""

from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from dashboards.models import AnnualPlan
from policies.base import TIER_LABELS
from portal.tabular import Column
from projects.models import CreationProject, Status
from subsidies.reports import CHUNK, Report


class PlanCompletion(Report):
    """年度创建计划完成情况表: the annual plan (绍兴2023 附件) against projects listed that year."""

    key = "plan"
    title = "年度创建计划完成情况表"
    unit = "单位：个"
    count_label = "计划项数"
    columns = [
        Column("区县", width=10), Column("年度", width=8), Column("创建级别", width=8),
        Column("计划数", "int", 10, total=True), Column("已列入创建名单数", "int", 14, total=True),
        Column("完成率", "rate", 10, ratio=(4, 3)), Column("已通过验收数", "int", 12, total=True),
        Column("依据", width=16),
    ]

    def queryset(self, user, params):
        qs = AnnualPlan.objects.visible_to(user).select_related("district")
        if "year" in params:
            qs = qs.filter(year=params["year"])
        if "district" in params:
            qs = qs.filter(district__code=params["district"])
        return qs.order_by("district__path", "year", "tier")

    def actuals(self, user, params) -> dict:
        """(district id, year, tier) → (listed, accepted), one grouped query over the user's projects."""
        qs = (CreationProject.objects.visible_to(user).filter(listed_on__isnull=False)
              .exclude(status__in=[Status.WITHDRAWN, Status.REJECTED])
              .annotate(year=ExtractYear("listed_on")))
        if "year" in params:
            qs = qs.filter(listed_on__year=params["year"])
        rows = (qs.order_by().values("street__parent_id", "year", "tier")
                .annotate(listed=Count("id"), accepted=Count("id", filter=Q(accepted_on__isnull=False))))
        return {(r["street__parent_id"], r["year"], r["tier"]): (r["listed"], r["accepted"]) for r in rows}

    def rows(self, user, params):
        actual = self.actuals(user, params)
        for plan in self.queryset(user, params).iterator(CHUNK):
            listed, accepted = actual.get((plan.district_id, plan.year, plan.tier), (0, 0))
            rate = Decimal(listed) / Decimal(plan.planned) if plan.planned else None
            yield plan.district.path, plan.district.name, [
                plan.district.name, plan.year, TIER_LABELS[plan.tier], plan.planned, listed, rate, accepted,
                plan.basis]
