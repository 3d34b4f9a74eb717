"""Inbox, unread count, e-mail deliveries, digests, failures and retries."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acceptance import sweep
from communities.models import Office, User
from portal import delivery, notifications
from portal.models import Delivery, Notification
from tests.acceptance.conftest import bulk_listed

pytestmark = pytest.mark.django_db
TASHAN, FUCHUN = "330602001", "330111001"
DUE = dt.date(2030, 6, 30)


def raise_alerts(count=1, street=TASHAN, offset=1):
    bulk_listed(street, count, listed_on=dt.date(2030, 6, 1), deadline=DUE)
    return sweep.sweep_deadlines(DUE + dt.timedelta(days=offset))


def test_inbox_lists_the_users_notifications_and_marks_them_read(users, client_for):
    raise_alerts()
    client = client_for("street_tashan")
    page = client.get("/inbox/")
    assert page.status_code == 200
    assert "建设完成时限" in page.content.decode()
    note = Notification.objects.filter(user=users["street_tashan"]).first()
    assert notifications.unread_count(users["street_tashan"]) >= 1
    response = client.post(f"/inbox/{note.pk}/read/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    client.post("/inbox/read-all/")
    assert notifications.unread_count(users["street_tashan"]) == 0


def test_another_users_notification_is_404(users, client_for):
    raise_alerts()
    note = Notification.objects.filter(user=users["district_yuecheng"]).first()
    assert client_for("street_tashan").post(f"/inbox/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_unread_count_is_one_query_and_shows_in_the_header(users, client_for, django_assert_num_queries):
    from django.apps import apps

    raise_alerts(2)
    user = User.objects.get(username="street_tashan")
    with django_assert_num_queries(1):
        count = apps.get_app_config("portal").unread_count(user)
    assert count == Notification.objects.filter(user=user, read_at=None).count() > 0
    page = client_for("street_tashan").get("/").content.decode()
    # the header badge counts every unread message and says so (#15 item 19: it said 未读预警)
    badge = f'data-testid="unread-badge">消息 <span class="badge bg-warning text-dark">{count}</span>'
    assert badge in page and 'title="未读消息"' in page


def test_nav_has_messages_entry(users):
    from django.apps import apps

    labels = [item["label"] for item in apps.get_app_config("portal").nav(users["street_tashan"])]
    assert "消息" in labels
    assert "月度通报" not in [i["label"] for i in apps.get_app_config("acceptance").nav(users["street_tashan"])]
    assert "月度通报" in [i["label"] for i in apps.get_app_config("acceptance").nav(users["city_shaoxing"])]


def test_api_alerts_are_the_callers_offices_within_scope(users, api_for):
    raise_alerts(1, TASHAN)
    raise_alerts(1, FUCHUN)
    street = api_for("street_tashan").get("/api/alerts/").json()
    assert street["count"] > 0
    assert {a["office"] for a in street["results"]} == {"塔山街道"}
    assert all(a["deadline"]["basis"] for a in street["results"])
    assert api_for("street_fuchun").get("/api/alerts/").json()["count"] > 0
    fuchun_ids = {a["id"] for a in api_for("street_fuchun").get("/api/alerts/").json()["results"]}
    assert not fuchun_ids & {a["id"] for a in street["results"]}
    city = api_for("city_shaoxing").get("/api/alerts/?all=true").json()
    assert {a["office"] for a in city["results"]} >= {"塔山街道", "越城区风貌办"}
    assert "富春街道" not in {a["office"] for a in city["results"]}
    other = street["results"][0]["id"]
    assert api_for("street_fuchun").get(f"/api/alerts/{other}/").status_code == 404
    assert api_for("street_fuchun").post(f"/api/alerts/{other}/").status_code == 404  # not 405
    assert api_for("street_tashan").post(f"/api/alerts/{other}/").status_code == 405
    # a detail in scope is readable even when the alert went to another office
    assert api_for("district_yuecheng").get(f"/api/alerts/{other}/").status_code == 200
    district = api_for("district_yuecheng").get("/api/alerts/").json()["results"]
    assert {a["office"] for a in district} == {"越城区风貌办"}


def test_api_deadlines_are_scoped_and_carry_their_basis(users, api_for):
    raise_alerts(1, TASHAN)
    rows = api_for("district_yuecheng").get("/api/deadlines/?kind=construction").json()["results"]
    assert [(r["due_on"], r["basis"], r["state"]) for r in rows] == [("2030-06-30", "测试依据", "overdue")]
    assert api_for("street_fuchun").get("/api/deadlines/").json()["count"] == 0
    assert api_for("street_fuchun").get(f"/api/deadlines/{rows[0]['id']}/").status_code == 404


def test_api_alert_list_query_count_does_not_grow_with_rows(users, api_for):
    raise_alerts(2)
    api = api_for("city_shaoxing")
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/alerts/?all=true").status_code == 200
    raise_alerts(30)
    with CaptureQueriesContext(connection) as many:
        body = api.get("/api/alerts/?all=true").json()
    assert body["count"] > 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_api_notifications_list_and_mark_read(users, api_for):
    raise_alerts()
    api = api_for("street_tashan")
    body = api.get("/api/notifications/?unread=true").json()
    assert body["count"] >= 1
    first = body["results"][0]
    marked = api.post(f"/api/notifications/{first['id']}/read/").json()
    assert marked["read_at"] is not None
    assert api.post("/api/notifications/read-all/").json()["marked"] == body["count"] - 1
    assert api.get("/api/notifications/?unread=true").json()["count"] == 0
    assert api_for("district_yuecheng").post(f"/api/notifications/{first['id']}/read/").status_code == 404


def test_immediate_email_is_sent_for_alerts(users):
    raise_alerts()
    result = delivery.deliver_due()
    assert result["sent"] == Delivery.objects.filter(state="sent").count() > 0
    assert any("street_tashan@example.gov.cn" in m.to for m in mail.outbox)
    assert any("建设完成时限" in m.subject for m in mail.outbox)
    assert delivery.deliver_due() == {"sent": 0, "failed": 0}


def test_digest_users_get_one_digest_a_day_instead(users):
    User.objects.filter(username="street_tashan").update(daily_digest=True)
    raise_alerts(2)
    tashan = Notification.objects.filter(user__username="street_tashan")
    assert tashan.exists() and set(tashan.values_list("mode", flat=True)) == {"digest"}
    assert not Delivery.objects.filter(user__username="street_tashan", kind="single").exists()
    today = DUE + dt.timedelta(days=2)
    first = delivery.send_daily_digests(today)
    digests = [m for m in mail.outbox if m.to == ["street_tashan@example.gov.cn"]]
    assert first["digests"] >= 1 and len(digests) == 1
    assert f"共{tashan.count()}条" in digests[0].subject
    again = delivery.send_daily_digests(today)
    assert again["digests"] == 0
    assert len([m for m in mail.outbox if m.to == ["street_tashan@example.gov.cn"]]) == 1
    assert Delivery.objects.filter(user__username="street_tashan", kind="digest").count() == 1


def test_notification_after_todays_digest_waits_for_tomorrow(users):
    User.objects.filter(username="street_tashan").update(daily_digest=True)
    raise_alerts(1)
    today = DUE + dt.timedelta(days=2)
    delivery.send_daily_digests(today)
    raise_alerts(1, offset=8)
    waiting = Notification.objects.filter(user__username="street_tashan", digest=None)
    assert waiting.exists()
    delivery.send_daily_digests(today)
    assert waiting.exists()
    delivery.send_daily_digests(today + dt.timedelta(days=1))
    assert not waiting.exists()
    assert Delivery.objects.filter(user__username="street_tashan", kind="digest", state="sent").count() == 2


def test_delivery_failure_is_recorded_and_retried_with_backoff(users, monkeypatch):
    raise_alerts()
    note = Notification.objects.filter(user__username="street_tashan").first()
    pending = Delivery.objects.filter(state="pending").count()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")

    now = timezone.now()
    monkeypatch.setattr(delivery.mail, "send_mail", refuse)
    assert delivery.deliver_due(now) == {"sent": 0, "failed": pending}
    failed = Delivery.objects.get(notification=note)
    assert failed.attempts == 1 and "拒绝连接" in failed.last_error and failed.state == "pending"
    assert failed.next_attempt_at == now + delivery.backoff(1)
    assert Notification.objects.filter(pk=note.pk, read_at=None).exists()  # the inbox is untouched
    assert delivery.deliver_due(now + dt.timedelta(minutes=1)) == {"sent": 0, "failed": 0}  # not yet
    delivery.deliver_due(now + dt.timedelta(minutes=6))
    assert Delivery.objects.get(notification=note).attempts == 2
    monkeypatch.undo()
    later = now + dt.timedelta(minutes=6) + delivery.backoff(2)
    assert delivery.deliver_due(later)["sent"] == pending
    sent = Delivery.objects.get(notification=note)
    assert (sent.state, sent.last_error, sent.attempts) == ("sent", "", 3)


def test_delivery_gives_up_after_max_attempts_but_keeps_the_error(users, monkeypatch):
    raise_alerts()
    monkeypatch.setattr(delivery.mail, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("无法解析主机")))
    now = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        delivery.deliver_due(now)
        now += delivery.LONGEST_RETRY
    row = Delivery.objects.filter(user__username="street_tashan").first()
    assert (row.state, row.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert "无法解析主机" in row.last_error


def test_backoff_doubles_up_to_six_hours():
    assert [delivery.backoff(n).total_seconds() / 60 for n in (1, 2, 3)] == [5, 10, 20]
    assert delivery.backoff(20) == delivery.LONGEST_RETRY


def test_notify_records_for_office_users_and_is_idempotent_with_a_key(users, django_capture_on_commit_callbacks):
    office = Office.objects.get(name="塔山街道")
    with django_capture_on_commit_callbacks() as queued:
        assert notifications.notify("test_event", key="test:1", offices=[office], title="测试", body="内容") == 1
        notifications.notify("test_event", key="test:1", offices=[office], title="测试", body="内容")
    assert queued  # e-mail is handed to the worker after commit
    assert Notification.objects.filter(key="test:1").count() == 1
    delivery.deliver_due()
    assert Delivery.objects.filter(notification__key="test:1", state="sent").count() == 1


def test_enqueue_failure_never_fails_the_caller(users, monkeypatch):
    from portal import tasks

    def broker_down(*args, **kwargs):
        raise OSError("broker unreachable")

    monkeypatch.setattr(tasks.deliver_notifications, "apply_async", broker_down)
    notifications.enqueue_delivery()  # logs, does not raise
