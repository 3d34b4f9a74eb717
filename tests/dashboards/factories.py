"""Projects in bulk with every field overridable (tests.projects.factories fixes tier and dates)."""

import datetime as dt

from communities.models import Community, Region
from projects.models import CreationProject, PolicyVersion, Status

POLICIES = {"3301": "fuyang-2021", "3304": "jiaxing-2023", "3306": "shaoxing-2023"}


def projects(street_code: str, count: int = 1, status=Status.LISTED, **fields) -> list[CreationProject]:
    street = Region.objects.get(code=street_code)
    policy_code = POLICIES[street_code[:4]]
    version = PolicyVersion.objects.filter(policy_code=policy_code).order_by("-effective_from").first()
    start = Community.objects.count()
    communities = Community.objects.bulk_create(
        Community(name=f"看板{start + i}社区", street=street) for i in range(count))
    defaults = {"tier": "municipal", "category": "renovation", "batch_year": 2025, "policy_code": policy_code,
                "policy_version": version, "listed_on": dt.date(2025, 3, 1),
                "construction_deadline": dt.date(2026, 3, 1)}
    return CreationProject.objects.bulk_create(
        CreationProject(community=c, street=street, status=status, **{**defaults, **fields})
        for c in communities)
