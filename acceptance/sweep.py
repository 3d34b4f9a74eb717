"""The daily deadline sweep (DOMAIN §4.3). Set-based: a constant number of SQL statements
whatever the number of projects, each idempotent and committed on its own, so a run that
crashes half-way is completed by the next one and reruns change nothing.

1. Ensure deadline rows: the construction deadline of every listed project (from its
   `construction_deadline` column, the copy acceptance.deadlines writes with the row) and
   the monthly report (月报) of every completed month since listing, due on the policy
   version's report day.
2. Mark deadlines met from the data: reports received, acceptance (first) requested, accepted,
   rectification closed, the public notice closed with consent; missed when met late.
3. Cancel unmet deadlines of projects that left the workflow (terminated, withdrawn; after
   acceptance: reports, rectification, notice).
4. open → overdue when the due date has passed (and back if `today` is earlier or the date
   moved); overdue marks the deadline `missed` (富阳 五(三) for the year-end deadline).
5. Raise alerts: d90 / d30 / d7 before, due on the day, overdue weekly; to the street office,
   overdue also the district office, overdue by more than 30 days also the city office; and
   notify the users of the recipient offices in the same transaction
   (acceptance.notifications.notify_alerts).
6. Close alerts whose deadline is met or cancelled (or whose date moved).
7. Notify the users of alerts not yet notified (raised otherwise; normally none).
8. Record the sweep's heartbeat.

Steps 1 (monthly rows), 2 (reports), 5 and 6 look only at what changed since the last run that
completed them (acceptance.sweep_marks: a watermark written in the step's own transaction), so
a same-day rerun checks and writes nothing; without a mark they look at everything, as before.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import Exists, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from acceptance import notifications, sweep_marks
from acceptance.deadlines import close_settled_alerts, completed_months, monthly_key
from acceptance.models import Alert, Deadline, RectificationOrder
from communities.models import Community, Office, Region
from policies import get_policy
from policies.dates import next_month
from portal import heartbeats
from portal.sql import date_param, datetime_param, days_since, execute, table, values_cte
from projects.deadlines import acceptance_first_requested_on
from projects.models import LEFT_STATUSES, LISTED_STATUSES, CreationProject, MonthlyReport, PolicyVersion, Status
from projects.periods import append, version_flags
from projects.selectors import display_name_sql
from residents.models import Notice

K, S = Deadline.Kind, Deadline.State
DONE = [Status.ACCEPTED, Status.NAMED]
ALERT_HORIZON_DAYS = 90
CITY_ESCALATION_DAYS = 30
DUE_TABLE = "acceptance_sweep_due"  # raise_alerts' temporary table (one per connection)
NEVER = dt.date(9999, 12, 31)  # the cutoff of a version without the 超出文件执行期 flag (a typed date, not NULL)


@dataclass
class SweepResult:
    today: str
    deadlines_created: int = 0
    met: int = 0
    cancelled: int = 0
    overdue: int = 0
    alerts_raised: int = 0
    alerts_closed: int = 0
    notifications: int = 0


def _listed_sql() -> tuple[str, list]:
    statuses = sorted(LISTED_STATUSES)
    return f"p.status IN ({', '.join(['%s'] * len(statuses))})", statuses


def _deadline_columns() -> str:
    return ("project_id, kind, key, label, due_on, basis, state, met_on, missed, month, order_id, "
            "created_at, updated_at")


def ensure_construction_rows(now) -> int:
    listed, params = _listed_sql()
    sql = (f"INSERT INTO {table(Deadline)} ({_deadline_columns()}) "
           f"SELECT p.id, %s, %s, %s, p.construction_deadline, p.construction_deadline_basis, %s, NULL, %s, "
           f"NULL, NULL, %s, %s FROM {table(CreationProject)} p "
           f"WHERE {listed} AND p.construction_deadline IS NOT NULL AND NOT EXISTS "
           f"(SELECT 1 FROM {table(Deadline)} d WHERE d.project_id = p.id AND d.key = %s) ON CONFLICT DO NOTHING")
    stamp = datetime_param(now)
    return execute(sql, [K.CONSTRUCTION, "construction", K.CONSTRUCTION.label, S.OPEN, False, stamp, stamp,
                         *params, "construction"])


def _month_rows(today: dt.date) -> list[tuple]:
    """(version id or 0, policy, month, next month, key, due, basis, label) for every version."""
    first = CreationProject.objects.filter(status__in=LISTED_STATUSES).aggregate(m=Min("listed_on"))["m"]
    if first is None:
        return []
    months = completed_months(max(first, dt.date(today.year - 10, 1, 1)), today)  # bounded VALUES list
    versions = [(v.pk, v.policy_code, v.cleaned_parameters(), v.continuation_document_no)
                for v in PolicyVersion.objects.all()]
    codes = {code for _, code, _, _ in versions} | set(
        CreationProject.objects.filter(policy_version=None).exclude(policy_code="")
        .order_by().values_list("policy_code", flat=True).distinct())
    versions += [(0, code, None, "") for code in sorted(codes)]
    rows = []
    for version_id, code, params, continuation in versions:
        policy = get_policy(code)
        # 超出文件执行期（沿用）, once per version: projects listed after `cutoff` get `flag`
        cutoff, flag = version_flags(code, continuation)
        for month in months:
            ruling = policy.monthly_report_due(month.year, month.month, params)
            if ruling.date is None:
                continue
            following = dt.date(*next_month(month.year, month.month), 1)
            rows.append((version_id, code, date_param(month), date_param(following), monthly_key(month),
                         date_param(ruling.date), ruling.basis, append(ruling.basis, flag),
                         date_param(cutoff or NEVER), ruling.label))
    return rows


def ensure_monthly_rows(today: dt.date, now) -> int:
    """The monthly-report deadline of every completed month since listing, for every listed
    project, that does not exist yet.

    Which (project, month) pairs are missing is one EXCEPT of the wanted pairs and the
    existing rows (two hashed sets of narrow rows); only those are joined to their labels.
    A NOT EXISTS per wanted pair made PostgreSQL probe the deadline index 1.8 million times
    at nation scale (9 s of a 30 s sweep; now 3 s).
    """
    rows = _month_rows(today)
    if not rows:
        return 0
    listed_inputs = sweep_marks.listed_inputs()
    mark = sweep_marks.get(sweep_marks.MONTHLY)
    since = sweep_marks.monthly_since(mark, rows, listed_inputs)
    sweep_marks.record(sweep_marks.MONTHLY, today, sweep_marks.monthly_inputs(rows, listed_inputs), now, mark)
    if since is not None:  # the earlier months are there: only the months completed since
        new = [r for r in rows if r[2] >= date_param(since)]
        return _insert_months(new, now) if new else 0
    cte, cte_params = values_cte("v", ["pv", "code", "month", "next_start", "key", "due_on", "basis", "flagged",
                                       "cutoff", "label"], rows)
    listed, params = _listed_sql()
    stamp = datetime_param(now)
    d, p = table(Deadline), table(CreationProject)
    matches = "v.pv = COALESCE(p.policy_version_id, 0) AND v.code = p.policy_code"
    basis = "CASE WHEN p.listed_on > v.cutoff THEN v.flagged ELSE v.basis END"
    missing = (f"SELECT p.id AS project_id, v.month FROM {p} p JOIN v ON {matches} AND p.listed_on < v.next_start "
               f"WHERE {listed} EXCEPT SELECT project_id, month FROM {d} WHERE kind = %s")
    sql = (f"INSERT INTO {d} ({_deadline_columns()}) "  # WITH inside the INSERT: see raise_alerts
           f"WITH {cte}, m AS ({missing}) "
           f"SELECT p.id, %s, v.key, v.label, v.due_on, {basis}, %s, NULL, %s, v.month, NULL, %s, %s "
           f"FROM m JOIN {p} p ON p.id = m.project_id JOIN v ON {matches} AND v.month = m.month "
           f"WHERE TRUE ON CONFLICT DO NOTHING")  # WHERE: SQLite's INSERT … SELECT … ON CONFLICT needs one
    return execute(sql, [*cte_params, *params, K.MONTHLY_REPORT, K.MONTHLY_REPORT, S.OPEN, False, stamp, stamp])


def _insert_months(rows: list[tuple], now) -> int:
    """The rows of months no run has generated yet: every listed project's, inserted without
    looking for existing ones (a month reported early has its row: ON CONFLICT skips it)."""
    cte, cte_params = values_cte("v", ["pv", "code", "month", "next_start", "key", "due_on", "basis", "flagged",
                                       "cutoff", "label"], rows)
    listed, params = _listed_sql()
    stamp = datetime_param(now)
    sql = (f"INSERT INTO {table(Deadline)} ({_deadline_columns()}) WITH {cte} "
           f"SELECT p.id, %s, v.key, v.label, v.due_on, "
           f"CASE WHEN p.listed_on > v.cutoff THEN v.flagged ELSE v.basis END, %s, NULL, %s, v.month, NULL, %s, %s "
           f"FROM {table(CreationProject)} p JOIN v ON v.pv = COALESCE(p.policy_version_id, 0) "
           f"AND v.code = p.policy_code AND p.listed_on < v.next_start WHERE {listed} ON CONFLICT DO NOTHING")
    return execute(sql, [*cte_params, K.MONTHLY_REPORT, S.OPEN, False, stamp, stamp, *params])


def mark_met(today: dt.date, now) -> int:
    active = Deadline.objects.filter(state__in=Deadline.ACTIVE)
    met = {"state": S.MET, "updated_at": now}
    reports = MonthlyReport.objects.filter(project=OuterRef("project_id"), month=OuterRef("month"))
    count = 0
    for monthly in sweep_marks.reported_candidates(active.filter(kind=K.MONTHLY_REPORT), reports, today, now):
        count += monthly.filter(Exists(reports)).update(
            met_on=Subquery(reports.annotate(day=TruncDate("submitted_at")).values("day")[:1]), **met)
    project = CreationProject.objects.filter(pk=OuterRef("project_id"))
    # The date that meets the construction deadline: the same expression as the per-project
    # recomputation (projects.deadlines, DOMAIN §4.1: the first request for acceptance).
    # Every request sets acceptance_requested_on: the cheap column says which rows to look at.
    first = project.annotate(first=acceptance_first_requested_on()).values("first")[:1]
    count += active.filter(kind=K.CONSTRUCTION, project__acceptance_requested_on__isnull=False).update(
        met_on=Subquery(first), **met)
    count += active.filter(kind=K.YEAR_END, project__accepted_on__isnull=False).update(
        met_on=Subquery(project.values("accepted_on")[:1]), **met)
    order = RectificationOrder.objects.filter(pk=OuterRef("order_id"))
    count += active.filter(kind=K.RECTIFICATION, order__closed_at__isnull=False).update(
        met_on=Subquery(order.annotate(day=TruncDate("closed_at")).values("day")[:1]), **met)
    # 绍兴2023 三(一): met by the 实施方案 公示 closed with consent recorded, never by the date alone
    consent = Notice.objects.filter(projects=OuterRef("project_id"), kind=Notice.Kind.IMPLEMENTATION_PLAN,
                                    consent_recorded=True, closed_on__isnull=False).order_by("closed_on")
    count += active.filter(Exists(consent), kind=K.PUBLIC_NOTICE).update(
        met_on=Subquery(consent.values("closed_on")[:1]), **met)
    # index deadline_met_late_unmarked: the rows to mark, not every deadline
    Deadline.objects.filter(state=S.MET, missed=False, met_on__gt=F("due_on")).update(missed=True)
    return count


def cancel_left(now) -> int:
    left = Q(project__status__in=LEFT_STATUSES) | Q(
        project__status__in=DONE, kind__in=[K.MONTHLY_REPORT, K.RECTIFICATION, K.PUBLIC_NOTICE])
    return Deadline.objects.filter(left, state__in=Deadline.ACTIVE).update(state=S.CANCELLED, updated_at=now)


def mark_overdue(today: dt.date, now) -> int:
    count = Deadline.objects.filter(state=S.OPEN, due_on__lt=today).update(
        state=S.OVERDUE, missed=True, updated_at=now)
    Deadline.objects.filter(state=S.OVERDUE, due_on__gte=today).update(state=S.OPEN, missed=False,
                                                                       updated_at=now)
    return count


def raise_alerts(today: dt.date, now) -> tuple[int, int]:
    """One INSERT … SELECT of every alert due today; existing ones are left alone. The new
    alerts are notified in the same transaction (their `notified_at` is written with the row,
    not by an UPDATE of 100,000 rows afterwards): (alerts raised, notifications recorded).

    The deadlines due an alert today are first kept in a temporary table (`DUE_TABLE`) with what
    their alerts and notifications need: the level, the street and district, the deadline's
    label and basis and the project's name. Both inserts read it, so the notifications do not
    look up each alert's deadline, project and community again (106,000 alerts at nation scale:
    1.7 s of index lookups in a 3.4 s statement).

    The recipients are three equi-joins (the street's office; when overdue the district's;
    overdue by more than CITY_ESCALATION_DAYS the city's) combined with UNION ALL. One join
    with the three ORed would compare every candidate with every office: at nation scale
    (100,000 candidates, 6,800 offices) that took 135 s.
    """
    d, p, r, o = table(Deadline), table(CreationProject), table(Region), table(Office)
    late = days_since("d.due_on")
    inputs = sweep_marks.recipient_inputs()
    mark = sweep_marks.get(sweep_marks.ALERTS)
    only, only_params = sweep_marks.alert_filter(mark, today, now, inputs) or ("", [])
    sweep_marks.record(sweep_marks.ALERTS, today, inputs, now, mark)
    before = Alert.objects.aggregate(last=Max("id"))["last"] or 0
    candidates = (
        f"SELECT d.id, d.due_on, d.project_id, d.label, d.basis, {late} AS late FROM {d} d "
        f"WHERE d.state IN (%s, %s) AND d.due_on <= %s {only}")
    levels = (
        "SELECT c.*, CASE WHEN c.late > 0 THEN %s WHEN c.late = 0 THEN %s WHEN c.late >= -7 THEN %s "
        "WHEN c.late >= -30 THEN %s ELSE %s END AS level, "
        f"CASE WHEN c.late > 0 THEN (c.late - 1) / 7 ELSE 0 END AS period FROM ({candidates}) c")
    project_name, name_params = display_name_sql("p", "cm")  # `c` is the candidates' alias above
    placed = (f"SELECT x.*, s.id AS street, s.parent_id AS district, {project_name} AS project_name FROM x "
              f"JOIN {p} p ON p.id = x.project_id JOIN {r} s ON s.id = p.street_id "
              f"JOIN {table(Community)} cm ON cm.id = p.community_id WHERE x.level IS NOT NULL")
    L = Alert.Level
    execute(f"DROP TABLE IF EXISTS {DUE_TABLE}")  # a table left by an earlier run on this connection
    execute(f"CREATE TEMPORARY TABLE {DUE_TABLE} AS WITH x AS ({levels}) {placed}",
            [L.OVERDUE, L.DUE, L.D7, L.D30, L.D90,  # levels
             date_param(today), S.OPEN, S.OVERDUE, date_param(today + dt.timedelta(days=ALERT_HORIZON_DAYS)),
             *only_params, *name_params])
    execute(f"CREATE UNIQUE INDEX {DUE_TABLE}_id ON {DUE_TABLE} (id)")  # the notifications' join
    if connection.vendor == "postgresql":
        execute(f"ANALYZE {DUE_TABLE}")  # a new table has no statistics: the inserts' plans need its size
    recipients = (
        f"SELECT y.*, o.id AS office FROM {DUE_TABLE} y JOIN {o} o ON o.kind = %s AND o.region_id = y.street "
        f"UNION ALL SELECT y.*, o.id FROM {DUE_TABLE} y JOIN {o} o ON o.kind = %s AND o.region_id = y.district "
        f"WHERE y.late > 0 "
        f"UNION ALL SELECT y.*, o.id FROM {DUE_TABLE} y JOIN {r} dist ON dist.id = y.district "
        f"JOIN {o} o ON o.kind = %s AND o.region_id = dist.parent_id WHERE y.late > %s")
    sql = (
        f"INSERT INTO {table(Alert)} (deadline_id, due_on, level, period, office_id, raised_on, state, closed_at, "
        f"notified_at, created_at) "
        f"SELECT z.id, z.due_on, z.level, z.period, z.office, %s, %s, NULL, %s, %s FROM ({recipients}) z "
        "WHERE TRUE ON CONFLICT DO NOTHING"  # WHERE: SQLite's INSERT … SELECT … ON CONFLICT needs one
    )
    params = [date_param(today), S.OPEN, datetime_param(now), datetime_param(now),  # the INSERT's SELECT
              Office.Kind.STREET, Office.Kind.DISTRICT_TOWNSCAPE, Office.Kind.CITY_TOWNSCAPE, CITY_ESCALATION_DAYS]
    raised = execute(sql, params)
    notified = notifications.notify_alerts(now, raised_after=before, facts=DUE_TABLE) if raised else 0
    execute(f"DROP TABLE {DUE_TABLE}")
    return raised, notified


def close_alerts(today: dt.date, now) -> int:
    return close_settled_alerts(sweep_marks.settled_candidates(Alert.objects.all(), today, now))


def _step(function, *args):
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Each statement runs once over large tables: JIT compilation cost seconds a statement
            # (2.6 s of a 4.9 s UPDATE at nation scale) and saves nothing here.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        return function(*args)


def sweep_deadlines(today: dt.date | None = None, now: dt.datetime | None = None) -> SweepResult:
    """The whole daily job; `today` may be any date (the run is deterministic for it)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = SweepResult(today=today.isoformat())
    result.deadlines_created = _step(ensure_construction_rows, now) + _step(ensure_monthly_rows, today, now)
    result.met = _step(mark_met, today, now)
    result.cancelled = _step(cancel_left, now)
    result.overdue = _step(mark_overdue, today, now)
    result.alerts_raised, result.notifications = _step(raise_alerts, today, now)
    result.alerts_closed = _step(close_alerts, today, now)
    result.notifications += _step(notifications.notify_alerts, now)
    heartbeats.beat(heartbeats.SWEEP, now, **asdict(result))
    return result
