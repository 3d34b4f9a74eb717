"""A background export whose worker died is seen within minutes and resumed once (issue #20
item 12: after a worker crash an export showed "running 25%" for 30 minutes). Each job beats
while it writes; the catch-up task (every minute in the beat schedule) takes back a running
job silent for EXPORT_STALLED_MINUTES, requeues it once and fails it with a message the
second time. Times come from an explicit clock."""

import datetime as dt

import pytest
from django.conf import settings

from portal import exports
from portal.models import ExportJob

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class WorkerKilled(BaseException):
    """What a killed worker looks like from the job's side: the run stops, nothing is recorded."""


@pytest.fixture
def crashing_writer(monkeypatch, clock):
    """The ledger's writer reports 500 rows three minutes in, then its worker dies; `crashes`
    says how many runs still crash."""
    kind = exports.get_kind("ledger")
    real_write = kind.write
    state = {"crashes": 1}

    def write(user, params, file_format, target, progress=None):
        if state["crashes"]:
            state["crashes"] -= 1
            clock(T0.date(), 9, 3)
            progress(500)
            raise WorkerKilled
        return real_write(user, params, file_format, target, progress)

    monkeypatch.setattr(kind, "write", write)
    return state


def crash(job_id):
    with pytest.raises(WorkerKilled):
        exports.run_job(job_id)


def at(minutes):
    return T0 + dt.timedelta(minutes=minutes)


def test_a_stalled_job_is_resumed_once_after_its_heartbeat_stops(users, clock, crashing_writer, eager_celery,
                                                                  settings):
    settings.EXPORT_STALLED_MINUTES = 5
    clock(T0.date(), 9, 0)
    job = ExportJob.objects.create(requester=users["finance_fuyang"], kind="ledger", file_format="csv")
    crash(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done_rows, job.heartbeat_at, job.attempts) == ("running", 500, at(3), 1)

    assert "revived=0" in exports.catch_up(at(7))  # 4 minutes since the last beat: still running
    assert ExportJob.objects.get(pk=job.pk).state == ExportJob.State.RUNNING
    clock(T0.date(), 9, 8)
    summary = exports.catch_up(at(8) + dt.timedelta(seconds=1))  # 5 minutes and a second: taken back

    assert "revived=1" in summary and "requeued=1" in summary
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.attempts == 2 and job.file


def test_a_job_that_stalls_again_fails_with_a_message(users, clock, crashing_writer, settings, monkeypatch):
    settings.EXPORT_STALLED_MINUTES = 5
    crashing_writer["crashes"] = 2
    sent = []
    monkeypatch.setattr(exports, "enqueue", lambda job_id: sent.append(job_id) or True)  # the worker runs it below
    clock(T0.date(), 9, 0)
    job = ExportJob.objects.create(requester=users["finance_fuyang"], kind="ledger", file_format="csv")
    crash(job.pk)
    assert "revived=1" in exports.catch_up(at(9)) and sent == [job.pk]
    clock(T0.date(), 9, 0)
    crash(job.pk)  # the second run dies as well
    summary = exports.catch_up(at(9))

    assert "revived=0 failed=1" in summary
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and job.attempts == 2
    assert job.error == "生成中断（后台进程停止），已自动重试一次仍未完成，请重新导出"


def test_a_job_that_keeps_beating_is_left_alone(users, clock, settings):
    settings.EXPORT_STALLED_MINUTES = 5
    job = ExportJob.objects.create(requester=users["finance_fuyang"], kind="ledger", file_format="csv",
                                   state=ExportJob.State.RUNNING, started_at=at(-60), heartbeat_at=at(-1),
                                   attempts=1)
    assert "revived=0 failed=0" in exports.catch_up(at(0))
    assert ExportJob.objects.get(pk=job.pk).state == ExportJob.State.RUNNING


def test_the_catch_up_runs_every_minute_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["export-catch-up"]
    assert entry["task"] == "portal.tasks.run_queued_exports" and entry["schedule"] == 60.0
    assert settings.EXPORT_STALLED_MINUTES == 5
