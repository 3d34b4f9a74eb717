from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "检查整改与督办"

    def ready(self):
        from acceptance.bulletins import register_counts
        from supervision import bulletins

        register_counts(bulletins.COLUMNS, bulletins.counts)

    def nav(self, user):
        from django.urls import reverse

        from supervision.permissions import can_view_approvals, can_view_supervision

        items = []
        if can_view_supervision(user)[0]:
            items.append({"label": "检查整改与督办", "url": reverse("supervision:index")})
            items.append({"label": "运营档案", "url": reverse("supervision:operations_list")})
        from acceptance.permissions import can_view_bulletins
        from supervision.summaries import can_view

        if can_view_bulletins(user)[0] and (user.office is None or user.office.region.code.startswith("3304")
                                             or user.is_portal_admin):
            items.append({"label": "月报月例会", "url": reverse("supervision:meetings")})

        if can_view(user)[0]:
            items.append({"label": "工作总结（三张清单）", "url": reverse("supervision:summaries")})
            items.append({"label": "月度评价通报", "url": reverse("supervision:evaluation")})
        if can_view_approvals(user)[0]:
            items.append({"label": "旧改审批台账", "url": reverse("supervision:approval_ledger")})
        return items

    def project_panels(self, project, user):
        from supervision.panels import project_panels

        return project_panels(project, user)
