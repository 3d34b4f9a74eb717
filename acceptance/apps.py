from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "acceptance"
    verbose_name = "验收、命名与时限预警"

    def ready(self):
        from acceptance import receivers  # noqa: F401  (connects the deadline receivers)
        from communities.audit_words import register

        register("acceptance:acceptance_batch_create", "新建验收批次")
        register("acceptance:naming_batch_create", "新建命名批次")
        register("acceptance:acceptance_batch", "办理验收批次")
        register("acceptance:bulletin_download", "下载月度通报")

    def inbox_events(self):
        from acceptance.notifications import INBOX_EVENTS as alerts
        from acceptance.receivers import INBOX_EVENTS as orders

        return {**alerts, **orders}

    def nav(self, user):
        from acceptance.permissions import can_view_batches, can_view_bulletins
        from portal.menu import url

        items = []
        if can_view_batches(user)[0]:
            items.append({"label": "验收与命名批次", "url": url("acceptance:batches"), "group": "acceptance"})
        if can_view_bulletins(user)[0]:
            items.append({"label": "月度通报", "url": url("acceptance:bulletins"), "group": "acceptance"})
        from acceptance.whole_area_views import can_view as can_view_whole_area

        if can_view_whole_area(user)[0]:
            items.append({"label": "县域、街道全域", "url": url("acceptance:whole_area"), "group": "projects"})
        return items

    def workbench(self, user):
        from acceptance.selectors import workbench_sections

        return workbench_sections(user)
