"""Deadlines (时限) of one project, computed from its policy (DOMAIN §4.1–4.2).

`wanted_deadlines` says what the project owes, from its policy and its data; `recompute_deadlines`
makes the project's Deadline rows agree with it (an idempotent upsert) and, in the same
transaction, writes the project's stored copy of the construction deadline through its one
writer (projects.deadlines.store_construction_deadlines), so the row and the copy never differ.
The receivers call it on every transition, fact change, monthly report and parameter change;
the daily sweep (acceptance.sweep) covers the rest set-based. The construction deadline's date
and the date that meets it are owned by projects.deadlines (DOMAIN §4.1: "The deadline is met
when acceptance is requested on or before that date" — the first request, see there).

Start rule chosen for the Shaoxing public notice (绍兴2023 三(一) 公示7天): the document does not
say when the notice starts; the platform counts it from the listing date (公布日期), the day
the implementation plan becomes public, so the period ends `public_notice_days` days later
and the deadline is met the day after it ends.
"""

import datetime as dt
from dataclasses import dataclass, replace
from itertools import islice

from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from acceptance.models import Alert, Deadline
from policies.base import DeadlineRuling
from policies.dates import next_month
from projects.deadlines import construction_met_on, store_construction_deadlines
from projects.facts import project_facts
from projects.models import LISTED_STATUSES, CreationProject, Status
from projects.periods import append, note_text, period_note
from residents.notices import consented_notice

K = Deadline.Kind
# Statuses in which a project has deadlines at all; leaving them cancels the unmet ones.
WITH_DEADLINES = LISTED_STATUSES | {Status.ACCEPTED, Status.NAMED}
CHUNK = 500  # projects per transaction of a policy version's recomputation


@dataclass(frozen=True)
class Wanted:
    kind: str
    key: str
    label: str
    due_on: dt.date
    basis: str
    met_on: dt.date | None = None
    month: dt.date | None = None
    order_id: int | None = None


def monthly_key(month: dt.date) -> str:
    return f"monthly:{month:%Y-%m}"


def completed_months(first: dt.date, today: dt.date) -> list[dt.date]:
    """First days of the months from `first`'s month up to the month before `today`'s."""
    months, current, stop = [], first.replace(day=1), today.replace(day=1)
    while current < stop:
        months.append(current)
        current = dt.date(*next_month(current.year, current.month), 1)
    return months


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value else None


def _public_notice(project, policy, params, today) -> Wanted | None:
    """Met only by a 实施方案 公示 closed after its period with the stakeholders' consent
    recorded (residents.Notice; DOMAIN §4.2: never marked met automatically)."""
    days = policy.public_notice_days(params)
    if not days or not project.stock_land_used:
        return None
    due = project.listed_on + dt.timedelta(days=days)
    basis = (f"{policy.basis_of('public_notice_days', days)} 公示{days}天"
             "（起算日文件未规定，本平台自列入创建名单之日起算）；公示期满并记录利害关系人同意后方为完成")
    consented = consented_notice(project)
    return Wanted(K.PUBLIC_NOTICE, "public_notice", f"存量土地实施方案公示期（{days}天）", due, basis,
                  met_on=consented.closed_on if consented else None)


def _monthly_reports(project, policy, params, today) -> list[Wanted]:
    """月报: every completed month from listing while listed, plus every month reported."""
    reported = dict(project.monthly_reports.annotate(day=TruncDate("submitted_at"))
                    .values_list("month", "day"))
    months = set(reported)
    if project.status in LISTED_STATUSES:
        months.update(completed_months(project.listed_on, today))
    wanted = []
    for month in sorted(months):
        ruling = policy.monthly_report_due(month.year, month.month, params)
        if ruling.date is not None:
            wanted.append(Wanted(K.MONTHLY_REPORT, monthly_key(month), ruling.label, ruling.date,
                                 ruling.basis, met_on=reported.get(month), month=month))
    return wanted


def _rectifications(project, policy) -> list[Wanted]:
    clause = "，绍兴2023 四 限时督促整改" if policy.code == "shaoxing-2023" else ""
    return [Wanted(K.RECTIFICATION, f"rectification:{order.pk}", f"整改单#{order.pk}整改期限",
                   order.due_on, f"{order.office.name}下达的整改单#{order.pk}{clause}",
                   met_on=_local_date(order.closed_at), order_id=order.pk)
            for order in project.rectification_orders.select_related("office").order_by("pk")]


