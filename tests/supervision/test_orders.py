"""督办单 and 催办 (DOMAIN §9; 嘉兴 三(三) “对未来社区建设进展缓慢的县(市、区)开展督办”; 富阳 五(六)):
city → district and district → street, with a reply deadline; the reply, its acceptance and
the history are kept; 催办 of an overdue item creates one in a click."""

import datetime as dt

import pytest

from acceptance.models import Deadline
from communities.models import Office
from portal.errors import Conflict, Forbidden, InvalidInput
from portal.models import Notification
from supervision import orders
from supervision.models import SupervisionEvent, SupervisionOrder
from tests.world import user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here
DUE = TODAY + dt.timedelta(days=10)


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def office(kind, code):
    return Office.objects.get(kind=kind, region__code=code)


@pytest.fixture
def jiaxing_project(listed_project):
    return listed_project("jiaxing", listed_on=TODAY - dt.timedelta(days=75))


def issue_city_to_district(project, **changes):
    data = {"target_office": office("district_townscape", "330402").pk, "projects": [project.pk],
            "subject": "建设进展缓慢督办", "requirements": "请说明进度滞后原因并提出追赶措施",
            "reply_due_on": DUE.isoformat(), **changes}
    return orders.issue(user("city_jiaxing"), data)


def test_city_issues_to_district_which_replies_and_city_closes_with_history(jiaxing_project):
    order = issue_city_to_district(jiaxing_project)
    assert (order.state, order.reply_due_on, order.target_office.region.code) == ("issued", DUE, "330402")
    note = Notification.objects.get(user__username="district_nanhu", event="supervision_issued")
    assert str(DUE) in note.title
    orders.reply(user("district_nanhu"), order, {"comment": "已约谈街道，月底前完成主体"})
    assert Notification.objects.filter(user__username="city_jiaxing", event="supervision_replied").exists()
    orders.review(user("city_jiaxing"), order, {"decision": "accept", "comment": "同意"})
    order.refresh_from_db()
    assert order.state == "closed" and order.closed_at is not None
    assert list(order.events.values_list("action", flat=True)) == ["issue", "reply", "accept"]
    with pytest.raises(TypeError):
        SupervisionEvent.objects.filter(order=order).delete()


def test_send_back_asks_for_another_reply_by_a_new_date(jiaxing_project):
    order = issue_city_to_district(jiaxing_project)
    orders.reply(user("district_nanhu"), order, {"comment": "正在推进"})
    later = DUE + dt.timedelta(days=7)
    orders.review(user("city_jiaxing"), order, {"decision": "send_back", "comment": "请给出具体节点",
                                                "reply_due_on": later.isoformat()})
    order.refresh_from_db()
    assert (order.state, order.reply_due_on) == ("issued", later)
    with pytest.raises(InvalidInput, match="请填写审核意见"):
        orders.reply(user("district_nanhu"), order, {"comment": "节点：12月底"})
        orders.review(user("city_jiaxing"), order, {"decision": "send_back"})


def test_only_the_office_directly_below_can_be_supervised(jiaxing_project):
    street = office("street", "330402007")
    with pytest.raises(Forbidden, match="下一级"):
        issue_city_to_district(jiaxing_project, target_office=street.pk)
    with pytest.raises(Forbidden):
        orders.issue(user("street_jianshe"), {})
    # a district supervises its own street about its project
    order = orders.issue(user("district_nanhu"), {
        "target_office": street.pk, "projects": [jiaxing_project.pk], "subject": "月报缺报督办",
        "requirements": "补报月报", "reply_due_on": DUE.isoformat()})
    assert order.target_office == street


def test_projects_outside_the_target_or_the_scope_are_refused(jiaxing_project, listed_project):
    other = listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=40))
    with pytest.raises(InvalidInput, match="不属于被督办单位"):
        issue_city_to_district(jiaxing_project, projects=[jiaxing_project.pk, other.pk])
    with pytest.raises(InvalidInput, match="项目编号不正确"):
        issue_city_to_district(jiaxing_project, projects=["9" * 30])
    assert not SupervisionOrder.objects.exists()


def test_reply_twice_is_refused_and_only_the_target_replies(jiaxing_project):
    order = issue_city_to_district(jiaxing_project)
    with pytest.raises(Forbidden, match="被督办单位"):
        orders.reply(user("street_jianshe"), order, {"comment": "越级回复"})
    orders.reply(user("district_nanhu"), order, {"comment": "已办"})
    with pytest.raises(Forbidden, match="不能回复"):
        orders.reply(user("district_nanhu"), order, {"comment": "再次回复"})
    stale = SupervisionOrder.objects.get(pk=order.pk)
    orders.review(user("city_jiaxing"), order, {"decision": "accept"})
    stale.state = "replied"
    with pytest.raises(Conflict):
        orders.review(user("city_jiaxing"), stale, {"decision": "accept"})


def test_urge_an_overdue_monthly_report_creates_one_order_per_click(jiaxing_project):
    # 月报 of the listing month is due on day 5 of the next month (嘉兴 三(三) 月报月例会制度): 75 days
    # after listing at least one month's report is overdue.
    late = Deadline.objects.filter(project=jiaxing_project, state="overdue", kind="monthly_report").first()
    assert late is not None
    order, created = orders.urge(user("city_jiaxing"), late)
    assert created and order.target_office == office("district_townscape", "330402")
    assert order.reply_due_on == TODAY + dt.timedelta(days=orders.URGE_REPLY_DAYS)
    assert late.label in order.subject and late.basis in order.requirements
    assert list(order.projects.all()) == [jiaxing_project]
    again, created_again = orders.urge(user("city_jiaxing"), late)
    assert (again.pk, created_again) == (order.pk, False)
    by_district, _ = orders.urge(user("district_nanhu"), late)
    assert by_district.target_office == office("street", "330402007")


def test_urge_refuses_an_item_that_is_not_overdue(jiaxing_project):
    open_ = Deadline.objects.filter(project=jiaxing_project).exclude(state="overdue").first()
    open_ = open_ or Deadline.objects.create(project=jiaxing_project, kind="construction", key="probe",
                                             label="建设完成时限", due_on=DUE, basis="probe")
    with pytest.raises(InvalidInput, match="未逾期"):
        orders.urge(user("city_jiaxing"), open_)


def test_overdue_reply_is_one_reading(jiaxing_project):
    order = issue_city_to_district(jiaxing_project)
    assert orders.overdue(order, on=DUE) is False
    assert orders.overdue(order, on=DUE + dt.timedelta(days=1)) is True
