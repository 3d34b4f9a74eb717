"""富阳 月度评价通报 (DOMAIN §9; 富阳 五(六) “通过挂图作战、精准跟踪，每月进行评价通报”): per street
(乡镇) of 富阳区, for one finished month, from the data. The document sets no scoring rule, so
the platform ranks by stated, visible criteria and says they are its own (`RULE`).

Figures as of the month's last day: 创建中 = listed on or before it and not accepted by it (and
not withdrawn, rejected or terminated); 平均形象进度 = the latest monthly report for a month up to
it; 逾期时限 = deadlines due by it and not met by it; 缺报月报 = monthly reports due in the month
and not received by their due date.
"""

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from acceptance.bulletins import rank
from acceptance.models import Deadline
from communities.models import Office, Region
from communities.permissions import has_instrument, is_admin, office_of
from policies.instruments import INSTRUMENTS, jurisdiction
from portal.permissions import ALLOWED, Decision
from portal.tabular import Column, ReportWorkbook
from projects.models import LEFT_STATUSES, CreationProject, MonthlyReport

[FUYANG] = jurisdiction("monthly_evaluation")  # 富阳区: the district whose streets are evaluated
BASIS = INSTRUMENTS["monthly_evaluation"].basis
RULE = ("评价排名方法文件未规定，本平台按平均形象进度由高到低排列，相同时逾期时限少者在前，"
        "再相同时缺报月报少者在前")
COLUMNS = [("street", "街道（乡镇）"), ("in_progress", "创建中项目"), ("avg_progress", "平均形象进度（%）"),
           ("overdue", "逾期时限（个）"), ("missing_reports", "缺报月报（个）"), ("rank", "排名")]


def can_view(user, obj=None) -> Decision:
    office = office_of(user)
    if is_admin(user) or (office and office.kind in (Office.Kind.DISTRICT_TOWNSCAPE, Office.Kind.STREET)
                          and has_instrument(user, "monthly_evaluation")):
        return ALLOWED
    return False, "月度评价通报依据富阳 五(六)，适用于富阳区"


def last_finished_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def evaluate(month: dt.date) -> dict:
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    streets = list(Region.objects.filter(parent__code=FUYANG, level=Region.Level.STREET, is_active=True)
                   .order_by("code"))
    rows = {s.pk: {"street": s.name, "code": s.code, "in_progress": 0, "progress_sum": Decimal(0), "reporting": 0,
                   "overdue": 0, "missing_reports": 0} for s in streets}
    progress = (MonthlyReport.objects.filter(project=OuterRef("pk"), month__lte=last)
                .order_by("-month").values("progress_percent")[:1])
    projects = (CreationProject.objects.filter(street__parent__code=FUYANG, listed_on__lte=last)
                .exclude(status__in=LEFT_STATUSES).filter(Q(accepted_on__isnull=True) | Q(accepted_on__gt=last))
                .annotate(progress=Subquery(progress)).values_list("street_id", "progress"))
    for street_id, value in projects:
        row = rows.get(street_id)
        if row is None:
            continue
        row["in_progress"] += 1
        if value is not None:
            row["reporting"] += 1
            row["progress_sum"] += value
    unmet = Q(met_on__isnull=True) | Q(met_on__gt=last)
    monthly = Q(kind=Deadline.Kind.MONTHLY_REPORT, due_on__gte=first, due_on__lte=last)
    late = Q(met_on__isnull=True) | Q(met_on__gt=F("due_on"))
    counts = (Deadline.objects.filter(project__street__parent__code=FUYANG).exclude(state=Deadline.State.CANCELLED)
              .values("project__street_id").annotate(overdue=Count("pk", filter=Q(unmet, due_on__lte=last)),
                                                     missing_reports=Count("pk", filter=monthly & late)).order_by())
    for entry in counts:
        row = rows.get(entry["project__street_id"])
        if row is not None:
            row.update(overdue=entry["overdue"], missing_reports=entry["missing_reports"])
    table = []
    for row in rows.values():
        total, reporting = row.pop("progress_sum"), row.pop("reporting")
        row["avg_progress"] = str((total / reporting).quantize(Decimal("0.01"))) if reporting else None
        table.append(row)

    rank(table, "code")
    return {"month": f"{first:%Y-%m}", "first_day": first.isoformat(), "last_day": last.isoformat(),
            "basis": f"{BASIS}；{RULE}", "rows": table}


def workbook(data: dict) -> bytes:
    book = ReportWorkbook(unit=f"统计期间：{data['first_day']} 至 {data['last_day']}    单位：个、%",
                          org="富阳区未来社区建设工作领导小组办公室（平台生成）", made_at=timezone.now())
    columns = [Column(label, "text" if key in ("street", "avg_progress") else "int", 14, total=False)
               for key, label in COLUMNS]
    sheet = book.sheet("评价通报", f"富阳区未来社区创建月度评价通报（{data['month']}）", columns)
    for row in data["rows"]:
        sheet.add([row.get(key) for key, _ in COLUMNS])
    sheet.close(note=f"依据：{data['basis']}")
    output = BytesIO()
    book.save(output)
    return output.getvalue()
