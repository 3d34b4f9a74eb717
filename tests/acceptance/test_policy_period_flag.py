"""Issue #16 item 9: 富阳's plan is titled 行动方案（2021-2023年）（征求意见稿）; a project listed after
2023 keeps the plan, flagged 超出文件执行期（沿用…） on every number it gets — its deadlines'
basis, the alerts and their notices, the ledger and disbursement exports — until an
administrator records the continuation document's number on the bound version."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from acceptance import sweep
from acceptance.models import Alert, Deadline
from portal.models import Notification
from projects.models import CreationProject
from tests import world

pytestmark = pytest.mark.django_db
# Written by hand from the document: 标题 “富阳区城镇未来社区创建工作行动方案（2021-2023年）（征求意见稿）”
FLAG = ("超出文件执行期（2021—2023年），沿用富阳区城镇未来社区创建工作行动方案（2021-2023年）（征求意见稿）"
        "的规定，待管理员录入延续执行文件（依据：富阳 行动方案（2021-2023年） 标题）")
CONTINUATION = "富政办发〔2024〕3号"


@pytest.fixture
def listed_2024(users):
    return world.listed(world.create("fuyang", batch_year=2024), "fuyang", dt.date(2024, 3, 1))


def record_continuation(project, django_capture_on_commit_callbacks):
    """What the administrator does in the admin: the continuation number on the bound version
    (its post_save recomputes the version's deadlines after commit)."""
    version = project.policy_version
    version.continuation_document_no = CONTINUATION
    with django_capture_on_commit_callbacks(execute=True):
        version.save()


def ledger_rows(client, column):
    response = client.get("/exports/ledger/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    ws = book["富阳区"]
    headers = [c.value for c in ws[3]]
    names, flags = headers.index("项目名称"), headers.index(column)
    return {row[names]: row[flags] for row in ws.iter_rows(min_row=4, values_only=True)
            if row[0] != "合计" and row[names]}


def test_deadlines_of_a_project_listed_after_the_plan_period_carry_the_flag_until_continued(
        listed_2024, eager_celery, django_capture_on_commit_callbacks):
    rows = Deadline.objects.filter(project=listed_2024).exclude(kind="rectification")
    assert rows.filter(kind="construction").exists()
    assert all(row.basis.endswith("；" + FLAG) for row in rows)
    assert CreationProject.objects.get(pk=listed_2024.pk).construction_deadline_basis.endswith("；" + FLAG)

    record_continuation(listed_2024, django_capture_on_commit_callbacks)
    assert rows.exists() and not any("超出文件执行期" in row.basis for row in rows.all())
    assert "超出文件执行期" not in CreationProject.objects.get(pk=listed_2024.pk).construction_deadline_basis


def test_the_sweep_writes_the_flag_into_monthly_rows_and_alert_notices(listed_2024, users):
    Deadline.objects.filter(project=listed_2024, kind="monthly_report").delete()
    sweep.sweep_deadlines(dt.date(2024, 6, 20))
    monthly = Deadline.objects.filter(project=listed_2024, kind="monthly_report")
    assert monthly.count() >= 3  # March, April, May 2024 are completed months
    assert all(row.basis.endswith("；" + FLAG) for row in monthly)
    alerts = Alert.objects.filter(deadline__project=listed_2024)
    assert alerts.exists()
    notes = Notification.objects.filter(key__in=[f"alert:{pk}" for pk in alerts.values_list("pk", flat=True)])
    assert notes.exists() and all(FLAG in note.body for note in notes)


def test_a_project_listed_within_the_plan_period_is_not_flagged(users):
    project = world.listed(world.create("fuyang", batch_year=2023), "fuyang", dt.date(2023, 6, 1))
    assert not any("超出文件执行期" in b for b in Deadline.objects.filter(project=project)
                   .values_list("basis", flat=True))


def test_the_ledger_export_flags_the_2024_project_until_continued(
        listed_2024, client_for, eager_celery, django_capture_on_commit_callbacks):
    within = world.listed(world.create("fuyang", batch_year=2023), "fuyang", dt.date(2023, 6, 1))
    client = client_for("finance_fuyang")
    flags = ledger_rows(client, "政策执行期说明")
    assert flags[listed_2024.display_name] == FLAG
    assert not flags[within.display_name]
    record_continuation(listed_2024, django_capture_on_commit_callbacks)
    assert not ledger_rows(client, "政策执行期说明")[listed_2024.display_name]