def wanted_deadlines(project: CreationProject, today: dt.date,
                     construction: DeadlineRuling | None) -> list[Wanted]:
    """What the project owes under its policy; a date the policy leaves 未设定 gives no row.
    `construction`: the project's construction deadline (projects.deadlines)."""
    policy = project.policy
    if policy is None or project.listed_on is None or project.status not in WITH_DEADLINES:
        return []
    params = project.parameters()
    facts = project_facts(project)
    wanted = []
    if construction is not None and construction.date is not None:
        wanted.append(Wanted(K.CONSTRUCTION, "construction", construction.label, construction.date,
                             construction.basis, met_on=construction_met_on(project)))
    year_end = policy.year_end_deadline(facts, params)
    if year_end is not None and year_end.date is not None:
        wanted.append(Wanted(K.YEAR_END, "year_end", year_end.label, year_end.date, year_end.basis,
                             met_on=project.accepted_on))
    notice = _public_notice(project, policy, params, today)
    if notice:
        wanted.append(notice)
    # 超出文件执行期（沿用）on every date the policy gives (the construction basis has it already)
    flag = note_text(period_note(project))
    wanted = [w if w.kind == K.CONSTRUCTION else replace(w, basis=append(w.basis, flag))
              for w in wanted + _monthly_reports(project, policy, params, today)]
    return wanted + _rectifications(project, policy)


def _row_values(wanted: Wanted, today: dt.date) -> dict:
    if wanted.met_on is not None:
        state, missed = Deadline.State.MET, wanted.met_on > wanted.due_on
    elif wanted.due_on < today:
        state, missed = Deadline.State.OVERDUE, True
    else:
        state, missed = Deadline.State.OPEN, False
    return {"kind": wanted.kind, "label": wanted.label, "due_on": wanted.due_on, "basis": wanted.basis,
            "state": state, "met_on": wanted.met_on, "missed": missed, "month": wanted.month,
            "order_id": wanted.order_id}


def recompute_deadlines(project: CreationProject, today: dt.date | None = None) -> dict:
    """Make the project's deadline rows, and its stored construction deadline, agree with
    `wanted_deadlines` (idempotent upsert), in one transaction.

    Rows no longer wanted are cancelled if still open or overdue (met ones stay met); alerts of
    met or cancelled deadlines, and of deadlines whose date moved, close.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        construction = store_construction_deadlines([project])[project.pk]
        return _recompute_rows(project, construction, today)


def _recompute_rows(project: CreationProject, construction: DeadlineRuling | None, today: dt.date) -> dict:
    wanted = {w.key: _row_values(w, today) for w in wanted_deadlines(project, today, construction)}
    existing = {d.key: d for d in Deadline.objects.filter(project=project)}
    if not wanted and not existing:
        return {"created": 0, "changed": 0, "cancelled": 0, "moved": 0}
    created = [Deadline(project=project, key=key, **values) for key, values in wanted.items()
               if key not in existing]
    Deadline.objects.bulk_create(created, ignore_conflicts=True)
    changed, moved = 0, []
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None or all(getattr(row, name) == value for name, value in values.items()):
            continue
        if row.due_on != values["due_on"]:
            moved.append(row.pk)
        changed += Deadline.objects.filter(pk=row.pk).update(**values, updated_at=timezone.now())
    gone = [row.pk for key, row in existing.items() if key not in wanted and row.state in Deadline.ACTIVE]
    cancelled = Deadline.objects.filter(pk__in=gone).update(state=Deadline.State.CANCELLED,
                                                            updated_at=timezone.now())
    close_settled_alerts(Alert.objects.filter(deadline__project=project))
    return {"created": len(created), "changed": changed, "cancelled": cancelled, "moved": len(moved)}


def close_settled_alerts(alerts) -> int:
    """Close open alerts whose deadline is met or cancelled, or whose due date has moved, and
    with them their unread inbox entries (key "alert:<id>", acceptance.notifications): a filed
    overdue 月报 leaves no unread alert behind. Set-based: two UPDATEs whatever the count."""
    from django.db.models import CharField, Exists, F, OuterRef, Q, Value
    from django.db.models.functions import Cast, Concat

    from portal.models import Notification

    now = timezone.now()
    settled = Q(deadline__state__in=[Deadline.State.MET, Deadline.State.CANCELLED]) | ~Q(
        due_on=F("deadline__due_on"))
    closed = alerts.filter(settled, state=Alert.State.OPEN).update(state=Alert.State.CLOSED, closed_at=now)
    if closed:
        keys = (Alert.objects.filter(state=Alert.State.CLOSED, closed_at=now)
                .annotate(note_key=Concat(Value("alert:"), Cast("pk", CharField()), output_field=CharField()))
                .filter(note_key=OuterRef("key")))
        Notification.objects.filter(event="alert", read_at=None).filter(Exists(keys)).update(read_at=now)
    return closed


def recompute_for_policy_version(version_id: int, today: dt.date | None = None) -> int:
    """Recompute every listed project bound to a PolicyVersion (after its parameters changed):
    per chunk of projects, one transaction that writes the stored construction deadlines
    set-based and then the deadline rows of the projects that have deadlines. Returns how many
    projects' rows were recomputed."""
    today = today or timezone.localdate()
    projects = (CreationProject.objects.filter(policy_version_id=version_id, listed_on__isnull=False)
                .select_related("community", "street__parent", "policy_version").order_by("pk"))
    count, rows = 0, projects.iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        with transaction.atomic():
            construction = store_construction_deadlines(chunk)
            for project in chunk:
                if project.status in WITH_DEADLINES:
                    _recompute_rows(project, construction[project.pk], today)
                    count += 1
    return count
