"""年度创建计划完成情况表 as an export kind (registered in dashboards.apps), written like the
subsidy reports (one sheet per district and a summary)."""

from decimal import Decimal

from dashboards import selectors
from policies.base import TIER_LABELS
from portal.tabular import Column
from subsidies.reports import Report


class PlanCompletion(Report):
    """年度创建计划完成情况表: the annual plan (绍兴2023 附件) against projects listed that year,
    row for row what the plan dashboard shows (dashboards.selectors.plan_vs_actual); for 富阳 and
    嘉兴 their own yearly plans (selectors.other_plans: 附件1, 二(二)5), each row with its
    统计口径."""

    key = "plan"
    title = "年度创建计划完成情况表"
    unit = "单位：个"
    count_label = "计划项数"
    columns = [
        Column("区县", width=10), Column("年度", width=8), Column("创建级别", width=8),
        Column("计划数", "int", 10, total=True), Column("实际数", "int", 14, total=True),
        Column("完成率", "rate", 10, ratio=(4, 3)), Column("已通过验收数", "int", 12, total=True),
        Column("依据", width=16), Column("统计口径", width=40),
    ]

    def queryset(self, user, params):
        return selectors.annual_plans(user, params.get("year"), params.get("district"))

    def count(self, user, params) -> int:
        return self.queryset(user, params).count() + len(self._others(user, params))

    def _others(self, user, params):
        return selectors.other_plans(user, params.get("year"), params.get("district"))

    def rows(self, user, params):
        shaoxing = [{**row, "tier_label": TIER_LABELS[row["tier"]], "scope": selectors.PLAN_ACTUAL_NOTE}
                    for row in selectors.plan_vs_actual(user, params.get("year"), params.get("district"))]
        for row in [*shaoxing, *self._others(user, params)]:
            planned, listed = row["planned"], row["actual"]
            rate = Decimal(listed) / Decimal(planned) if planned else None
            yield row["district_path"], row["district_name"], [
                row["district_name"], row["year"], row["tier_label"], planned, listed, rate,
                row["accepted"], row["basis"], row["scope"]]
