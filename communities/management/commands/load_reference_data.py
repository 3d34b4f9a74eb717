"""Load the reference data shipped in fixtures/ (idempotent: safe to run again)."""

from django.core.management.base import BaseCommand

from communities.offices import ensure_offices
from communities.services import load_fuyang_communities, load_regions
from portal import generation


class Command(BaseCommand):
    help = "载入区划、机构、富阳轮动项目库社区等基础数据（可重复执行）"

    def handle(self, *args, **options):
        regions = load_regions()
        offices = ensure_offices()
        communities = load_fuyang_communities()
        extra = []
        for loader in reference_loaders():
            extra.append(loader())
        generation.changed()  # bulk-created reference rows: no model signal saw them
        self.stdout.write(
            f"regions={regions} new_offices={offices} new_fuyang_communities={communities}"
            + "".join(f" {line}" for line in extra)
        )


def reference_loaders():
    """Other apps register their reference loaders here (policy versions, plans)."""
    from django.apps import apps

    loaders = []
    for config in apps.get_app_configs():
        loader = getattr(config, "load_reference_data", None)
        if loader:
            loaders.append(loader)
    return loaders
