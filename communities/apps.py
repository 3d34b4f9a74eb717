from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "区划、机构与社区"

    def ready(self):
        from django.db.models.signals import post_migrate

        from communities.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
        from communities import audit  # noqa: F401 - connects the login-log receivers

    def nav(self, user):
        from django.urls import reverse

        if not user.is_portal_admin:
            return []
        return [{"label": "操作日志", "url": reverse("operation_log")},
                {"label": "登录日志", "url": reverse("login_log")},
                {"label": "系统管理", "url": reverse("admin:index")}]
