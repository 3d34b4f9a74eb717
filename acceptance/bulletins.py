"""Shaoxing monthly progress bulletin (月度通报) and quarterly ranking (季度晾晒), 绍兴2023 四:
“完善工作推进机制，每月通报进展情况，每季度晾晒考评结果” — per district, from the data.

Each figure is as of the end of the period: a project's status is its last transition before
the end (without history then: what its recorded listing, acceptance and naming dates say),
progress its latest monthly report for a month of the period or earlier; a deadline counts
as overdue if due by the end and not met by then, a report as missing if due in the period
and not received by its due date. Stored once per (city, kind, period): rerunning the job
changes nothing. The document does not say how districts are ranked; the platform ranks by
average progress (higher first), then overdue deadlines, then missing reports (fewer first),
and says so in the bulletin's basis.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from acceptance.models import Bulletin, Deadline
from communities.models import Region
from policies.instruments import INSTRUMENTS, jurisdiction
from projects.models import LISTED_STATUSES, CreationProject, MonthlyReport, Status, Transition

CITY_CODES = jurisdiction("bulletins")  # 绍兴市: the only document that asks for bulletins
BASIS = INSTRUMENTS["bulletins"].basis
RANKING_RULE = ("排名方法文件未规定，本平台按平均形象进度由高到低排列，进度相同时逾期时限少者在前，"
                "再相同时缺报月报少者在前")
COLUMNS = [
    ("district", "区、县（市）"), ("applying", "申报审核中"), ("in_progress", "创建中"),
    ("accepted", "已通过验收"), ("named", "已命名"), ("avg_progress", "平均形象进度（%）"),
    ("reporting", "已报月报项目数"), ("overdue", "逾期时限（个）"), ("overdue_construction", "其中建设完成时限逾期"),
    ("reports_due", "期内应报月报"), ("missing_reports", "缺报（逾期未报）月报"),
]
COUNTED = ["applying", "in_progress", "accepted", "named", "reporting", "overdue", "overdue_construction",
           "reports_due", "missing_reports"]


# Columns other apps add to the bulletin, each with its counter (`register_counts`): supervision
# adds its 督办 and 整改单 figures (DOMAIN §9 "督办 counts in the bulletins").
COUNTERS: list = []


def register_counts(columns: list[tuple[str, str]], counter) -> None:
    """Add `columns` (key, label) to every bulletin from now on; `counter(city, first, last)`
    returns {district region id: {key: count}} for the period. Once per counter."""
    if counter in COUNTERS:
        return
    COUNTERS.append(counter)
    COLUMNS.extend(columns)
    COUNTED.extend(key for key, _ in columns)


def periods(today: dt.date) -> list[tuple[str, str, dt.date, dt.date]]:
    """(kind, period, first day, last day): last month, and the last completed quarter."""
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    monthly = ("monthly", f"{last_month_end:%Y-%m}", last_month_end.replace(day=1), last_month_end)
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    quarter_end = quarter_start - dt.timedelta(days=1)
    first = dt.date(quarter_end.year, quarter_end.month - 2, 1)
    quarterly = ("quarterly", f"{quarter_end.year}-Q{(quarter_end.month - 1) // 3 + 1}", first, quarter_end)
    return [monthly, quarterly]


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _project_rows(city: Region, last_day: dt.date):
    """(district id, status at the end of the period, latest progress) of every project then.

    The status is the last transition before the end; a project whose history was recorded
    later (imported, or entered after the fact) falls back to its recorded decision dates.
    """
    end = _end_of(last_day)
    status_then = Transition.objects.filter(project=OuterRef("pk"), at__lt=end).order_by("-at", "-id")
    by_dates = Case(When(named_on__lte=last_day, then=Value(Status.NAMED)),
                    When(accepted_on__lte=last_day, then=Value(Status.ACCEPTED)),
                    When(listed_on__lte=last_day, then=Value(Status.LISTED)), default=None, output_field=CharField())
    progress = (MonthlyReport.objects.filter(project=OuterRef("pk"), month__lte=last_day)
                .order_by("-month").values("progress_percent")[:1])
    return (CreationProject.objects.filter(street__parent__parent=city)
            .annotate(status_then=Coalesce(Subquery(status_then.values("to_status")[:1]), by_dates),
                      progress=Subquery(progress))
            .filter(status_then__isnull=False)
            .values_list("street__parent_id", "status_then", "progress"))


def _deadline_counts(city: Region, first: dt.date, last: dt.date):
    deadlines = Deadline.objects.filter(project__street__parent__parent=city).exclude(
        state=Deadline.State.CANCELLED)
    unmet_at_end = Q(met_on__isnull=True) | Q(met_on__gt=last)
    late = Q(met_on__isnull=True) | Q(met_on__gt=F("due_on"))
    monthly = Q(kind=Deadline.Kind.MONTHLY_REPORT, due_on__gte=first, due_on__lte=last)
    return deadlines.values("project__street__parent_id").annotate(
        overdue=Count("pk", filter=Q(unmet_at_end, due_on__lte=last)),
        overdue_construction=Count("pk", filter=Q(unmet_at_end, due_on__lte=last,
                                                  kind=Deadline.Kind.CONSTRUCTION)),
        reports_due=Count("pk", filter=monthly),
        missing_reports=Count("pk", filter=monthly & late),
    ).order_by()


def build(city: Region, kind: str, period: str, first: dt.date, last: dt.date) -> dict:
    districts = list(Region.objects.filter(parent=city, level=Region.Level.DISTRICT, is_active=True)
                     .order_by("code", "pk"))
    rows = {d.pk: {"district_code": d.code, "district": d.name, **dict.fromkeys(COUNTED, 0),
                   "progress_sum": Decimal(0)} for d in districts}
    groups = {Status.SUBMITTED: "applying", Status.IN_REVIEW: "applying", Status.ACCEPTED: "accepted",
              Status.NAMED: "named", **{s: "in_progress" for s in LISTED_STATUSES}}
    for district_id, status, progress in _project_rows(city, last):
        row = rows.get(district_id)
        group = groups.get(status)
        if row is None or group is None:
            continue
        row[group] += 1
        if group == "in_progress" and progress is not None:
            row["reporting"] += 1
            row["progress_sum"] += progress
    for counts in _deadline_counts(city, first, last):
        row = rows.get(counts.pop("project__street__parent_id"))
        if row is not None:
            row.update(counts)
    for counter in COUNTERS:
        for district_id, counts in counter(city, first, last).items():
            if district_id in rows:
                rows[district_id].update(counts)
    table = []
    for row in rows.values():
        total = row.pop("progress_sum")
        row["avg_progress"] = str((total / row["reporting"]).quantize(Decimal("0.01"))) if row["reporting"] else None
        table.append(row)
    if kind == Bulletin.Kind.QUARTERLY:
        rank(table)
    totals = {name: sum(r[name] for r in table) for name in COUNTED}
    return {"city": city.name, "city_code": city.code, "kind": kind, "period": period,
            "first_day": first.isoformat(), "last_day": last.isoformat(),
            "basis": BASIS if kind == Bulletin.Kind.MONTHLY else f"{BASIS}；{RANKING_RULE}",
            "rows": table, "totals": totals}


def rank(table: list[dict], code_key: str = "district_code") -> None:
    """Sort `table` and give each row its 排名 by average 形象进度 (higher first), then fewer
    overdue deadlines, then fewer missing 月报; equal scores share a place (1, 1, 3). The
    platform's criteria where a document sets none (the 月度通报 and 富阳's 月度评价通报 alike)."""

    def score(row):
        progress = Decimal(row["avg_progress"]) if row["avg_progress"] is not None else Decimal(-1)
        return (-progress, row["overdue"], row["missing_reports"])

    table.sort(key=lambda row: (score(row), row[code_key] or ""))
    for index, row in enumerate(table):
        same = index and score(table[index - 1]) == score(row)
        row["rank"] = table[index - 1]["rank"] if same else index + 1


def generate_bulletins(today: dt.date | None = None) -> list[Bulletin]:
    """Store the missing bulletins of the last month and last quarter; existing ones stay."""
    today = today or timezone.localdate()
    created = []
    for city in Region.objects.filter(code__in=CITY_CODES, level=Region.Level.CITY):
        for kind, period, first, last in periods(today):
            if Bulletin.objects.filter(city=city, kind=kind, period=period).exists():
                continue
            data = build(city, kind, period, first, last)
            bulletin, was_created = Bulletin.objects.get_or_create(city=city, kind=kind, period=period,
                                                                   defaults={"data": data})
            if was_created:
                created.append(bulletin)
    return created


def period_label(bulletin: Bulletin) -> str:
    year, _, rest = bulletin.period.partition("-")
    if rest.startswith("Q"):
        return f"{year}年第{rest[1:]}季度"
    return f"{year}年{int(rest)}月"

