from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Dashboards (看板) and the annual plan they measure against. Top layer: nothing imports it."""

    name = "dashboards"
    verbose_name = "统计看板"

    def ready(self):
        from communities.models import Community, NeighbourhoodCentrePlan, Office, OldTownArea, OldTownUnit, Region
        from dashboards.models import AnnualPlan, RollingLibraryEntry
        from dashboards.reports import AssessmentReport, PlanCompletion
        from portal import generation
        from portal.exports import register
        from projects.models import CreationProject, Transition

        register(PlanCompletion())
        register(AssessmentReport())
        # Every model a board reads: a save or delete bumps the data generation, so no cached
        # board (dashboards.cache) outlives it. Bulk writers call generation.changed() themselves.
        generation.watch(CreationProject, Transition, Community, Region, Office, AnnualPlan, RollingLibraryEntry,
                         NeighbourhoodCentrePlan, OldTownArea, OldTownUnit)

    def nav(self, user):
        from dashboards.permissions import can_view_assessment
        from portal.menu import url

        items = [{"label": "统计看板", "url": url("dashboards:index"), "group": "stats", "order": 10}]
        if can_view_assessment(user)[0]:
            items.append({"label": "年度目标管理考核", "url": url("dashboards:assessment"), "group": "stats",
                          "order": 20})
        return items

    def load_reference_data(self):
        from dashboards.plans import load_annual_plan, load_rolling_library

        return (f"new_annual_plans={load_annual_plan()} "
                f"new_rolling_library_entries={load_rolling_library()}")
