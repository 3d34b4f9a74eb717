from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "acceptance"
    verbose_name = "验收、命名与时限预警"

    def ready(self):
        from acceptance import receivers  # noqa: F401  (connects the deadline receivers)

    def nav(self, user):
        from django.urls import reverse

        items = []
        if user.office_id and user.office.chain_level in ("district", "city", "leading_group"):
            items.append({"label": "验收与命名批次", "url": reverse("acceptance:batches")})
        office = user.office if user.office_id else None
        if user.is_superuser or (office and office.kind in ("city_townscape", "leading_group", "admin")):
            items.append({"label": "月度通报", "url": reverse("acceptance:bulletins")})
        return items

    def workbench(self, user):
        from acceptance.selectors import workbench_sections

        return workbench_sections(user)
