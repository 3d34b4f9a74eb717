"""The annual creation plan (年度创建计划, 绍兴2023 附件) from fixtures/shaoxing_plan_2023_2026.csv."""

import csv
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction

from communities.models import Region
from dashboards.models import AnnualPlan
from portal import generation

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "shaoxing_plan_2023_2026.csv"
TIERS = ("provincial", "municipal", "county")


@transaction.atomic
def load_annual_plan(path: Path = FIXTURE) -> int:
    """Idempotent: a row already loaded keeps its number (an administrator may have corrected it)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    districts = {r.code: r for r in Region.objects.filter(code__in={row["district_code"] for row in rows})}
    missing = sorted({row["district_code"] for row in rows} - set(districts))
    if missing:
        raise ValueError(f"年度创建计划中的区县代码不在区划中：{', '.join(missing)}")
    plans = [AnnualPlan(district=districts[row["district_code"]], year=int(row["year"]), tier=tier,
                        planned=int(row[tier]), basis="绍兴2023 附件")
             for row in rows for tier in TIERS]
    before = AnnualPlan.objects.count()
    AnnualPlan.objects.bulk_create(plans, ignore_conflicts=True)
    generation.changed()
    return AnnualPlan.objects.count() - before


LIBRARY = Path(settings.BASE_DIR) / "fixtures" / "fuyang_rolling_library.csv"


@transaction.atomic
def load_rolling_library(path: Path = LIBRARY) -> int:
    """富阳 附件1, after communities.services.load_fuyang_communities attached its communities.
    Idempotent: an entry already loaded is kept as it is."""
    from communities.models import Community
    from dashboards.models import RollingLibraryEntry

    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    communities = {(c.name, c.street.name): c for c in Community.objects.filter(
        street__path__startswith=Region.objects.get(code="330111").path).select_related("street")}
    entries = []
    for row in rows:
        community = communities.get((row["community"], row["responsible_unit"]))
        if community is None:
            raise ValueError(f"富阳项目库第{row['seq']}行：找不到社区“{row['community']}”")
        start = row["planned_start"]
        entries.append(RollingLibraryEntry(
            seq=int(row["seq"]), community=community, responsible_unit=row["responsible_unit"],
            planned_start=dt.date.fromisoformat(f"{start}-01") if start else None,
            planned_finish=dt.date.fromisoformat(f"{row['planned_finish']}-01")))
    before = RollingLibraryEntry.objects.count()
    RollingLibraryEntry.objects.bulk_create(entries, ignore_conflicts=True)
    generation.changed()
    return RollingLibraryEntry.objects.count() - before
