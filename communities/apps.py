from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "区划、机构与社区"

    def ready(self):
        from django.db.models.signals import post_migrate

        from communities.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
        from django.db.models.signals import post_delete, post_save

        from communities.models import Region
        from communities.scope import regions_changed

        post_save.connect(regions_changed, sender=Region, dispatch_uid="scope_regions_saved")
        post_delete.connect(regions_changed, sender=Region, dispatch_uid="scope_regions_deleted")
        from communities import audit, lockout  # noqa: F401 - connect the login-log and lock-out receivers

    def inbox_events(self):
        from communities.lockout import INBOX_EVENTS

        return INBOX_EVENTS

    def nav(self, user):
        from communities.permissions import can_manage_users, can_open_admin_site, can_view_admin_logs
        from portal.menu import url

        items = [{"label": "社区档案", "url": url("community_list"), "group": "projects"}]
        if can_manage_users(user)[0]:
            items.append({"label": "用户管理", "url": url("user_list"), "group": "system"})
        if can_view_admin_logs(user)[0]:
            items += [{"label": "操作日志", "url": url("operation_log"), "group": "system"},
                      {"label": "登录日志", "url": url("login_log"), "group": "system"}]
        if can_open_admin_site(user)[0]:
            items.append({"label": "系统管理（后台）", "url": url("admin:index"), "group": "system"})
        return items
