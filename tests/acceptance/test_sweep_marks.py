"""The sweep's watermarks (acceptance.sweep_marks): an incremental run leaves exactly what a
full run would, a rerun does nothing, a crash is completed, yesterday's facts are picked up;
e-mail deliveries are claimed and marked in bulk."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acceptance import sweep, sweep_marks
from acceptance.models import Alert, Deadline, SweepMark
from communities.models import Region
from portal import delivery
from portal.models import Delivery, Notification
from tests.acceptance.conftest import alert_set, bulk_listed, delivery_set, notification_set

pytestmark = pytest.mark.django_db
TASHAN = "330602001"
DUE = dt.date(2030, 6, 30)


def day(offset: int) -> dt.date:
    return DUE + dt.timedelta(days=offset)


def everything():
    return (alert_set(), notification_set(), delivery_set(),
            sorted(Deadline.objects.values_list("project_id", "key", "due_on", "state", "missed", "met_on",
                                                "basis")))


def assert_full_run_adds_nothing(today):
    """What the incremental run left is what a full run wants: with the marks gone, a full
    rerun of the same day changes nothing."""
    before = everything()
    SweepMark.objects.all().delete()
    result = sweep.sweep_deadlines(today)
    assert (result.deadlines_created, result.alerts_raised, result.notifications) == (0, 0, 0), today
    assert everything() == before


def test_incremental_runs_leave_what_full_runs_would_across_months_and_facts(users):
    bulk_listed(TASHAN, 2, deadline=DUE)
    days = [day(n) for n in (-100, -95, -90, -61, -60, -31, -30, -29, -8, -7, -3, 0, 1, 2, 8, 15, 29, 30, 31, 45)]
    for index, today in enumerate(days):
        if index == 5:  # a project listed yesterday, behind the receivers' back (the sweep finds it by SQL)
            bulk_listed(TASHAN, 1, listed_on=day(-200), deadline=day(-10))
        if index == 9:  # a deadline's due date moved
            Deadline.objects.filter(kind="construction").order_by("id").first().save()  # updated_at only
            Deadline.objects.filter(kind="construction").order_by("-id").update(due_on=day(3))
        sweep.sweep_deadlines(today)
        assert SweepMark.objects.count() == 4
        assert_full_run_adds_nothing(today)


def test_a_project_listed_yesterday_gets_all_its_months_and_alerts(users):
    bulk_listed(TASHAN, 1, deadline=DUE)
    sweep.sweep_deadlines(day(-40))
    late = bulk_listed(TASHAN, 1, listed_on=day(-300), deadline=day(-20))[0]
    result = sweep.sweep_deadlines(day(-39))
    assert result.deadlines_created > 5
    assert Deadline.objects.filter(project=late, kind="monthly_report").count() > 5
    assert Alert.objects.filter(deadline__project=late, level="d30").exists()
    assert_full_run_adds_nothing(day(-39))


def test_a_report_filed_yesterday_behind_the_receivers_back_meets_its_deadline(users):
    from projects.models import MonthlyReport
    from tests.world import user

    project = bulk_listed(TASHAN, 1, deadline=DUE)[0]
    sweep.sweep_deadlines(day(-40))
    overdue = Deadline.objects.filter(project=project, kind="monthly_report", state="overdue").first()
    assert overdue is not None
    MonthlyReport.objects.bulk_create([MonthlyReport(project=project, month=overdue.month, progress_percent=10,
                                                     investment_completed=0, submitted_by=user("street_fuchun"))])
    sweep.sweep_deadlines(day(-39))
    overdue.refresh_from_db()
    assert overdue.state == "met"
    assert_full_run_adds_nothing(day(-39))


def test_a_street_moved_to_another_district_is_a_full_run(users):
    bulk_listed(TASHAN, 1, deadline=DUE)
    sweep.sweep_deadlines(day(1))
    street = Region.objects.get(code=TASHAN)
    other = Region.objects.filter(level=street.parent.level).exclude(pk=street.parent_id).first()
    Region.objects.filter(pk=street.pk).update(parent=other)
    sweep.sweep_deadlines(day(1))
    assert_full_run_adds_nothing(day(1))


def test_a_same_day_rerun_checks_and_changes_nothing(users):
    bulk_listed(TASHAN, 3, deadline=DUE)
    sweep.sweep_deadlines(day(31))
    before = everything()
    result = sweep.sweep_deadlines(day(31))
    assert (result.deadlines_created, result.alerts_raised, result.notifications) == (0, 0, 0)
    assert everything() == before


def test_a_report_filed_between_the_daily_run_and_a_same_day_rerun_meets_its_deadline(users):
    """The rerun skips the rows the daily run wrote itself (its own stamp), not what others
    wrote since: a report filed after the daily run meets its deadline and closes its alerts."""
    from projects.models import MonthlyReport
    from tests.world import user

    project = bulk_listed(TASHAN, 1, deadline=DUE)[0]
    sweep.sweep_deadlines(day(-40))
    overdue = Deadline.objects.filter(project=project, kind="monthly_report", state="overdue").first()
    assert Alert.objects.filter(deadline=overdue, state="open").exists()
    assert sweep_marks.own_stamp(SweepMark.objects.get(step="met_reports")) == overdue.updated_at
    MonthlyReport.objects.bulk_create([MonthlyReport(  # behind the receivers' back: only the sweep meets it
        project=project, month=overdue.month, progress_percent=10, investment_completed=0,
        submitted_by=user("street_fuchun"))])
    result = sweep.sweep_deadlines(day(-40))
    overdue.refresh_from_db()
    assert (overdue.state, result.met) == ("met", 1)
    assert not Alert.objects.filter(deadline=overdue, state="open").exists()
    assert_full_run_adds_nothing(day(-40))


def test_with_a_frozen_clock_no_stamp_is_taken_for_the_sweeps_own(users, monkeypatch):
    """A frozen clock stamps another writer's rows like the sweep's: the rerun must look at them
    (here a construction deadline moved after the run, stamped with the run's `now`)."""
    from django.utils import timezone

    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    bulk_listed(TASHAN, 1, deadline=DUE)
    sweep.sweep_deadlines(day(1), now=frozen)
    assert sweep_marks.own_stamp(SweepMark.objects.get(step="alerts")) is None
    construction = Deadline.objects.get(kind="construction")
    assert Alert.objects.filter(deadline=construction, state="open").exists()
    construction.due_on = day(20)
    construction.save()  # updated_at: the frozen clock, the run's `now`
    result = sweep.sweep_deadlines(day(1), now=frozen)
    assert result.alerts_closed > 0 and result.alerts_raised > 0
    assert Alert.objects.filter(deadline=construction, state="open", due_on=day(20)).exists()
    assert_full_run_adds_nothing(day(1))


def test_only_a_mark_recorded_while_the_clock_ran_vouches_for_its_stamp():
    now = dt.datetime(2030, 1, 1, 3, tzinfo=dt.UTC)
    assert sweep_marks.own_stamp(SweepMark(swept_at=now, recorded_at=now + dt.timedelta(seconds=9))) == now
    assert sweep_marks.own_stamp(SweepMark(swept_at=now, recorded_at=now)) is None  # a frozen clock
    assert sweep_marks.own_stamp(SweepMark(swept_at=now, recorded_at=now + dt.timedelta(days=2))) is None
    assert sweep_marks.own_stamp(SweepMark(swept_at=now, recorded_at=now - dt.timedelta(seconds=1))) is None


class Crash(Exception):
    pass


@pytest.mark.parametrize("table", ["acceptance_deadline", "acceptance_alert"])
def test_a_crash_inside_an_incremental_step_is_completed_by_the_next_run(users, monkeypatch, table):
    bulk_listed(TASHAN, 3, deadline=DUE)
    sweep.sweep_deadlines(day(-35))
    real = sweep.execute

    def dying(sql, params=()):
        if sql.startswith(f'INSERT INTO "{table}"') or sql.startswith(f"INSERT INTO {table}"):
            raise Crash(table)
        return real(sql, params)

    with monkeypatch.context() as patch:
        patch.setattr(sweep, "execute", dying)
        with pytest.raises(Crash):
            sweep.sweep_deadlines(day(1))
    assert SweepMark.objects.get(step="alerts").day == day(-35)  # rolled back with the step
    result = sweep.sweep_deadlines(day(1))
    assert result.alerts_raised > 0
    assert Alert.objects.filter(level="overdue").exists()
    assert_full_run_adds_nothing(day(1))


def test_deliveries_are_claimed_and_marked_in_a_few_statements(users):
    bulk_listed(TASHAN, 20, deadline=DUE)
    sweep.sweep_deadlines(day(31))
    pending = Delivery.objects.filter(state="pending").count()
    assert pending >= 40
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        sent = delivery.deliver_due(limit=1000)
    assert sent == {"sent": pending, "failed": 0} and len(mail.outbox) == pending
    # claim, read, then one UPDATE per MARK_EVERY sent (was three statements per e-mail)
    marks = -(-pending // delivery.MARK_EVERY)
    assert len(queries.captured_queries) == 2 + marks, [q["sql"][:80] for q in queries.captured_queries]
    assert delivery.deliver_due() == {"sent": 0, "failed": 0}  # nothing twice
    assert Notification.objects.filter(mode="email").count() == pending


@pytest.mark.postgres
def test_the_changed_since_the_mark_readers_find_the_deadlines_by_index(users):
    """A same-day rerun reads the deadlines stamped since the mark by two ranges of the
    deadline_updated_at index, not every open alert with its deadline (issue #19)."""
    from django.utils import timezone

    bulk_listed(TASHAN, 3, deadline=DUE)
    sweep.sweep_deadlines(day(31))
    mark = sweep_marks.get(sweep_marks.CLOSED)
    candidates = Alert.objects.filter(sweep_marks.changed(mark, timezone.now(), "deadline__updated_at"))
    sql, params = candidates.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make size irrelevant
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "deadline_updated_at" in plan, plan
