"""年度创建计划完成情况表 as an export kind (registered in dashboards.apps), written like the
subsidy reports (one sheet per district and a summary)."""

from decimal import Decimal

from dashboards import selectors
from policies.base import TIER_LABELS
from portal.tabular import Column
from subsidies.reports import Report


class PlanCompletion(Report):
    """年度创建计划完成情况表: the annual plan (绍兴2023 附件) against projects listed that year,
    row for row what the plan dashboard shows (dashboards.selectors.plan_vs_actual)."""

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
        return selectors.annual_plans(user, params.get("year"), params.get("district"))

    def rows(self, user, params):
        for row in selectors.plan_vs_actual(user, params.get("year"), params.get("district")):
            planned, listed = row["planned"], row["actual"]
            rate = Decimal(listed) / Decimal(planned) if planned else None
            yield row["district_path"], row["district_name"], [
                row["district_name"], row["year"], TIER_LABELS[row["tier"]], planned, listed, rate,
                row["accepted"], row["basis"]]
