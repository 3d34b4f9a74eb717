"""Issue #20 items 2 and 3: a control character in stored text never fails an export, free
text refuses control characters (names refuse newlines too), and a newline in a name never
breaks an e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from communities.models import LoginEvent
from portal import delivery, exports
from portal.models import Delivery, ExportJob, Notification
from tests.subsidies.test_exports import jiaxing_named, workbook_of

pytestmark = pytest.mark.django_db


def cells(book):
    return [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]


@pytest.mark.parametrize("username", ["city_jiaxing", "finance_jiaxing", "admin"])
def test_a_project_name_with_a_vertical_tab_is_exported_in_the_ledger(client_for, users, username):
    # stored before names were checked (or by a bulk load): the export must still work
    jiaxing_named("330402007", "provincial", 1, name="南湖\x0b试点\x01项目")
    response = client_for(username).get("/exports/ledger/")
    assert response.status_code == 200
    assert "南湖\\x0b试点\\x01项目" in cells(workbook_of(response))


def test_the_ledger_as_a_background_job_ends_done(client_for, users, monkeypatch, django_capture_on_commit_callbacks):
    jiaxing_named("330402007", "provincial", 3, name="南湖\x0b项目")
    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", 1)
    monkeypatch.setattr(exports, "enqueue", lambda job_id: True)
    client = client_for("finance_jiaxing")
    client.get("/exports/ledger/")
    job = ExportJob.objects.get()
    assert exports.run_job(job.pk) == "done"


def test_the_login_log_exports_a_failed_login_with_control_characters(client, client_for, users):
    client.post("/accounts/login/", {"username": "\x01ro\x0bot", "password": "x"})
    assert LoginEvent.objects.filter(username="\x01ro\x0bot").exists()
    response = client_for("admin").get("/logs/logins/export.xlsx")
    assert response.status_code == 200
    assert "\\x01ro\\x0bot" in cells(workbook_of(response))


@pytest.mark.parametrize(("field", "value"), [
    ("name", "南湖\x0b项目"), ("name", "南湖\n项目"), ("name", "南湖\u2028项目"), ("responsible_unit", "建设\x01街道")])
def test_names_refuse_control_characters_and_newlines(api_for, community_in, field, value):
    community = community_in("shaoxing")
    response = api_for("street_tashan").post("/api/projects/", {
        "community": community.pk, "tier": "municipal", "category": "renovation", "batch_year": 2026,
        field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"] and "不能包含" in response.json()["detail"]


def test_comments_refuse_control_characters_but_keep_newlines(api_for, create_project):
    project = create_project("shaoxing")
    api = api_for("street_tashan")
    refused = api.post(f"/api/projects/{project['id']}/actions/", {"action": "submit", "comment": "见\x0b附件"},
                       format="json")
    assert refused.status_code == 400 and "comment" in refused.json()["errors"]
    from projects.models import CreationProject

    assert CreationProject.objects.get(pk=project["id"]).status == "draft"
    from projects.forms import ActionForm

    assert ActionForm({"action": "submit", "comment": "第一行\n第二行"}).is_valid()
    assert not ActionForm({"action": "submit", "comment": "第一行\x1b第二行"}).is_valid()


def test_a_newline_in_a_title_does_not_break_the_alert_e_mail(users):
    user = users["district_yuecheng"]
    user.email = "yuecheng@example.gov.cn"
    user.save(update_fields=["email"])
    # the sweep inserts its alerts set-based (SQL), with the project's stored name in the title
    note = Notification.objects.create(user=user, event="alert", key="alert:test", mode=Notification.Mode.EMAIL,
                                       title="【逾期】塔山\n\rBcc: x@evil.example 项目", body="正文\n第二行")
    Delivery.objects.create(kind=Delivery.Kind.SINGLE, user=user, notification=note, to_address=user.email,
                            next_attempt_at=timezone.now() - dt.timedelta(minutes=1))
    assert delivery.deliver_due() == {"sent": 1, "failed": 0}
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.endswith("【逾期】塔山 Bcc: x@evil.example 项目")
    assert message.to == ["yuecheng@example.gov.cn"] and "第二行" in message.body
