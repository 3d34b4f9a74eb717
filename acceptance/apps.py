from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "acceptance"
    verbose_name = "验收、命名与时限预警"

    def ready(self):
        from acceptance import receivers  # noqa: F401  (connects the deadline receivers)

    def nav(self, user):
        from django.urls import reverse

        from acceptance.permissions import can_view_batches, can_view_bulletins

        items = []
        if can_view_batches(user)[0]:
            items.append({"label": "验收与命名批次", "url": reverse("acceptance:batches")})
        if can_view_bulletins(user)[0]:
            items.append({"label": "月度通报", "url": reverse("acceptance:bulletins")})
        from acceptance.whole_area_views import can_view as can_view_whole_area

        if can_view_whole_area(user)[0]:
            items.append({"label": "县域、街道全域", "url": reverse("acceptance:whole_area")})
        return items

    def workbench(self, user):
        from acceptance.selectors import workbench_sections

        return workbench_sections(user)
