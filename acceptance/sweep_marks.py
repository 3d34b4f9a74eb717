"""Watermarks of the daily sweep's two incremental steps (acceptance.sweep): what a run may
skip because an earlier complete run did it.

- "monthly_rows": the monthly-report deadlines exist for every (listed project, completed
  month) pair as of the mark's day, for the inputs digested in the mark: the per-version month
  rows (labels, due dates, bases, the 10-year bound) and the listed projects' id, listing date,
  policy code and version. When today's month rows of the months the mark covered, and the
  listed projects, digest the same, only the months completed since are generated (a
  same-month rerun generates nothing); otherwise every pair is checked, as before.
- "alerts": every alert due on the mark's day was raised. A deadline whose level (or overdue
  week, or city escalation) is the same today as on that day already has its alerts, unless
  the deadline row changed since (updated_at, written by every writer of deadlines) or the
  recipients did (offices, project streets, region parents: digested). So only deadlines
  whose stage changes between the two days, or that changed, are candidates.
- "met_reports": a monthly deadline is met by its month's report: only deadlines changed, or
  with a report submitted, since the last complete step are looked at.
- "closed_alerts": alerts close when their deadline is met, cancelled or moved: only the alerts
  of deadlines changed since the last closing step are looked at.

Rows stamped with the marked run's own `now` are skipped by the next run (own_stamp): the
marked step read them in the state the run left them; a same-day rerun thus rechecks none of the
rows the daily run wrote, only what others wrote since.

A mark is written in the same transaction as its step's rows: a crash leaves the previous
mark and the next run does the work again. Deleting a deadline or an alert (admin, cascades)
drops the marks (acceptance.receivers), so the next run is a full one.
"""

import datetime as dt
import hashlib

from django.db.models import Count, Exists, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from acceptance.models import SweepMark
from communities.models import Office, Region
from portal.sql import date_param, datetime_param, days_since
from projects.models import LISTED_STATUSES, CreationProject

MONTHLY, ALERTS, CLOSED, MET = "monthly_rows", "alerts", "closed_alerts", "met_reports"
# Writers stamp updated_at with their own clock; a transaction that began before the last run
# and committed after it has a stamp before that run: look back this far past the mark.
IN_FLIGHT = dt.timedelta(days=1)
# A sweep takes seconds: a mark recorded longer than this after its `now` was given a `now`.
RUN_BOUND = dt.timedelta(hours=1)


def digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def get(step: str) -> SweepMark | None:
    return SweepMark.objects.filter(step=step).first()


def record(step: str, day: dt.date, inputs: str, now: dt.datetime, mark: SweepMark | None = None) -> None:
    """Write the step's mark (inside the step's transaction). `mark`: the one read before."""
    fields = {"day": day, "inputs": inputs, "swept_at": now, "recorded_at": timezone.now()}
    # One upsert: two sweeps at once (beat and a manual run) both finding no mark must not
    # collide on the primary key (an UPDATE-then-INSERT did, on PostgreSQL).
    SweepMark.objects.bulk_create([SweepMark(step=step, **fields)], update_conflicts=True,
                                  unique_fields=["step"], update_fields=list(fields))


def listed_inputs() -> list[tuple]:
    """What of the listed projects decides their monthly rows, as per-(code, version) sums."""
    listed = F("listed_on")
    ymd = Coalesce(ExtractYear(listed) * 10000 + ExtractMonth(listed) * 100 + ExtractDay(listed), Value(0))
    rows = (CreationProject.objects.filter(status__in=LISTED_STATUSES).order_by()
            .values("policy_code", "policy_version_id")
            .annotate(n=Count("id"), ids=Sum("id"), days=Sum(ymd), mixed=Sum(F("id") * ymd)))
    return sorted((r["policy_code"], r["policy_version_id"] or 0, r["n"], int(r["ids"]), int(r["days"]),
                   int(r["mixed"])) for r in rows)


def monthly_since(mark: SweepMark | None, rows: list[tuple], listed: list[tuple]) -> dt.date | None:
    """The first month still to generate when the mark vouches for the earlier ones, else None.
    `rows`: today's month rows (acceptance.sweep._month_rows; index 2 is the month)."""
    if mark is None:
        return None
    start = mark.day.replace(day=1)
    covered = sorted(r for r in rows if r[2] < date_param(start))
    return start if digest(covered, listed) == mark.inputs else None


def monthly_inputs(rows: list[tuple], listed: list[tuple]) -> str:
    return digest(sorted(rows), listed)


def recipient_inputs() -> str:
    """Who receives a deadline's alerts: offices by region and kind, streets' districts, the
    districts' cities, projects' streets."""
    offices = list(Office.objects.order_by("id").values_list("id", "kind", "region_id"))
    regions = Region.objects.aggregate(n=Count("id"), mixed=Sum(F("id") * Coalesce("parent_id", 0)))
    projects = CreationProject.objects.aggregate(n=Count("id"), mixed=Sum(F("id") * Coalesce("street_id", 0)))
    return digest(offices, sorted(regions.items()), sorted(projects.items()))


