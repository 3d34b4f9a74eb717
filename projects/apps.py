from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "创建项目"

    def ready(self):
        from projects import notices  # noqa: F401  (connects the workflow notices)

    def nav(self, user):
        from django.urls import reverse

        from projects.permissions import can_view_project_list, can_view_review_queue

        items = []
        if can_view_project_list(user)[0]:
            items.append({"label": "创建项目", "url": reverse("projects:list")})
        if can_view_review_queue(user)[0]:
            items.append({"label": "待我审核", "url": reverse("projects:review_queue")})
        items.append({"label": "政策模拟", "url": reverse("projects:what_if")})
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
