"""Redis unavailable: every page and API still answers, the user's action commits, and the
work that should have been queued (e-mail delivery, a background export) runs once the
broker is back, through the periodic catch-ups (deliver_notifications, run_queued_exports)."""

import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Community, Region
from config.celery import app as celery_app
from portal.models import Delivery, ExportJob, Notification
from projects.models import CreationProject

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1
PAGES = ["/", "/projects/", "/communities/", "/inbox/", "/subsidies/", "/dashboards/",
         "/api/projects/", "/api/alerts/", "/api/payments/", "/api/notifications/"]


def use_broker(url, eager):
    """Point the Celery app at another broker, dropping its cached connection pools."""
    celery_app.conf.update(broker_url=url, task_always_eager=eager)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):
    saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    settings.CELERY_BROKER_URL = DEAD_BROKER
    use_broker(DEAD_BROKER, eager=False)
    yield
    use_broker(*saved)


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_answer_actions_commit_and_work_runs_later(broker_down, users, api_for,
                                                                        client_for, monkeypatch):
    # pages and API answer; /healthz says the broker is unreachable
    health = client_for("admin").get("/healthz")
    assert health.status_code == 200 and health.json()["broker"] == "unreachable"
    for path in PAGES:
        assert client_for("district_fuyang").get(path).status_code == 200, path

    # the user's actions commit, including one whose side effect is queued work (a notification e-mail)
    community = Community.objects.create(name="断网社区", street=Region.objects.get(code="330111001"))
    street, district = api_for("street_fuchun"), api_for("district_fuyang")
    pid = street.post("/api/projects/", {"community": community.pk, "tier": "municipal",
                                         "category": "renovation", "batch_year": 2026}, format="json").json()["id"]
    from tests.world import attach_materials

    attach_materials(CreationProject.objects.get(pk=pid), "request_acceptance")  # 富阳 四(二) 申报方案、实施方案
    today = timezone.localdate()
    steps = [(street, {"action": "submit"}), (district, {"action": "approve"}),
             (district, {"action": "record_listing", "listed_on": today.isoformat(), "document_no": "富〔2026〕1号"}),
             (street, {"action": "request_acceptance"}),
             (district, {"action": "issue_rectification", "comment": "绿化未完成",
                         "due_on": (today + dt.timedelta(days=30)).isoformat()})]
    for api, body in steps:
        response = api.post(f"/api/projects/{pid}/actions/", body, format="json")
        assert response.status_code == 200, (body, response.json())
    assert CreationProject.objects.get(pk=pid).status == "rectifying"
    # every move notifies the street (projects.notices); the 整改通知 is the one followed here
    notification = Notification.objects.get(project_id=pid, user=users["street_fuchun"], event="rectification_issued")
    pending = Delivery.objects.filter(notification=notification, state=Delivery.State.PENDING)
    assert pending.count() == 1

    # a background export is accepted and left queued
    monkeypatch.setattr("portal.exports.SYNC_MAX_ROWS", 0)
    response = client_for("district_fuyang").get("/exports/ledger/", {"format": "xlsx"})
    job = ExportJob.objects.get(requester=users["district_fuyang"])
    assert (response.status_code, response["Location"]) == (302, f"/exports/jobs/{job.pk}/")
    assert job.state == ExportJob.State.QUEUED

    # Redis is back: the periodic catch-ups run the work that was waiting (in-process here)
    use_broker("memory://", eager=True)
    from portal.tasks import deliver_notifications, run_queued_exports

    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    deliver_notifications()
    assert "requeued=1" in run_queued_exports()
    assert Delivery.objects.get(notification=notification).state == Delivery.State.SENT
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.file
