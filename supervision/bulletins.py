"""督办 and 整改单 figures of the monthly bulletin and quarterly ranking (acceptance.bulletins,
绍兴2023 四), registered by SupervisionConfig.ready: per district, for the period.

- 督办单（期内下发）: 督办单 created in the period addressed to the district's 风貌办 or one of its
  streets;
- 其中期末逾期未回复: of those, the ones whose reply deadline fell in the period and that had no
  reply by its end;
- 检查整改单（期内下达）: 整改单 issued by inspections in the period on the district's projects.
"""

import datetime as dt

from django.db.models import Count, F, Q

from acceptance.bulletins import _end_of
from acceptance.models import RectificationOrder
from communities.models import Region
from supervision.models import SupervisionOrder

COLUMNS = [("supervision_issued", "督办单（期内下发）"), ("supervision_late", "其中期末逾期未回复"),
           ("inspection_orders", "检查整改单（期内下达）")]


def counts(city: Region, first: dt.date, last: dt.date) -> dict[int, dict]:
    start, end = _end_of(first - dt.timedelta(days=1)), _end_of(last)
    result: dict[int, dict] = {}

    def entry(district_id):
        return result.setdefault(district_id, {key: 0 for key, _ in COLUMNS})

    orders = SupervisionOrder.objects.filter(created_at__gte=start, created_at__lt=end)
    late = Q(reply_due_on__lte=last) & (Q(replied_at__isnull=True) | Q(replied_at__gte=end))
    for level, district in (("parent", "target_office__region_id"),
                            ("parent__parent", "target_office__region__parent_id")):
        rows = (orders.filter(**{f"target_office__region__{level}": city})
                .values(district_id=F(district)).annotate(issued=Count("pk"), late=Count("pk", filter=late))
                .order_by())
        for row in rows:
            counts_ = entry(row["district_id"])
            counts_["supervision_issued"] += row["issued"]
            counts_["supervision_late"] += row["late"]
    issued = (RectificationOrder.objects.filter(origin=RectificationOrder.Origin.INSPECTION,
                                                project__street__parent__parent=city,
                                                issued_at__gte=start, issued_at__lt=end)
              .values(district_id=F("project__street__parent_id")).annotate(n=Count("pk")).order_by())
    for row in issued:
        entry(row["district_id"])["inspection_orders"] += row["n"]
    return result
