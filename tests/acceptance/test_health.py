"""Worker and sweep heartbeats in /healthz and on the home page (a stopped worker is visible)."""

import datetime as dt

import pytest
from django.utils import timezone

from acceptance.selectors import workbench_sections
from portal import heartbeats, tasks
from tests.acceptance.conftest import bulk_listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_broker(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # health reads the setting; nothing connects
    return settings


def test_healthz_reports_a_stale_worker_when_it_never_beat(client, with_broker):
    body = client.get("/healthz").json()
    assert body["worker"] == {"last_seen": None, "stale": True}
    assert body["sweep"]["stale"] is True


def test_heartbeat_task_makes_the_worker_fresh(client, with_broker):
    tasks.heartbeat()
    body = client.get("/healthz").json()
    assert body["worker"]["stale"] is False and body["worker"]["last_seen"]


def test_worker_goes_stale_after_five_minutes(with_broker):
    now = timezone.now()
    heartbeats.beat(heartbeats.WORKER, now - dt.timedelta(minutes=4))
    assert heartbeats.health(now)["worker"]["stale"] is False
    heartbeats.beat(heartbeats.WORKER, now - dt.timedelta(minutes=6))
    assert heartbeats.health(now)["worker"]["stale"] is True


SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_a_missed_01_00_sweep_is_stale_within_the_hour_after_its_schedule(users, with_broker, client, clock):
    """The beat schedule runs the sweep daily at 01:00 (config.settings CELERY_BEAT_SCHEDULE);
    /healthz calls it missed at 02:00 the next day, not 26 hours after the last run."""
    bulk_listed("330602001", 1)
    from acceptance.sweep import sweep_deadlines

    sweep_deadlines(dt.date(2030, 1, 1), dt.datetime(2026, 3, 9, 1, 0, 40, tzinfo=SHANGHAI))
    at = lambda day, hour, minute=0: dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)  # noqa: E731
    assert heartbeats.health(at(9, 9))["sweep"]["stale"] is False
    assert heartbeats.health(at(10, 1, 30))["sweep"]["stale"] is False  # today's run may still be going
    assert heartbeats.health(at(10, 2, 1))["sweep"]["stale"] is True  # 25 hours, no 10 March run
    clock(dt.date(2026, 3, 10), hour=2, minute=1)
    assert client.get("/healthz").json()["sweep"]["stale"] is True

    sweep_deadlines(dt.date(2030, 1, 1), at(10, 1, 2))
    assert heartbeats.health(at(10, 2, 1))["sweep"]["stale"] is False
    assert heartbeats.health(at(11, 1, 59))["sweep"]["stale"] is False
    assert heartbeats.health(at(11, 2, 0) + dt.timedelta(seconds=1))["sweep"]["stale"] is True


def test_last_due_reads_the_beat_crontab():
    from celery.schedules import crontab

    daily = crontab(hour=1, minute=0)
    assert heartbeats.last_due(daily, dt.datetime(2026, 3, 10, 0, 59, tzinfo=SHANGHAI)) == dt.datetime(
        2026, 3, 9, 1, 0, tzinfo=SHANGHAI)
    assert heartbeats.last_due(daily, dt.datetime(2026, 3, 10, 1, 0, tzinfo=SHANGHAI)) == dt.datetime(
        2026, 3, 10, 1, 0, tzinfo=SHANGHAI)
    monthly = crontab(day_of_month=1, hour=3, minute=0)
    assert heartbeats.last_due(monthly, dt.datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI)) == dt.datetime(
        2026, 3, 1, 3, 0, tzinfo=SHANGHAI)
    sundays = crontab(day_of_week=0, hour=4, minute=0)  # 2026-03-08 is a Sunday
    assert heartbeats.last_due(sundays, dt.datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI)) == dt.datetime(
        2026, 3, 8, 4, 0, tzinfo=SHANGHAI)


def test_without_a_broker_there_is_no_worker_to_be_stale(client, settings):
    settings.CELERY_BROKER_URL = None
    assert client.get("/healthz").json()["worker"] == {"last_seen": None, "stale": False, "mode": "eager"}


def test_admin_home_page_warns_when_the_worker_is_stale(users, client_for, with_broker):
    sections = workbench_sections(users["admin"])
    assert sections[0]["level"] == "danger" and "后台任务已停止" in sections[0]["title"]
    assert "后台任务已停止" in client_for("admin").get("/").content.decode()
    tasks.heartbeat()
    heartbeats.beat(heartbeats.SWEEP)
    assert not any(s.get("level") == "danger" for s in workbench_sections(users["admin"]))


def test_street_workbench_lists_deadlines_within_30_days_alerts_and_open_orders(users, listed_project):
    from tests.acceptance.conftest import issue_rectification, request_acceptance

    today = timezone.localdate()
    project = listed_project("shaoxing", listed_on=today - dt.timedelta(days=350))
    project = issue_rectification(request_acceptance(project, "shaoxing"), "shaoxing",
                                  today + dt.timedelta(days=10))
    sections = {s["title"]: s for s in workbench_sections(users["street_tashan"])}
    soon = sections["30天内到期的时限"]
    assert soon["count"] >= 1 and any("整改" in item["label"] for item in soon["items"])
    assert sections["未完成的整改单"]["count"] == 1
    assert workbench_sections(users["street_fuchun"])[2]["count"] == 0  # another street sees none
