"""Inspections and their 整改单 (DOMAIN §9; 绍兴2023 四 “不定期组织开展检查，对存在问题下发整改单，
限时督促整改”): recorded by a district or city office from listing on, each item a deadline with
alerts, answered by the street, closed or sent back by the issuing office, and while open it
blocks the acceptance request."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from acceptance import sweep
from acceptance.models import Alert, Deadline, RectificationOrder
from portal.errors import Forbidden, InvalidInput, InvalidTransition
from portal.models import Notification
from projects import services
from supervision import inspections
from supervision.models import InspectionOrder, OrderEvent
from tests.world import act, attach_materials, request_acceptance, user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here
LISTED_ON = TODAY - dt.timedelta(days=60)
DUE = TODAY + dt.timedelta(days=20)
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def inspect(project, actor="district_yuecheng", items=None, photos=()):
    data = {"inspected_on": (TODAY - dt.timedelta(days=1)).isoformat(), "inspectors": "张三、李四",
            "findings": "邻里中心消防通道堵塞；健康场景设施未完工",
            "items": items if items is not None else [
                {"requirements": "清理消防通道", "due_on": DUE.isoformat()},
                {"requirements": "完成健康小屋建设", "due_on": (DUE + dt.timedelta(days=10)).isoformat()}]}
    return inspections.record_inspection(user(actor), project, data, photos)


@pytest.fixture
def listed(listed_project):
    return listed_project("shaoxing", listed_on=LISTED_ON)


def test_inspection_issues_rectification_orders_with_deadlines_and_tells_the_street(listed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    inspection = inspect(listed, photos=[SimpleUploadedFile("现场.png", PNG)])
    items = list(inspection.orders.select_related("order").order_by("order_id"))
    assert [i.order.requirements for i in items] == ["清理消防通道", "完成健康小屋建设"]
    assert {i.order.origin for i in items} == {"inspection"}
    assert inspection.photos.get().kind == "photo"
    row = Deadline.objects.get(project=listed, key=f"rectification:{items[0].order_id}")
    # 绍兴2023 四 “限时督促整改”: the issuing office sets the date; the deadline carries the clause
    assert (row.due_on, row.state, row.kind) == (DUE, "open", "rectification")
    assert "绍兴2023 四" in row.basis
    note = Notification.objects.get(user__username="street_tashan", event="inspection_orders_issued")
    assert "整改单2份" in note.title


def test_open_inspection_order_gets_alerts_like_any_deadline(listed):
    item = inspect(listed).orders.order_by("order_id").first()
    # DOMAIN §4.3: alerts at 7 days before, to the project's street office
    sweep.sweep_deadlines(today=DUE - dt.timedelta(days=7))
    alert = Alert.objects.get(deadline__key=f"rectification:{item.order_id}", level="d7")
    assert alert.office.name.startswith("塔山街道")


def test_open_order_blocks_the_acceptance_request_until_closed(listed):
    item = inspect(listed, items=[{"requirements": "清理消防通道", "due_on": DUE.isoformat()}]).orders.get()
    attach_materials(listed, "request_acceptance")
    _, blocked = services.available_actions(listed, user("street_tashan"))
    reasons = next(b["reasons"] for b in blocked if b["action"] == "request_acceptance")
    assert any(f"#{item.order_id}" in r and "绍兴2023 四" in r for r in reasons)
    with pytest.raises(InvalidTransition, match="未销号"):
        request_acceptance(listed, "shaoxing")

    inspections.reply(user("street_tashan"), item, {"comment": "已清理，附照片"},
                      [SimpleUploadedFile("整改后.png", PNG)])
    item.refresh_from_db()
    assert item.state == "replied"
    inspections.review(user("district_yuecheng"), item, {"decision": "close", "comment": "整改到位"})
    item.refresh_from_db()
    assert item.state == "closed" and item.order.closed_at is not None
    row = Deadline.objects.get(project=listed, key=f"rectification:{item.order_id}")
    assert (row.state, row.met_on) == ("met", TODAY)
    project = request_acceptance(listed, "shaoxing")
    assert project.status == "acceptance_requested"


def test_send_back_reopens_the_item_with_a_new_due_date_and_keeps_the_history(listed):
    item = inspect(listed, items=[{"requirements": "清理消防通道", "due_on": DUE.isoformat()}]).orders.get()
    inspections.reply(user("street_tashan"), item, {"comment": "已清理"})
    later = DUE + dt.timedelta(days=15)
    inspections.review(user("district_yuecheng"), item,
                       {"decision": "send_back", "comment": "仍有杂物", "due_on": later.isoformat()})
    item.refresh_from_db()
    assert item.state == "open" and item.order.due_on == later
    assert Deadline.objects.get(key=f"rectification:{item.order_id}").due_on == later
    assert list(item.events.values_list("action", flat=True)) == ["issue", "reply", "send_back"]
    with pytest.raises(TypeError):
        OrderEvent.objects.filter(item=item).update(comment="改写")
    note = Notification.objects.filter(user__username="street_tashan", event="inspection_order_send_back").get()
    assert str(later) in note.title


def test_only_the_issuing_office_reviews_and_only_the_street_replies(listed):
    item = inspect(listed, actor="city_shaoxing",
                   items=[{"requirements": "补齐台账", "due_on": DUE.isoformat()}]).orders.get()
    with pytest.raises(Forbidden):
        inspections.reply(user("district_yuecheng"), item, {"comment": "代为回复"})
    inspections.reply(user("street_tashan"), item, {"comment": "已补齐"})
    with pytest.raises(Forbidden, match="下达整改单的单位"):
        inspections.review(user("district_yuecheng"), item, {"decision": "close"})
    inspections.review(user("city_shaoxing"), item, {"decision": "close"})
    assert InspectionOrder.objects.get(pk=item.pk).state == "closed"


def test_acceptance_rectification_is_still_closed_by_the_new_request(listed):
    """An acceptance 整改单 (验收未通过) keeps its rule: re-requesting acceptance closes it."""
    from tests.world import issue_rectification

    project = request_acceptance(listed, "shaoxing")
    project = issue_rectification(project, "shaoxing", DUE)
    project = request_acceptance(project, "shaoxing")
    assert RectificationOrder.objects.get(project=project).closed_at is not None


def test_street_and_finance_cannot_inspect_and_drafts_are_not_inspected(listed, create_project):
    with pytest.raises(Forbidden):
        inspect(listed, actor="street_tashan")
    draft = services.CreationProject.objects.get(pk=create_project("shaoxing")["id"])
    with pytest.raises(Forbidden, match="列入创建名单后"):
        inspect(draft)


@pytest.mark.parametrize("field, value, message", [
    ("inspected_on", "2026-13-01", "检查日期"),
    ("inspected_on", "２０２６-０１-０１", "半角"),
    ("inspectors", "张三\x00", "检查人员含有不可见的控制字符"),
    ("findings", "", "请填写检查发现"),
    ("findings", "问" * 4001, "检查发现过长"),
])
def test_bad_input_names_the_field_and_changes_nothing(listed, field, value, message):
    data = {"inspected_on": TODAY.isoformat(), "inspectors": "张三", "findings": "问题",
            "items": [{"requirements": "整改", "due_on": DUE.isoformat()}], field: value}
    with pytest.raises(InvalidInput, match=message) as caught:
        inspections.record_inspection(user("district_yuecheng"), listed, data)
    assert field in caught.value.fields
    assert not RectificationOrder.objects.filter(project=listed).exists()


def test_due_date_must_be_after_today_and_inspection_not_before_listing(listed):
    data = {"inspected_on": (LISTED_ON - dt.timedelta(days=1)).isoformat(), "inspectors": "张三",
            "findings": "问题"}
    with pytest.raises(InvalidInput, match="不能早于列入创建名单日期"):
        inspections.record_inspection(user("district_yuecheng"), listed, data)
    data["inspected_on"] = TODAY.isoformat()
    data["items"] = [{"requirements": "整改", "due_on": TODAY.isoformat()}]
    with pytest.raises(InvalidInput, match="第1项整改期限应晚于今天"):
        inspections.record_inspection(user("district_yuecheng"), listed, data)


def test_terminated_project_cancels_the_open_order_deadline(listed):
    item = inspect(listed, items=[{"requirements": "整改", "due_on": DUE.isoformat()}]).orders.get()
    act(listed, "district_yuecheng", "terminate", comment="终止")
    assert Deadline.objects.get(key=f"rectification:{item.order_id}").state == "cancelled"
