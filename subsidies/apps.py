from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = "奖补资金"

    def ready(self):
        from portal.exports import register
        from subsidies.reports import REPORTS
        from subsidies.signals import connect

        connect()
        from communities.audit_words import register as audit_words

        audit_words("subsidies:confirm", "奖补拨付确认（预览）")
        audit_words("subsidies:apply", lambda request: {"approve": "核定奖补", "mark_paid": "登记拨付"}.get(
            request.POST.get("action", ""), "奖补拨付"))
        for report in REPORTS:
            register(report)

    def inbox_events(self):
        from subsidies.notices import INBOX_EVENTS

        return INBOX_EVENTS

    def nav(self, user):
        from portal.menu import url
        from portal.permissions import can_view_exports
        from subsidies.permissions import can_view_ledger

        items = []
        if can_view_ledger(user)[0]:
            from subsidies.workbench import finance_todo_query

            items.append({"label": "奖补资金", "url": url("subsidies:ledger"), "group": "subsidies",
                          "todo": finance_todo_query(user)})
        if can_view_exports(user)[0]:
            items.append({"label": "报表导出", "url": url("portal:exports"), "group": "stats"})
        return items

    def workbench(self, user):
        from subsidies.workbench import sections

        return sections(user)

    def project_panels(self, project, user):
        from subsidies.workbench import project_panel

        return project_panel(project, user)
