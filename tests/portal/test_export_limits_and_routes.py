"""Background exports are limited per user and every kind of work has its own queue (issue
#20 item 14: 600 export jobs in 13 s flooded the one shared queue)."""

import pytest
from django.conf import settings
from django.urls import reverse

from portal import exports
from portal.errors import TooMany
from portal.models import ExportJob
from tests.deployment.test_compose import argv, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_jobs(monkeypatch, settings):
    """Every export becomes a background job (threshold 0) and the limit is 3."""
    settings.EXPORT_JOBS_PER_USER = 3
    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", -1)


def test_the_fourth_queued_job_of_a_user_is_refused_on_the_api_with_429(small_jobs, api_for, users):
    api = api_for("finance_fuyang")
    created = [api.post("/api/export-jobs/", {"kind": "ledger", "file_format": "csv"}, format="json")
               for _ in range(3)]
    assert [r.status_code for r in created] == [201, 201, 201]

    refused = api.post("/api/export-jobs/", {"kind": "ledger", "file_format": "csv"}, format="json")

    assert refused.status_code == 429
    assert refused.json()["detail"] == ("您已有 3 个导出任务在排队或生成中（每人最多同时 3 个），请等待完成后再导出")
    assert ExportJob.objects.filter(requester=users["finance_fuyang"]).count() == 3
    other = api_for("finance_jiaxing").post("/api/export-jobs/", {"kind": "ledger", "file_format": "csv"},
                                            format="json")
    assert other.status_code == 201  # the limit is per user


def test_finished_jobs_do_not_count(small_jobs, users):
    user = users["finance_fuyang"]
    for state in (ExportJob.State.DONE, ExportJob.State.FAILED, ExportJob.State.DONE, ExportJob.State.RUNNING):
        ExportJob.objects.create(requester=user, kind="ledger", state=state)
    exports.create_job(user, "ledger", "csv", {}, total_rows=1)
    exports.create_job(user, "ledger", "csv", {}, total_rows=1)  # running 1 + queued 2 = 3
    with pytest.raises(TooMany):
        exports.create_job(user, "ledger", "csv", {}, total_rows=1)


def test_the_pages_say_so_with_a_message(small_jobs, client_for, users):
    for _ in range(3):
        ExportJob.objects.create(requester=users["admin"], kind="login_log", state=ExportJob.State.QUEUED)
    client = client_for("admin")

    report = client.get(reverse("portal:export", args=["ledger"]), {"format": "csv"}, follow=True)
    listed = client.get("/logs/logins/export.csv", follow=True)

    for response in (report, listed):
        assert response.status_code == 200
        assert "每人最多同时 3 个" in response.content.decode()
    assert ExportJob.objects.filter(requester=users["admin"]).count() == 3


# Hand-written: which task goes to which queue (docs/OPERATIONS.md §7.3).
ROUTES = {
    "portal.tasks.run_export": "exports", "portal.tasks.run_queued_exports": "exports",
    "acceptance.tasks.sweep_deadlines": "alerts", "acceptance.tasks.recompute_policy_version_deadlines": "alerts",
    "portal.tasks.deliver_notifications": "alerts", "portal.tasks.send_daily_digests": "alerts",
    "subsidies.tasks.compute_subsidies": "subsidies",
}


def test_exports_alerts_and_subsidies_go_to_their_own_queues_which_the_compose_worker_consumes():
    from config.celery import app

    app.loader.import_default_modules()
    words = argv(services()["worker"]["command"])
    consumed = set(words[words.index("--queues") + 1].split(","))
    assert consumed == {"celery", "alerts", "exports", "subsidies"}
    for task, queue in ROUTES.items():
        assert task in app.tasks, task
        assert app.amqp.router.route({}, task)["queue"].name == queue, task
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed == {"alerts", "exports", "subsidies"} and routed <= consumed
    assert app.amqp.router.route({}, "portal.tasks.heartbeat")["queue"].name == "celery"


def test_a_routed_export_still_runs_in_process_without_a_broker(small_jobs, users, eager_celery,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.create_job(users["finance_fuyang"], "ledger", "csv", {}, total_rows=1)
    assert ExportJob.objects.get(pk=job.pk).state == ExportJob.State.DONE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_requests_of_one_user_make_exactly_three_jobs(users, settings, monkeypatch):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    settings.EXPORT_JOBS_PER_USER = 3
    # The jobs stay queued (as with a broker and busy workers): without a broker an in-process
    # job could finish before the last request counts, and the limit is about jobs in flight.
    monkeypatch.setattr(exports, "enqueue", lambda job_id: True)
    user, barrier, outcomes = users["finance_fuyang"], threading.Barrier(10), []

    def start():
        try:
            barrier.wait(timeout=30)
            exports.create_job(user, "ledger", "csv", {}, total_rows=1)
            outcomes.append(201)
        except TooMany:
            outcomes.append(429)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [201] * 3 + [429] * 7
    assert ExportJob.objects.filter(requester=user).count() == 3
