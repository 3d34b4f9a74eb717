from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Shared plumbing every app uses: list pages, tabular writers, export jobs, the inbox and
    its e-mail, heartbeats, service errors, formatting. It imports no other app of the project;
    apps contribute to it through their AppConfig (nav, workbench, unread_count, health,
    inbox_events) and
    the export registry."""

    name = "portal"
    verbose_name = "平台公共功能"

    def nav(self, user):
        from portal import notices
        from portal.menu import url
        from portal.notifications import unread_query
        from portal.permissions import can_view_inbox

        items = []
        if can_view_inbox(user)[0]:
            items.append({"label": "消息", "url": url("portal:inbox"), "group": "workbench",
                          "todo": unread_query(user)})
        if notices.can_view_notices(user)[0]:
            items.append({"label": "通知公告", "url": url("portal:notices"), "group": "workbench",
                          "todo": notices.unread_notices_query(user)})
            items.append({"label": "政策文件库", "url": url("portal:policy_library"), "group": "workbench"})
        return items

    def unread_count(self, user):
        from portal.notifications import unread_count

        return unread_count(user)

    def health(self):
        from portal.heartbeats import health

        return health()
