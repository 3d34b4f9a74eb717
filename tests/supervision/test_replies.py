"""An inspection's 整改单 and a 督办单 share one reply-and-review state machine
(supervision.replies): the same steps, the same compare-and-set, the same history rows, each
under its own state names, decision words and tables."""

import datetime as dt

import pytest

from communities.models import Office
from portal.errors import Conflict, InvalidInput
from supervision import inspections, orders, replies
from supervision.models import InspectionOrder, OrderEvent, SupervisionEvent, SupervisionOrder
from tests.world import user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


@pytest.fixture
def item(listed_project):
    project = listed_project("shaoxing", listed_on=dt.date(2026, 8, 14))
    inspection = inspections.record_inspection(user("district_yuecheng"), project, {
        "inspected_on": "2026-10-13", "inspectors": "张三", "findings": "消防通道堵塞",
        "items": [{"requirements": "清理消防通道", "due_on": "2026-11-03"}]})
    return inspection.orders.get()


@pytest.fixture
def order(listed_project):
    project = listed_project("jiaxing", listed_on=dt.date(2026, 8, 1))
    target = Office.objects.get(kind="district_townscape", region__code="330402")
    return orders.issue(user("city_jiaxing"), {
        "target_office": target.pk, "projects": [project.pk], "subject": "建设进展缓慢督办",
        "requirements": "请说明原因", "reply_due_on": "2026-10-24"})


def test_both_orders_have_the_same_steps_under_their_own_names():
    assert {step: InspectionOrder.step_states(step) for step in ("reply", "close", "send_back")} == {
        "reply": ("open", "replied"), "close": ("replied", "closed"), "send_back": ("replied", "open")}
    assert {step: SupervisionOrder.step_states(step) for step in ("reply", "accept", "send_back")} == {
        "reply": ("issued", "replied"), "accept": ("replied", "closed"), "send_back": ("replied", "issued")}


def test_the_shared_base_adds_no_column_and_keeps_the_tables():
    assert (InspectionOrder._meta.db_table, SupervisionOrder._meta.db_table) == (
        "supervision_inspectionorder", "supervision_supervisionorder")
    assert {f.column for f in InspectionOrder._meta.concrete_fields} == {
        "id", "version", "inspection_id", "order_id", "state"}
    assert {f.column for f in OrderEvent._meta.concrete_fields} == {
        "id", "comment", "actor_id", "office_id", "at", "item_id", "action", "due_on"}
    assert {f.column for f in SupervisionEvent._meta.concrete_fields} == {
        "id", "comment", "actor_id", "office_id", "at", "order_id", "action"}


def test_a_stale_copy_cannot_take_a_step_of_either_kind(item, order):
    for obj, model, noun in ((item, InspectionOrder, "整改单"), (order, SupervisionOrder, "督办单")):
        stale = model.objects.get(pk=obj.pk)
        replies.take(_replier(obj), obj, "reply", "已办理")
        with pytest.raises(Conflict, match=f"{noun}已被他人处理"):
            replies.take(_replier(stale), stale, "reply", "再次回复")
        assert list(obj.events.values_list("action", flat=True)) == ["issue", "reply"]


def _replier(obj):
    return user("street_tashan") if isinstance(obj, InspectionOrder) else user("district_nanhu")


def test_each_review_takes_only_its_own_decision_words(item, order):
    inspections.reply(user("street_tashan"), item, {"comment": "已清理"})
    orders.reply(user("district_nanhu"), order, {"comment": "已约谈"})
    with pytest.raises(InvalidInput, match="请选择审核结果：销号或退回"):
        inspections.review(user("district_yuecheng"), item, {"decision": "accept"})
    with pytest.raises(InvalidInput, match="请选择审核结果：办结或退回"):
        orders.review(user("city_jiaxing"), order, {"decision": "close"})
    inspections.review(user("district_yuecheng"), item, {"decision": "close", "comment": "同意销号"})
    orders.review(user("city_jiaxing"), order, {"decision": "accept"})
    item.refresh_from_db()
    order.refresh_from_db()
    assert (item.state, item.order.closed_at is not None, item.version) == ("closed", True, 2)
    assert (order.state, order.closed_at is not None, order.version) == ("closed", True, 2)
    assert list(item.events.values_list("action", "office")) == [
        ("issue", user("district_yuecheng").office_id), ("reply", user("street_tashan").office_id),
        ("close", user("district_yuecheng").office_id)]
    assert list(order.events.values_list("action", flat=True)) == ["issue", "reply", "accept"]


def test_the_states_refuse_steps_out_of_turn_with_the_same_reason(item, order):
    from supervision import permissions

    assert permissions.can_review_order(user("district_yuecheng"), item) == (
        False, "整改单当前状态为“待整改”，不能审核")
    assert permissions.can_review_supervision(user("city_jiaxing"), order) == (
        False, "督办单当前状态为“待回复”，不能审核")
