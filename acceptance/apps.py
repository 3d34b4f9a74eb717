from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "acceptance"
    verbose_name = "验收、命名与时限预警"

    def ready(self):
        from acceptance import receivers  # noqa: F401  (connects the deadline receivers)

    def nav(self, user):
        from django.urls import reverse

        items = [{"label": "消息", "url": reverse("acceptance:inbox")}]
        office = user.office if user.office_id else None
        if user.is_superuser or (office and office.kind in ("city_townscape", "leading_group", "admin")):
            items.append({"label": "月度通报", "url": reverse("acceptance:bulletins")})
        return items

    def unread_count(self, user):
        from acceptance.notifications import unread_count

        return unread_count(user)

    def workbench(self, user):
        from acceptance.selectors import workbench_sections

        return workbench_sections(user)

    def health(self):
        from acceptance.heartbeats import health

        return health()

    def seed_demo(self, rng):
        from acceptance.seed import seed_deadlines

        return seed_deadlines(rng)
