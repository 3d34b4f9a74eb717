from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "检查整改与督办"

    def ready(self):
        from acceptance.bulletins import register_counts
        from supervision import bulletins

        register_counts(bulletins.COLUMNS, bulletins.counts)

    def inbox_events(self):
        from supervision import inspections, operations, orders, summaries

        return {**inspections.INBOX_EVENTS, **orders.INBOX_EVENTS, **operations.INBOX_EVENTS,
                **summaries.INBOX_EVENTS}

    def nav(self, user):
        from portal.menu import url
        from supervision.permissions import can_view_approvals, can_view_supervision

        items = []

        def item(label, name):
            items.append({"label": label, "url": url(name), "group": "supervision"})

        if can_view_supervision(user)[0]:
            item("检查整改与督办", "supervision:index")
            item("运营档案", "supervision:operations_list")
        from supervision import meetings
        from supervision.summaries import can_view

        if meetings.can_view(user)[0]:
            item("月报月例会", "supervision:meetings")

        if can_view(user)[0]:
            item("工作总结（三张清单）", "supervision:summaries")
            item("月度评价通报", "supervision:evaluation")
        if can_view_approvals(user)[0]:
            item("旧改审批台账", "supervision:approval_ledger")
        return items

    def project_panels(self, project, user):
        from supervision.panels import project_panels

        return project_panels(project, user)
