"""The annual creation plan (年度创建计划, 绍兴2023 附件) from fixtures/shaoxing_plan_2023_2026.csv."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from communities.models import Region
from dashboards.models import AnnualPlan

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
    return AnnualPlan.objects.count() - before
