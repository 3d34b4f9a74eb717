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


class AssessmentReport(Report):
    """年度目标管理考核表 (嘉兴 三(三)) as an export kind: the rows of the assessment page
    (dashboards.assessment.assessment), one sheet per district, each target line with its basis
    and 统计口径 and the district's place under the platform's ranking criteria. Users the page
    refuses (dashboards.permissions.can_view_assessment) get an empty file."""

    key = "assessment"
    title = "年度目标管理考核表"
    unit = "单位：个"
    count_label = "考核项数"
    columns = [
        Column("县（市、区）", width=10), Column("考核年度", width=8), Column("目标", width=30),
        Column("目标值", width=16), Column("实际值", width=24), Column("完成情况", width=12),
        Column("依据", width=20), Column("统计口径", width=50), Column("名次（平台标准）", width=10),
        Column("排名标准", width=50),
    ]

    def _entries(self, user, params):
        from django.utils import timezone

        from dashboards import cache
        from dashboards.assessment import years
        from dashboards.permissions import can_view_assessment

        today = timezone.localdate()
        year = params.get("year") or today.year
        if not can_view_assessment(user)[0] or year not in years(today):
            return []
        return cache.assessment(user, year, today, params.get("district")).value

    def count(self, user, params) -> int:
        return sum(len(entry["lines"]) for entry in self._entries(user, params))

    def rows(self, user, params):
        from dashboards.assessment import RANKING_CRITERIA

        for entry in sorted(self._entries(user, params), key=lambda e: e["code"]):
            for line in entry["lines"]:
                target, district, year, goal, actual, flag, basis, scope = line
                yield entry["code"], district, [district, year, target, goal, actual, flag, basis, scope,
                                                f"第{entry['rank']}名", RANKING_CRITERIA]
