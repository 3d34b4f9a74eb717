from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "创建项目"

    def nav(self, user):
        from django.urls import reverse

        items = [{"label": "创建项目", "url": reverse("projects:list")}]
        if user.office_id and user.office.chain_level in ("district", "city", "leading_group"):
            items.append({"label": "待我审核", "url": reverse("projects:review_queue")})
            items.append({"label": "验收与命名批次", "url": reverse("projects:batches")})
        items.append({"label": "统计看板", "url": reverse("dashboards:index")})
        items.append({"label": "政策模拟", "url": reverse("projects:what_if")})
        return items

    def workbench(self, user):
        from projects.workbench import sections

        return sections(user)

    def load_reference_data(self):
        from projects.policy_versions import load_policy_versions

        return f"new_policy_versions={load_policy_versions()}"

    def seed_demo(self, rng):
        from projects.seed import seed_projects

        return f"projects={seed_projects(rng)}"
