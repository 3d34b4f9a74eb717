"""The daily sweep (DOMAIN §4.3): levels, recipients, weekly repeats, reruns, crashes, SQL count."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from acceptance import sweep
from acceptance.models import Alert, Deadline
from portal.models import Delivery, Heartbeat, Notification
from tests.acceptance.conftest import alert_set, bulk_listed, construction_alerts, delivery_set, notification_set

pytestmark = pytest.mark.django_db
TASHAN = "330602001"  # 塔山街道, 越城区, 绍兴市
DUE = dt.date(2030, 6, 30)
STREET, DISTRICT, CITY = "塔山街道", "越城区风貌办", "绍兴市风貌办"


def day(offset: int) -> dt.date:
    return DUE + dt.timedelta(days=offset)


@pytest.mark.parametrize("offset, level", [(-90, "d90"), (-31, "d90"), (-30, "d30"), (-8, "d30"), (-7, "d7"),
                                           (-1, "d7"), (0, "due"), (1, "overdue")])
def test_each_alert_level_is_raised_on_its_day(users, offset, level):
    bulk_listed(TASHAN, 1, deadline=DUE)
    sweep.sweep_deadlines(day(offset))
    assert set(construction_alerts(office__name=STREET).values_list("level", flat=True)) == {level}


def test_no_alert_more_than_90_days_before(users):
    bulk_listed(TASHAN, 1, deadline=DUE)
    sweep.sweep_deadlines(day(-91))
    assert not construction_alerts().exists()
    assert Deadline.objects.get(kind="construction").state == "open"


def test_before_due_only_the_street_office_is_alerted(users):
    bulk_listed(TASHAN, 1, deadline=DUE)
    for offset in (-90, -30, -7, 0):
        sweep.sweep_deadlines(day(offset))
    assert set(construction_alerts().values_list("office__name", flat=True)) == {STREET}
    assert sorted(construction_alerts().values_list("level", flat=True)) == ["d30", "d7", "d90", "due"]


def test_overdue_escalates_to_district_then_city_after_30_days(users):
    bulk_listed(TASHAN, 1, deadline=DUE)
    sweep.sweep_deadlines(day(1))
    assert set(construction_alerts(level="overdue").values_list("office__name", flat=True)) == {STREET, DISTRICT}
    sweep.sweep_deadlines(day(30))
    assert not construction_alerts(office__name=CITY).exists()
    sweep.sweep_deadlines(day(31))
    late = construction_alerts(level="overdue", period=4)
    assert set(late.values_list("office__name", flat=True)) == {STREET, DISTRICT, CITY}
    deadline = Deadline.objects.get(kind="construction")
    assert (deadline.state, deadline.missed) == ("overdue", True)


def test_overdue_alert_repeats_weekly_not_daily(users):
    bulk_listed(TASHAN, 1, deadline=DUE)
    for offset in range(1, 16):
        sweep.sweep_deadlines(day(offset))
    periods = sorted(construction_alerts(level="overdue", office__name=STREET).values_list("period", flat=True))
    assert periods == [0, 1, 2]  # days 1–7, 8–14, 15–21


def test_recipients_get_notifications_and_email_deliveries(users):
    bulk_listed(TASHAN, 1, deadline=DUE)
    sweep.sweep_deadlines(day(1))
    alert = construction_alerts(office__name=DISTRICT).get()
    note = Notification.objects.get(key=f"alert:{alert.pk}")
    assert note.user.username == "district_yuecheng"
    assert note.title.startswith("【已逾期】") and "建设完成时限" in note.title
    assert "2030-06-30" in note.body and "测试依据" in note.body
    assert Delivery.objects.filter(notification=note, kind="single", state="pending").exists()


def test_running_twice_gives_the_same_alerts(users):
    bulk_listed(TASHAN, 3, deadline=DUE)
    first = sweep.sweep_deadlines(day(31))
    snapshot = (alert_set(), notification_set(), delivery_set())
    second = sweep.sweep_deadlines(day(31))
    assert first.alerts_raised > 0 and second.alerts_raised == 0 and second.notifications == 0
    assert (alert_set(), notification_set(), delivery_set()) == snapshot


def test_the_result_counts_what_the_run_created(users):
    """The counts come from the INSERTs' rowcounts (on SQLite too, where a statement that
    begins with WITH reports none)."""
    bulk_listed(TASHAN, 3, deadline=DUE)
    result = sweep.sweep_deadlines(day(31))
    assert result.deadlines_created == Deadline.objects.count() > 3  # construction + monthly reports
    assert result.alerts_raised == Alert.objects.count() > 0
    assert construction_alerts().count() == 9  # 3 projects × street, district and city offices
    assert result.notifications == Notification.objects.count() > 0


def test_a_missing_monthly_deadline_in_the_middle_is_created_again_and_only_it(users):
    projects = bulk_listed(TASHAN, 2, deadline=DUE)
    sweep.sweep_deadlines(day(31))
    monthly = Deadline.objects.filter(kind="monthly_report")
    before = sorted(monthly.values_list("project_id", "key", "due_on", "month"))
    months = sorted({row[3] for row in before})
    assert len(months) >= 12
    gap = monthly.get(project=projects[0], month=months[5])
    gap.delete()
    later = sweep.sweep_deadlines(day(31))
    assert later.deadlines_created == 1
    assert sorted(monthly.values_list("project_id", "key", "due_on", "month")) == before


def _clean_run_snapshot(today):
    Notification.objects.all().delete()
    Delivery.objects.all().delete()
    Alert.objects.all().delete()
    Deadline.objects.all().delete()
    sweep.sweep_deadlines(today)
    return alert_set(), notification_set(), delivery_set(), sorted(
        Deadline.objects.values_list("project_id", "key", "state", "missed"))


class Crash(Exception):
    pass


@pytest.mark.parametrize("step", ["ensure_monthly_rows", "mark_overdue", "raise_alerts", "close_settled_alerts"])
def test_crash_half_way_then_rerun_gives_the_exact_set(users, monkeypatch, step):
    bulk_listed(TASHAN, 4, deadline=DUE)
    today = day(35)

    def boom(*args, **kwargs):
        raise Crash(step)

    with monkeypatch.context() as patch:
        patch.setattr(sweep, step, boom)
        with pytest.raises(Crash):
            sweep.sweep_deadlines(today)
    sweep.sweep_deadlines(today)
    after_crash = alert_set(), notification_set(), delivery_set(), sorted(
        Deadline.objects.values_list("project_id", "key", "state", "missed"))
    assert after_crash == _clean_run_snapshot(today)
    assert after_crash[0] and after_crash[1]


def test_crash_between_notifications_and_deliveries_then_rerun(users, monkeypatch):
    """Inside the alert step: alerts and notifications inserted, then the process dies: the
    step rolls back as one (no alert is left without its notifications), the rerun does it."""
    from acceptance import notifications

    bulk_listed(TASHAN, 2, deadline=DUE)
    real_execute = notifications.execute
    calls = []

    def dying_execute(sql, params=()):
        calls.append(sql)
        if len(calls) == 2:
            raise Crash("after notifications")
        return real_execute(sql, params)

    with monkeypatch.context() as patch:
        patch.setattr(notifications, "execute", dying_execute)
        with pytest.raises(Crash):
            sweep.sweep_deadlines(day(31))
    assert not Alert.objects.exists() and not Notification.objects.filter(event="alert").exists()
    sweep.sweep_deadlines(day(31))
    snapshot = alert_set(), notification_set(), delivery_set()
    assert Notification.objects.count() == len(set(Notification.objects.values_list("user", "key")))
    assert snapshot == _clean_run_snapshot(day(31))[:3]


def test_alerts_not_yet_notified_are_notified_by_the_next_run(users):
    """Alerts left with notified_at NULL (raised otherwise, or by a version that notified in a
    later step and crashed before it) get their notifications and deliveries exactly once."""
    bulk_listed(TASHAN, 2, deadline=DUE)
    sweep.sweep_deadlines(day(31))
    clean = alert_set(), notification_set(), delivery_set()
    notified = Notification.objects.filter(event="alert").count()
    assert notified and clean[2]
    Delivery.objects.all().delete()
    Notification.objects.filter(event="alert").delete()
    Alert.objects.update(notified_at=None)
    result = sweep.sweep_deadlines(day(31))
    assert (result.alerts_raised, result.notifications) == (0, notified)
    assert (alert_set(), notification_set(), delivery_set()) == clean
    assert not Alert.objects.filter(notified_at=None).exists()
    assert sweep.sweep_deadlines(day(31)).notifications == 0


def test_the_alert_step_drops_its_temporary_table(users):
    """raise_alerts keeps the deadlines due an alert in a temporary table for its two inserts;
    the connection is left without it (and a second run on the same connection makes it anew)."""
    bulk_listed(TASHAN, 2, deadline=DUE)
    assert sweep.sweep_deadlines(day(31)).alerts_raised
    assert sweep.sweep_deadlines(day(38)).alerts_raised  # overdue, the next week
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {sweep.DUE_TABLE}")


def test_sql_statement_count_is_the_same_for_10_and_1000_projects(users):
    today = day(-5)
    bulk_listed(TASHAN, 10, deadline=DUE)
    with CaptureQueriesContext(connection) as small:
        ten = sweep.sweep_deadlines(today)
    for model in (Notification, Delivery, Alert, Deadline):
        model.objects.all().delete()
    bulk_listed(TASHAN, 990, deadline=DUE)
    with CaptureQueriesContext(connection) as large:
        thousand = sweep.sweep_deadlines(today)
    assert construction_alerts(level="d7").count() == 1000
    assert thousand.alerts_raised > ten.alerts_raised * 50
    assert len(large.captured_queries) == len(small.captured_queries), [q["sql"][:80] for q in large]


def test_today_in_past_or_future_is_deterministic(users):
    bulk_listed(TASHAN, 2, deadline=DUE)
    sweep.sweep_deadlines(day(10))
    assert set(Deadline.objects.filter(kind="construction").values_list("state", "missed")) == {("overdue", True)}
    sweep.sweep_deadlines(day(-10))  # an earlier date: the deadline is open again, nothing new is overdue
    assert set(Deadline.objects.filter(kind="construction").values_list("state", "missed")) == {("open", False)}
    assert not construction_alerts(level="overdue", raised_on=day(-10)).exists()
    assert set(construction_alerts(raised_on=day(-10)).values_list("level", flat=True)) == {"d30"}


def test_monthly_report_rows_are_created_for_every_completed_month_since_listing(users):
    bulk_listed(TASHAN, 2, listed_on=dt.date(2030, 1, 20), deadline=DUE)
    sweep.sweep_deadlines(dt.date(2030, 4, 3))
    keys = sorted(set(Deadline.objects.filter(kind="monthly_report").values_list("key", flat=True)))
    assert keys == ["monthly:2030-01", "monthly:2030-02", "monthly:2030-03"]
    march = Deadline.objects.filter(key="monthly:2030-03").first()
    assert march.due_on == dt.date(2030, 4, 5) and march.state == "open"
    assert "绍兴2023 四" in march.basis
    assert Deadline.objects.filter(key="monthly:2030-01", state="overdue").count() == 2


def test_sweep_records_its_heartbeat(users):
    bulk_listed(TASHAN, 1, deadline=DUE)
    result = sweep.sweep_deadlines(day(-7))
    beat = Heartbeat.objects.get(name="sweep")
    assert beat.detail["alerts_raised"] == result.alerts_raised
    assert beat.detail["today"] == day(-7).isoformat()


def test_management_command_prints_raised_and_closed(users, capsys):
    bulk_listed(TASHAN, 1, deadline=DUE)
    call_command("sweep_deadlines", "--today", day(-7).isoformat(), "--no-email")
    out = capsys.readouterr().out
    assert "alerts raised: " in out and "alerts closed: 0" in out


def test_management_command_rejects_a_bad_date(users):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sweep_deadlines", "--today", "2030-13-01")
