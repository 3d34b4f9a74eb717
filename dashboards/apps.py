from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Dashboards (看板) and the annual plan they measure against. Top layer: nothing imports it."""

    name = "dashboards"
    verbose_name = "统计看板"

    def ready(self):
        from dashboards.reports import AssessmentReport, PlanCompletion
        from portal.exports import register

        register(PlanCompletion())
        register(AssessmentReport())

    def nav(self, user):
        from django.urls import reverse

        from dashboards.permissions import can_view_assessment

        items = [{"label": "统计看板", "url": reverse("dashboards:index"), "group": "stats", "order": 10}]
        if can_view_assessment(user)[0]:
            items.append({"label": "年度目标管理考核", "url": reverse("dashboards:assessment"), "group": "stats",
                          "order": 20})
        return items

    def load_reference_data(self):
        from dashboards.plans import load_annual_plan, load_rolling_library

        return (f"new_annual_plans={load_annual_plan()} "
                f"new_rolling_library_entries={load_rolling_library()}")
