"""绍兴 旧改 approvals checklist (DOMAIN §9; 绍兴2023 三(四) 优化项目审批): recorded items next to the
computed 施工许可 and 合并编报 rulings, on the project page, the API and the ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.errors import Forbidden, InvalidInput
from projects.models import CreationProject
from supervision import approvals
from supervision.models import ApprovalRecord
from tests.world import user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


@pytest.fixture
def renovation(listed_project):
    project = listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=30))
    CreationProject.objects.filter(pk=project.pk).update(
        total_investment=Decimal("15000000.00"), building_area=Decimal("800"), government_funded=True,
        changes_land_use=False)
    return CreationProject.objects.select_related("street__parent", "policy_version", "community").get(pk=project.pk)


def states(project):
    return {row.item: row.state for row in approvals.checklist(project)}


def test_an_empty_record_shows_what_is_pending_and_what_the_document_rules(renovation):
    rows = {row.item: row for row in approvals.checklist(renovation)}
    assert list(rows) == ["联合审查会商", "项目立项", "建设工程规划许可", "施工许可"]
    assert rows["联合审查会商"].state == "待办理"
    # 三(四)4 “对工程投资额200万元以下（不含200万元）或者建筑面积1000平方米以下（不含1000平方米）的…
    # 可以不申请办理施工许可证”: 800 ㎡ is below 1000 ㎡
    assert rows["施工许可"].state == "可不办理"
    # 三(四)2 “对总投资在 2000 万元以下…的政府投资改造项目，可以合并编报和审批项目建议书、可行性研究报告”
    assert "合并编报" in rows["项目立项"].detail and rows["项目立项"].state == "待办理"


def test_recorded_joint_review_and_approval_complete_the_items(renovation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    approvals.record(user("street_tashan"), renovation, {
        "joint_review_on": (TODAY - dt.timedelta(days=5)).isoformat(),
        "joint_review_departments": "发改、民政、消防救援",
        "joint_review_utilities": "电力、水务、燃气", "residents_present": "6", "approval_mode": "merged",
        "approval_document_no": "越发改〔2026〕12号", "project_code": "2026-330602-47-01-000001",
        "planning_permit_exempt": "yes"}, SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes"))
    rows = {row.item: row for row in approvals.checklist(renovation)}
    assert rows["联合审查会商"].state == "已办理" and "居民代表 6 人" in rows["联合审查会商"].detail
    assert rows["项目立项"].state == "已办理"
    assert rows["建设工程规划许可"].state == "无需办理"
    assert renovation.approvals.minutes.kind == "meeting_minutes"


def test_merged_approval_without_its_conditions_is_flagged(renovation):
    CreationProject.objects.filter(pk=renovation.pk).update(total_investment=Decimal("25000000.00"))
    project = CreationProject.objects.select_related("street__parent", "policy_version").get(pk=renovation.pk)
    approvals.record(user("district_yuecheng"), project, {"approval_mode": "merged"})
    row = next(r for r in approvals.checklist(project) if r.item == "项目立项")
    assert row.state == "提示" and "未满足合并编报条件" in row.detail


def test_joint_review_without_minutes_is_incomplete(renovation):
    approvals.record(user("street_tashan"), renovation, {"joint_review_on": TODAY.isoformat(),
                                                         "joint_review_departments": "发改", "residents_present": "3"})
    row = next(r for r in approvals.checklist(renovation) if r.item == "联合审查会商")
    assert row.state == "待补充" and "会议纪要" in row.detail


def test_new_build_asks_for_the_plan_filing(listed_project):
    # 二(一) “其中新建类社区和重点片区内社区均需开展省级未来社区建设”: a 新建类 project is provincial
    project = listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=30), category="new_build",
                             tier="provincial")
    # 三(四) “新建类未来社区项目…方案由街道报各地现代社区领导小组办公室备案”
    assert states(project) == {"新建类方案备案": "待办理"}
    approvals.record(user("street_tashan"), project, {"new_build_filed_on": TODAY.isoformat(),
                                                      "new_build_filing_no": "越现代社区办〔2026〕3号"})
    assert states(project) == {"新建类方案备案": "已办理"}


def test_other_policies_and_other_offices_get_no_checklist(renovation, listed_project):
    jiaxing = listed_project("jiaxing", listed_on=TODAY - dt.timedelta(days=30))
    assert approvals.checklist(jiaxing) == []
    with pytest.raises(Forbidden):
        approvals.record(user("street_jianshe"), jiaxing, {})
    with pytest.raises(Forbidden):
        approvals.record(user("city_shaoxing"), renovation, {})


@pytest.mark.parametrize("field, value, message", [
    ("residents_present", "６", "半角数字"), ("residents_present", "²", "半角数字"),
    ("joint_review_on", "2999-01-01", "不能晚于今天"), ("approval_mode", "x", "立项方式不正确"),
    ("joint_review_departments", "发改\x07", "控制字符"),
])
def test_bad_input_names_the_field(renovation, field, value, message):
    with pytest.raises(InvalidInput, match=message) as caught:
        approvals.record(user("street_tashan"), renovation, {field: value})
    assert field in caught.value.fields
    assert not ApprovalRecord.objects.filter(project=renovation).exists()


def test_page_api_and_ledger_show_the_checklist(renovation, client_for, api_for):
    page = client_for("street_tashan").get(f"/projects/{renovation.pk}/").content.decode()
    assert "审批清单（绍兴2023 三(四) 优化项目审批）" in page and "填写审批记录" in page
    api = api_for("district_yuecheng")
    body = api.get(f"/api/approval-checklists/{renovation.pk}/").json()
    assert body["applies"] is True and body["rows"][3]["state"] == "可不办理"
    saved = api.post(f"/api/approval-checklists/{renovation.pk}/record/", {"planning_permit_exempt": False},
                     format="json")
    assert saved.status_code == 200 and saved.json()["rows"][2]["state"] == "须办理"
    assert api_for("district_nanhu").get(f"/api/approval-checklists/{renovation.pk}/").status_code == 404
    ledger = client_for("city_shaoxing").get("/supervision/approvals/").content.decode()
    assert renovation.display_name in ledger and "须办理" in ledger
    assert client_for("city_jiaxing").get("/supervision/approvals/").status_code == 403