def stage_sql(column: str) -> str:
    """SQL of a deadline's alert stage on the %s date that follows (its level, overdue week and
    city escalation together): two days with the same stage want the same alerts."""
    late = days_since(column)
    return (f"CASE WHEN {late} > 30 THEN 100000 + ({late} - 1) / 7 WHEN {late} > 0 THEN 1000 + ({late} - 1) / 7 "
            f"WHEN {late} = 0 THEN 4 WHEN {late} >= -7 THEN 3 WHEN {late} >= -30 THEN 2 WHEN {late} >= -90 THEN 1 "
            f"ELSE 0 END")


def alert_filter(mark: SweepMark | None, today: dt.date, now: dt.datetime, inputs: str) -> tuple[str, list] | None:
    """SQL (and params) restricting the alert candidates `d` to those that may want a new alert,
    or None when every candidate must be considered."""
    if mark is None or mark.inputs != inputs:
        return None
    since, own = window(mark, now)
    if own is None:
        changed_sql, changed_params = "d.updated_at >= %s", [datetime_param(since)]
    else:  # see changed()
        changed_sql = "(d.updated_at >= %s AND d.updated_at < %s) OR d.updated_at > %s"
        changed_params = [datetime_param(since), datetime_param(own), datetime_param(own)]
    today_stage, mark_stage = stage_sql("d.due_on"), stage_sql("d.due_on")
    params = [date_param(today)] * today_stage.count("%s") + [date_param(mark.day)] * mark_stage.count("%s")
    return f"AND ({changed_sql} OR {today_stage} <> {mark_stage})", [*changed_params, *params]


def changed_since(mark: SweepMark, now: dt.datetime) -> dt.datetime:
    """Deadline rows stamped at or after this may have changed after the marked run read them."""
    return min(mark.swept_at, mark.recorded_at, now) - IN_FLIGHT


def own_stamp(mark: SweepMark) -> dt.datetime | None:
    """The stamp that only the marked run wrote, or None when it cannot be told apart.

    The sweep stamps its rows with its `now`, read once when it starts. Every other writer
    reads its own clock later: when the clock ran during the run (recorded after `now`, within
    RUN_BOUND), a row stamped exactly `now` is the run's own. A frozen clock (recorded_at ==
    swept_at) or a `now` passed from elsewhere gives other writers the same stamp: then no
    stamp is skipped.

    Why the marked step need not look at its run's own rows again: the steps before it wrote
    them and it read them after. Only the met step (2) has later steps writing deadlines
    (cancel_left and mark_overdue: a state change, which decides nothing about a report
    meeting the deadline; a report filed since is found by its own stamps in
    reported_candidates). The alert and closing steps (5, 6) come after every deadline write."""
    if mark.swept_at < mark.recorded_at <= mark.swept_at + RUN_BOUND:
        return mark.swept_at
    return None


def window(mark: SweepMark, now: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
    """(since, own): rows stamped at or after `since` may have changed since the marked run
    read them, except those stamped `own`, the run's own (None: none skipped)."""
    since, own = changed_since(mark, now), own_stamp(mark)
    return since, own if own is not None and own >= since else None


def changed(mark: SweepMark, now: dt.datetime, column: str = "updated_at") -> Q:
    """The rows (of `column`'s model) stamped since the mark by someone else than the marked
    run: two index ranges around the run's own stamp (see own_stamp)."""
    since, own = window(mark, now)
    if own is None:
        return Q(**{f"{column}__gte": since})
    return Q(**{f"{column}__gte": since, f"{column}__lt": own}) | Q(**{f"{column}__gt": own})


def settled_candidates(alerts, today: dt.date, now: dt.datetime):
    """The alerts that may have to close: those of deadlines changed since the last complete
    closing step (whether an alert closes depends only on its deadline's state and date)."""
    mark = get(CLOSED)
    record(CLOSED, today, "", now, mark)
    if mark is None:
        return alerts
    return alerts.filter(changed(mark, now, "deadline__updated_at"))


def reported_candidates(deadlines, reports, today: dt.date, now: dt.datetime):
    """The open monthly deadlines that a report may meet, as querysets to update one after the
    other: all without a mark, else those changed since, and those whose month's report
    (`reports`, correlated to the deadline) was submitted or changed since (both columns
    indexed: only the recent reports are read)."""
    mark = get(MET)
    record(MET, today, "", now, mark)
    if mark is None:
        return [deadlines]
    since = changed_since(mark, now)
    recent = reports.filter(Q(submitted_at__gte=since) | Q(updated_at__gte=since))
    return [deadlines.filter(changed(mark, now)), deadlines.filter(Exists(recent))]
