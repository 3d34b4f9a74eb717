from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "区划、机构与社区"

    def ready(self):
        from django.db.models.signals import post_migrate

        from communities.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
