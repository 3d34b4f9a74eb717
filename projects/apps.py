from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "创建项目"

    def ready(self):
        from projects import audit

        audit.connect()
        from projects import notices  # noqa: F401  (connects the workflow notices)

    def inbox_events(self):
        from projects import corrections, notices, report_corrections

        return {**notices.INBOX_EVENTS, **corrections.INBOX_EVENTS, **report_corrections.INBOX_EVENTS}

    def nav(self, user):
        from portal.menu import url
        from projects.permissions import can_view_project_list, can_view_review_queue
        from projects.workbench import review_todo_query, street_todo_query

        items = []
        if can_view_project_list(user)[0]:
            items.append({"label": "创建项目", "url": url("projects:list"), "group": "projects",
                          "todo": street_todo_query(user)})
        if can_view_review_queue(user)[0]:
            items.append({"label": "待我审核", "url": url("projects:review_queue"), "group": "review",
                          "todo": review_todo_query(user)})
        items.append({"label": "政策模拟", "url": url("projects:what_if"), "group": "projects"})
        return items

    def community_dossier(self, community):
        """The community's projects and their documents, for its dossier page (一社一档)."""
        from projects.models import Attachment

        return {"projects": community.projects.select_related("street").order_by("-batch_year", "-id"),
                "attachments": Attachment.objects.filter(project__community=community)
                .select_related("project").order_by("-uploaded_at")}

    def workbench(self, user):
        from projects.workbench import sections

        return sections(user)

    def load_reference_data(self):
        from projects.policy_versions import load_policy_versions

        return f"new_policy_versions={load_policy_versions()}"
