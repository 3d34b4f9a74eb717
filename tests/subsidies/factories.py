"""Fast Fuyang projects for volume tests: bulk rows, no workflow (the worked examples drive it)."""

import datetime as dt

from communities.models import Community, Region, User
from projects.models import CreationProject, PolicyVersion, SpendingRecord, Status
from tests.subsidies.conftest import money


def fuyang_projects(count, *, accepted_on=None, spent=None, street_code="330111001", tier="municipal",
                    task_year=2022, listed_on=dt.date(2021, 8, 15), name=""):
    street = Region.objects.get(code=street_code)
    version = PolicyVersion.objects.filter(policy_code="fuyang-2021").order_by("-effective_from").first()
    start = Community.objects.count()
    communities = Community.objects.bulk_create(
        Community(name=f"量测{start + i}社区", street=street) for i in range(count))
    projects = CreationProject.objects.bulk_create(
        CreationProject(community=c, street=street, tier=tier, category="renovation", batch_year=listed_on.year,
                        status=Status.ACCEPTED if accepted_on else Status.LISTED, policy_code="fuyang-2021",
                        policy_version=version, listed_on=listed_on, task_year=task_year, accepted_on=accepted_on,
                        construction_deadline=listed_on.replace(year=listed_on.year + 1),
                        construction_deadline_basis="富阳 四(六)", spending_final=spent is not None, name=name)
        for c in communities)
    if spent is not None:
        recorder = User.objects.get(username="street_fuchun")
        SpendingRecord.objects.bulk_create(
            SpendingRecord(project=p, spent_on=accepted_on or listed_on, amount=money(spent), description="工程款",
                           recorded_by=recorder) for p in projects)
    return projects
