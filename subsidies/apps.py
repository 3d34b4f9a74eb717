from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = "奖补资金"

    def ready(self):
        from subsidies.signals import connect

        connect()

    def nav(self, user):
        from django.urls import reverse

        from subsidies.permissions import reads_ledger

        if not reads_ledger(user):
            return []
        return [{"label": "奖补资金", "url": reverse("subsidies:ledger")},
                {"label": "报表导出", "url": reverse("subsidies:exports")}]

    def workbench(self, user):
        from subsidies.workbench import sections

        return sections(user)

    def project_panels(self, project, user):
        from subsidies.workbench import project_panel

        return project_panel(project, user)

    def load_reference_data(self):
        from subsidies.plans import load_annual_plan

        return f"new_annual_plans={load_annual_plan()}"

    def seed_demo(self, rng):
        from subsidies.services import compute_subsidies

        return f"subsidies: {compute_subsidies()}"
