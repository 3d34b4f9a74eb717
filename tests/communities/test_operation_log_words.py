"""#15 item 10: the operation log says the action in words, the object and the result — not
`POST /projects/68/act/ 302` — and records downloads and exports (who, which kind, which
scope and filters, when)."""

import pytest

from communities.models import OperationLog
from tests import world as test_world

pytestmark = pytest.mark.django_db


def last_log():
    return OperationLog.objects.order_by("-id").first()


def test_a_workflow_move_is_logged_by_its_label_object_and_result(client_for, users):
    project = test_world.create("shaoxing")
    client_for("street_tashan").post(f"/projects/{project.pk}/act/", {"action": "submit"})
    log = last_log()
    assert (log.user, log.action, log.target) == (users["street_tashan"], "提交申报", project.display_name)
    assert log.result.startswith("成功") and "提交申报" in log.result
    assert log.office_name == users["street_tashan"].office.name


def test_a_return_is_logged_with_its_label(client_for):
    project = test_world.create("shaoxing")
    test_world.act(project, "street_tashan", "submit")
    client_for("district_yuecheng").post(f"/projects/{project.pk}/act/", {"action": "return", "comment": "请补充"})
    log = last_log()
    assert (log.action, log.target) == ("退回修改", project.display_name)
    assert log.result.startswith("成功")


def test_a_refused_move_is_logged_as_failed_with_the_reason(client_for):
    project = test_world.create("shaoxing")
    client_for("street_tashan").post(f"/projects/{project.pk}/act/", {"action": "approve"})
    log = last_log()
    assert log.action == "审核通过" and log.result.startswith("失败：")


def test_an_export_is_logged_with_kind_scope_and_filters(client_for):
    client_for("district_yuecheng").get("/communities/export.csv?q=塔山&sort=name")
    log = last_log()
    assert log.method == "GET" and log.action == "导出下载"
    assert log.target.endswith(".csv") and "社区档案" in log.target
    assert log.detail == "数据范围：越城区；筛选：q=塔山"


def test_plain_page_views_are_not_logged(client_for):
    before = OperationLog.objects.count()
    client_for("district_yuecheng").get("/communities/?q=塔山")
    assert OperationLog.objects.count() == before


def test_the_log_page_shows_the_words(client_for):
    project = test_world.create("shaoxing")
    client_for("street_tashan").post(f"/projects/{project.pk}/act/", {"action": "submit"})
    html = client_for("admin").get("/logs/operations/?action=提交申报").content.decode()
    assert "提交申报" in html and project.display_name in html
    assert "/act/" not in html.split('data-testid="log-table"', 1)[1]


def test_a_report_export_is_logged_with_its_title_scope_and_filters(client_for, users):
    client_for("finance_jiaxing").get("/exports/ledger/", {"format": "csv", "year": "2026"})
    log = last_log()
    assert (log.user, log.method, log.action) == (users["finance_jiaxing"], "GET", "导出报表")
    assert log.target == "创建项目台账"  # the title of export kind "ledger"
    assert log.detail.startswith("数据范围：嘉兴市；筛选：") and "year=2026" in log.detail


def test_a_refused_export_is_logged_as_failed(client_for):
    client_for("street_tashan").get("/logs/operations/export.csv")
    log = last_log()
    assert log.action == "导出下载" and log.result.startswith("失败")
