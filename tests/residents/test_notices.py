"""公示: publish with a period (7 days by default for the 实施方案, 绍兴2023 三(一)), objections land
in the publishing office's inbox with a reply deadline, the notice closes with its outcome and,
for 三(一), the stakeholders' consent — which the 绍兴 acceptance check reads."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from portal.errors import InvalidInput, InvalidTransition
from portal.models import Notification
from projects import services as project_services
from residents import notices
from residents.models import Notice, Objection
from tests.residents.conftest import TODAY, ago
from tests.world import attach_materials

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock_land_project(listed_project):
    return listed_project("shaoxing", listed_on=ago(20), stock_land_used=True)


def publish(user, project, **fields):
    return notices.publish_notice(user, **{"kind": "implementation_plan", "title": "塔山实施方案公示",
                                           "body": "利用小区存量土地建设邻里中心", "project_ids": [project.pk],
                                           "starts_on": TODAY, **fields})


def test_implementation_plan_notice_runs_7_days_by_default(stock_land_project, users):
    # 绍兴2023 三(一)：“未来社区建设实施方案公示7天后，经利害关系人同意”
    notice = publish(users["street_tashan"], stock_land_project)
    assert (notice.period_days, notice.starts_on, notice.ends_on) == (7, TODAY, TODAY + dt.timedelta(days=6))
    assert notice.office == users["street_tashan"].office


def test_implementation_plan_notice_cannot_be_shorter_than_7_days(stock_land_project, users):
    with pytest.raises(InvalidInput, match="不少于7天"):
        publish(users["street_tashan"], stock_land_project, period_days="5")
    with pytest.raises(InvalidInput, match="公示天数须为半角整数"):
        publish(users["street_tashan"], stock_land_project, period_days="７")
    assert not Notice.objects.exists()


def test_notice_outside_the_publishers_scope_is_refused(stock_land_project, users):
    with pytest.raises(InvalidInput, match="数据范围内的项目"):
        publish(users["street_jianshe"], stock_land_project)


def test_objection_lands_in_the_publishing_office_inbox_with_a_reply_deadline(stock_land_project, users, settings):
    settings.RESIDENTS_OBJECTION_REPLY_DAYS = 10
    notice = publish(users["street_tashan"], stock_land_project)
    resident = Client(REMOTE_ADDR="10.2.0.1")
    page = resident.get(reverse("public:notice", args=[notice.pk])).content.decode()
    assert "距公示结束还有" in page and "7 天" in page
    filed = resident.post(reverse("public:objection", args=[notice.pk]),
                          {"text": "施工影响采光", "name": "", "phone": ""})
    assert filed.status_code == 302
    objection = Objection.objects.get()
    assert objection.reply_due_on == TODAY + dt.timedelta(days=10)
    [note] = Notification.objects.filter(event="notice_objection")
    assert note.user == users["street_tashan"] and (TODAY + dt.timedelta(days=10)).isoformat() in note.title
    assert note.link == reverse("residents:notice", args=[notice.pk])


def test_objection_needs_text_and_a_valid_phone(stock_land_project, users):
    notice = publish(users["street_tashan"], stock_land_project)
    resident = Client(REMOTE_ADDR="10.2.0.2")
    empty = resident.post(reverse("public:objection", args=[notice.pk]), {"text": "  "})
    assert empty.status_code == 400 and "请填写异议内容" in empty.content.decode()
    phone = resident.post(reverse("public:objection", args=[notice.pk]), {"text": "有意见", "phone": "１３８"})
    assert phone.status_code == 400 and "半角数字" in phone.content.decode()
    assert not Objection.objects.exists()


def test_no_objection_after_the_period(stock_land_project, users):
    notice = publish(users["street_tashan"], stock_land_project)
    with pytest.raises(InvalidTransition):
        notices.file_objection(notice, {"text": "晚了"}, address_key="", on=notice.ends_on + dt.timedelta(days=1))


def test_closing_needs_the_period_over_and_every_objection_answered(stock_land_project, users):
    street = users["street_tashan"]
    notice = publish(street, stock_land_project)
    objection = notices.file_objection(notice, {"text": "请说明停车位安排"}, address_key="")
    after = notice.ends_on + dt.timedelta(days=1)
    with pytest.raises(InvalidTransition, match="期满后才能结束"):
        notices.close_notice(street, notice, outcome="resolved", on=notice.ends_on)
    with pytest.raises(InvalidTransition, match="未答复的异议"):
        notices.close_notice(street, notice, outcome="resolved", on=after)
    notices.reply_objection(street, objection, "停车位不减少")
    closed = notices.close_notice(street, notice, outcome="resolved", consent=True, consent_note="业主书面同意42户",
                                  on=after)
    assert (closed.outcome, closed.consent_recorded, closed.closed_on) == ("resolved", True, after)


def test_shaoxing_acceptance_with_stock_land_waits_for_recorded_consent(stock_land_project, users):
    # 绍兴2023 三(一) + DOMAIN §4.2: the consent is a recorded fact, never assumed
    attach_materials(stock_land_project, "request_acceptance")  # only the consent is left to check
    [check] = project_services.acceptance_prerequisites(stock_land_project)
    assert (check.code, check.severity, check.basis) == ("stock_land_consent_missing", "block", "绍兴2023 三(一)")
    street = users["street_tashan"]
    notice = publish(street, stock_land_project)
    after = notice.ends_on + dt.timedelta(days=1)
    notices.close_notice(street, notice, outcome="no_objection", consent=False, on=after)  # no consent recorded
    assert [c.code for c in project_services.acceptance_prerequisites(stock_land_project)] == [
        "stock_land_consent_missing"]
    second = publish(street, stock_land_project)
    notices.close_notice(street, second, outcome="no_objection", consent=True, consent_note="利害关系人均已书面同意",
                         on=second.ends_on + dt.timedelta(days=1))
    assert project_services.acceptance_prerequisites(stock_land_project) == []


def test_only_the_publishing_office_replies_and_closes(stock_land_project, users):
    from portal.errors import Forbidden

    notice = publish(users["street_tashan"], stock_land_project)
    with pytest.raises(Forbidden):
        notices.close_notice(users["district_yuecheng"], notice, outcome="withdrawn")


def test_listing_notice_default_period_is_the_platforms(listed_project, users, settings):
    settings.RESIDENTS_NOTICE_DEFAULT_DAYS = 5
    project = listed_project("jiaxing", listed_on=ago(3))
    notice = notices.publish_notice(users["city_jiaxing"], kind="listing", title="市级创建名单公示", body="名单",
                                    project_ids=[project.pk], starts_on=TODAY)
    assert notice.period_days == 5
    assert notices.default_period("listing", [project])[1] == "公示天数为本平台默认值（文件未规定）"


def test_staff_notice_pages(stock_land_project, users, client_for):
    notice = publish(users["street_tashan"], stock_land_project)
    assert client_for("street_tashan").get(reverse("residents:notice", args=[notice.pk])).status_code == 200
    assert client_for("street_jianshe").get(reverse("residents:notice", args=[notice.pk])).status_code == 404
    assert client_for("finance_jiaxing").get(reverse("residents:notices")).status_code == 403


def test_open_objection_shows_on_the_publishers_workbench(stock_land_project, users, client_for):
    notice = publish(users["street_tashan"], stock_land_project)
    assert "待答复的公示异议" not in client_for("street_tashan").get("/").content.decode()
    notices.file_objection(notice, {"text": "异议"}, address_key="")
    home = client_for("street_tashan").get("/").content.decode()
    assert "待答复的公示异议" in home and f"答复期限 {TODAY + dt.timedelta(days=10)}" in home


def test_office_publishes_replies_and_closes_through_the_pages(stock_land_project, users, client_for):
    street = client_for("street_tashan")
    assert street.get(reverse("residents:notices")).status_code == 200
    created = street.post(reverse("residents:notices"), {
        "kind": "implementation_plan", "title": "页面发布的公示", "body": "内容", "starts_on": TODAY.isoformat(),
        "projects": [stock_land_project.pk]})
    notice = Notice.objects.get(title="页面发布的公示")
    assert created["Location"] == reverse("residents:notice", args=[notice.pk]) and notice.period_days == 7
    bad = street.post(reverse("residents:notices"), {
        "kind": "listing", "title": "x\x00", "body": "b", "starts_on": TODAY.isoformat(),
        "projects": [stock_land_project.pk]})
    assert bad.status_code == 200 and "标题含有不可见的控制字符" in bad.content.decode()
    objection = notices.file_objection(notice, {"text": "请公开图纸"}, address_key="")
    street.post(reverse("residents:notice", args=[notice.pk]), {"action": "reply", "objection": objection.pk,
                                                                "reply": "已在社区公示栏张贴"})
    objection.refresh_from_db()
    assert objection.reply == "已在社区公示栏张贴" and objection.replied_by == users["street_tashan"]
    early = street.post(reverse("residents:notice", args=[notice.pk]), {"action": "close", "outcome": "resolved"},
                        follow=True)
    assert "期满后才能结束" in early.content.decode()
    notice.refresh_from_db()
    assert notice.outcome == ""
