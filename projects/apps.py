from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "创建项目"

    def load_reference_data(self):
        from projects.policy_versions import load_policy_versions

        return f"new_policy_versions={load_policy_versions()}"

    def seed_demo(self, rng):
        from projects.seed import seed_projects

        return f"projects={seed_projects(rng)}"
