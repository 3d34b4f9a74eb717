"""Issue #15 defect 6 / CONTRACTS /api/notifications/: every workflow move notifies the office that
must act next and the street (unless the street moved itself), the body carrying the comment;
payment moves (核定, 拨付) notify the paying finance office and the street. Expected recipients
are written by hand from the Jiaxing chain (嘉兴 实施意见: 县（市、区）风貌办审核 → 市风貌办审核 →
公布名单; 同意提请验收 → 市风貌办验收 → 领导小组审定命名)."""

import datetime as dt

import pytest

from portal.models import Notification
from projects.models import Transition
from tests import world

pytestmark = pytest.mark.django_db


def office_names(users):
    return {key: users[name].office.name for key, name in
            (("street", "street_jianshe"), ("district", "district_nanhu"), ("city", "city_jiaxing"),
             ("leading_group", "leader_jiaxing"))}


def draft(users, community):
    """A 嘉兴 draft with the material its submission requires uploaded by the street (嘉兴 二(二)5
    “编制创建方案。项目申报材料经所在各县(市、区)风貌办审核”: the 创建方案)."""
    project = world.create("jiaxing", community)
    world.attach_materials(project, "submit", users["street_jianshe"])
    return project


def notified(project, action):
    transition = Transition.objects.filter(project=project, action=action).latest("id")
    notes = Notification.objects.filter(key=f"transition:{transition.pk}")
    return {n.user.office.name for n in notes.select_related("user__office")}, list(notes)


def test_each_move_of_the_jiaxing_chain_reaches_the_next_office_and_the_street(users, community_in, api_for):
    names = office_names(users)
    street, district, city, leaders = (names[k] for k in ("street", "district", "city", "leading_group"))
    project = draft(users, community_in("jiaxing"))
    steps = [
        ("street_jianshe", "submit", {"comment": "请审核"}, {district}),
        ("district_nanhu", "return", {"comment": "请补充运营方案"}, {street}),
        ("street_jianshe", "submit", {"comment": "已补充"}, {district}),
        ("district_nanhu", "approve", {"comment": "同意上报"}, {city, street}),
        ("city_jiaxing", "approve", {"comment": "审核通过"}, {city, street}),
        ("city_jiaxing", "record_listing", {"comment": "列入名单", "listed_on": dt.date(2026, 3, 1),
                                            "document_no": "嘉风〔2026〕1号"}, {street}),
    ]
    for actor, action, data, expected in steps:
        project = world.act(project, actor, action, **data)
        offices, notes = notified(project, action)
        assert offices == expected, (action, offices)
        assert all(data["comment"] in n.body for n in notes), action
        assert all(n.project_id == project.pk and n.link == f"/projects/{project.pk}/" for n in notes)
    assert "嘉风〔2026〕1号" in notes[0].body

    project = world.request_acceptance(project, "jiaxing")
    assert notified(project, "request_acceptance")[0] == {district}
    # the history is recorded after the fact: the request is put before the acceptance of 2026-09-01
    project = world.backdate_request(project, dt.date(2026, 8, 15))
    project = world.act(project, "district_nanhu", "approve", comment="同意提请验收")
    assert notified(project, "approve")[0] == {city, street}
    project = world.act(project, "city_jiaxing", "record_acceptance", comment="验收通过",
                        accepted_on=dt.date(2026, 9, 1), document_no="嘉验〔2026〕2号")
    offices, notes = notified(project, "record_acceptance")
    assert offices == {leaders, street} and "验收通过" in notes[0].body
    project = world.act(project, "leader_jiaxing", "record_naming", comment="审定命名",
                        named_on=dt.date(2026, 10, 1), document_no="嘉命〔2026〕3号")
    offices, notes = notified(project, "record_naming")
    assert offices == {street} and "审定命名" in notes[0].body and "嘉命〔2026〕3号" in notes[0].body


def test_rectification_is_notified_once_with_its_order(users, listed_project):
    project = listed_project("jiaxing", listed_on=dt.date(2026, 3, 1))
    project = world.request_acceptance(project, "jiaxing")
    project = world.act(project, "district_nanhu", "approve")
    project = world.issue_rectification(project, "jiaxing", dt.date(2099, 1, 1))
    street_notes = Notification.objects.filter(user=users["street_jianshe"], project=project)
    assert street_notes.filter(event="rectification_issued").count() == 1
    assert not street_notes.filter(event="project_issue_rectification").exists()
    assert "请补充完善验收材料" in street_notes.get(event="rectification_issued").body


def test_a_withdrawal_tells_the_office_it_was_waiting_on(users, community_in):
    project = draft(users, community_in("jiaxing"))
    project = world.act(project, "street_jianshe", "submit")
    project = world.act(project, "street_jianshe", "withdraw", comment="暂缓申报")
    offices, notes = notified(project, "withdraw")
    assert offices == set()  # withdrawn: nobody must act next and the street moved itself
    project2 = draft(users, community_in("jiaxing"))
    project2 = world.act(project2, "street_jianshe", "submit")
    project2 = world.act(project2, "district_nanhu", "reject", comment="不符合申报条件")
    offices, notes = notified(project2, "reject")
    assert offices == {office_names(users)["street"]} and "不符合申报条件" in notes[0].body


def test_the_api_inbox_shows_the_move_with_its_comment(users, community_in, api_for):
    project = draft(users, community_in("jiaxing"))
    project = world.act(project, "street_jianshe", "submit")
    world.act(project, "district_nanhu", "return", comment="请补充运营方案")
    rows = api_for("street_jianshe").get("/api/notifications/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    row = next(r for r in rows if r["event"] == "project_return")
    assert {"id", "event", "title", "body", "project", "created_at", "read_at"} <= set(row)  # CONTRACTS
    assert row["project"] == project.pk and "请补充运营方案" in row["body"] and "退回修改" in row["title"]


def test_payment_approval_and_payment_reach_the_paying_office_and_the_street(users):
    from subsidies import services
    from subsidies.models import Payment

    project = world.fuyang_projects(1, accepted_on=dt.date(2022, 6, 20), spent="8000000")[0]
    services.compute_subsidies(dt.date(2023, 1, 15))
    payment = Payment.objects.get(project=project)
    finance = users["finance_fuyang"]
    services.approve_payments(finance, [payment.pk])
    approved = Notification.objects.filter(event="payment_approved", project=project).select_related("user__office")
    assert {n.user.office.name for n in approved} == {users["street_fuchun"].office.name, finance.office.name}
    assert "9,000,000.00" in approved[0].title
    services.mark_paid(finance, [payment.pk], "财拨〔2023〕7号")
    paid = Notification.objects.filter(event="payment_paid", project=project).select_related("user__office")
    assert {n.user.office.name for n in paid} == {users["street_fuchun"].office.name}
    assert "财拨〔2023〕7号" in paid[0].body
