from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    """Residents in the loop: the public site (公示, listed and named communities), QR-code surveys
    and the 共富指数. Layered between projects and acceptance: it reads projects and registers
    its facts with projects.facts (the surveys and the 公示 consent the policies read)."""

    name = "residents"
    verbose_name = "居民参与与公示"

    def ready(self):
        from projects.facts import contributes_facts
        from residents.facts import resident_facts

        contributes_facts(resident_facts)

    def inbox_events(self):
        from residents.notices import INBOX_EVENTS

        return INBOX_EVENTS

    def nav(self, user):
        from portal.menu import url
        from residents.permissions import can_manage_notices

        if not can_manage_notices(user)[0]:
            return []
        return [{"label": "公示管理", "url": url("residents:notices"), "group": "projects"}]

    def project_panels(self, project, user):
        from residents.selectors import project_panels

        return project_panels(project, user)

    def workbench(self, user):
        from residents.selectors import open_objections_section

        return open_objections_section(user)

    def community_dossier(self, community):
        from residents.models import Survey

        return {"surveys": Survey.objects.filter(community=community).select_related("project__community")
                .order_by("-created_at")}

    def load_reference_data(self):
        from residents.services import load_default_templates

        return f"new_survey_templates={load_default_templates()}"
