"""月报 (DOMAIN §4.2): pre-filled month and last month's figures, a reason for a drop, a confirm
step before a late report locks, the correction of a locked report (issue #15 defects 3, 4),
and a version against lost edits (issue #20 item 11)."""

import datetime as dt
from decimal import Decimal

import pytest

from projects import report_corrections as corrections
from projects import reports
from projects.models import MonthlyReport, ReportCorrection, Transition
from projects.services import today

pytestmark = pytest.mark.django_db


def month_back(day: dt.date, count: int) -> dt.date:
    month = day.replace(day=1)
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def project(listed_project):
    """A Shaoxing project listed four months ago (its reports are due on day 5 of the next month)."""
    return listed_project("shaoxing", listed_on=month_back(today(), 4) + dt.timedelta(days=2))


def file(users, project, month, progress, investment, **extra):
    return reports.submit_monthly_report(users["street_tashan"], project, month=month,
                                         progress_percent=Decimal(progress),
                                         investment_completed=Decimal(investment), **extra)


def post(client, project, **data):
    return client.post(f"/projects/{project.pk}/reports/new/", data)


# ---------------------------------------------------------------- defect 4: pre-fill, last month, drops


def test_form_prefills_the_oldest_unfiled_month_and_shows_the_previous_figures(project, users, client_for):
    first = month_back(today(), 4)
    file(users, project, first, "40", "1250000")
    page = client_for("street_tashan").get(f"/projects/{project.pk}/reports/new/").content.decode()
    assert f'value="{month_back(today(), 3):%Y-%m}"' in page
    assert f"上月（{first:%Y-%m}）：40.00%" in page
    assert "1,250,000.00 元" in page


def test_a_drop_in_progress_or_investment_needs_a_reason_which_is_stored(project, users, client_for):
    file(users, project, month_back(today(), 4), "40", "1000000")
    client = client_for("street_tashan")
    month = f"{month_back(today(), 3):%Y-%m}"
    refused = post(client, project, month=month, progress_percent="30", investment_completed="900000",
                   confirm_late="1")
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "形象进度由40.00%" in text and "降至30" in text and "请确认并填写下降原因" in text
    assert "累计完成投资由1,000,000.00元" in text
    assert project.monthly_reports.count() == 1
    saved = post(client, project, month=month, progress_percent="30", investment_completed="900000",
                 confirm_late="1", decrease_reason="上月重复统计了设备款")
    assert saved.status_code == 302
    assert project.monthly_reports.get(month=month_back(today(), 3)).decrease_reason == "上月重复统计了设备款"


def test_an_increase_needs_no_reason(project, users):
    file(users, project, month_back(today(), 4), "40", "1000000")
    report = file(users, project, month_back(today(), 3), "45", "1000000")
    assert report.decrease_reason == ""


def test_the_api_refuses_a_drop_without_a_reason_naming_the_field(project, users, api_for):
    file(users, project, month_back(today(), 4), "40", "1000000")
    response = api_for("street_tashan").post("/api/monthly-reports/", {
        "project": project.pk, "month": month_back(today(), 3).isoformat(), "progress_percent": "20",
        "investment_completed": "1000000"}, format="json")
    assert response.status_code == 400
    assert "decrease_reason" in str(response.json())


# ---------------------------------------------------------------- defect 3: late report, correction


def test_a_late_report_is_not_saved_before_the_street_confirms_it_will_lock(project, client_for):
    client = client_for("street_tashan")
    late = month_back(today(), 2)  # due on day 5 of last month
    first = post(client, project, month=f"{late:%Y-%m}", progress_percent="10", investment_completed="100")
    assert first.status_code == 200
    text = first.content.decode()
    assert "已逾期：保存后立即锁定" in text and 'name="confirm_late" value="1"' in text
    assert not project.monthly_reports.exists()
    second = post(client, project, month=f"{late:%Y-%m}", progress_percent="10", investment_completed="100",
                  confirm_late="1")
    assert second.status_code == 302
    report = project.monthly_reports.get()
    assert reports.report_locked(project, report.month)


def test_a_current_report_is_saved_without_a_confirm_step(project, client_for):
    response = post(client_for("street_tashan"), project, month=f"{today():%Y-%m}", progress_percent="10",
                    investment_completed="100")
    assert response.status_code == 302


def locked_report(users, project):
    return file(users, project, month_back(today(), 2), "10", "100")


def test_district_approval_applies_the_corrected_figures_and_both_steps_are_history(project, users, client_for):
    report = locked_report(users, project)
    street = client_for("street_tashan")
    assert "申请更正" in street.get(f"/projects/{project.pk}/").content.decode()
    response = street.post(f"/projects/{project.pk}/reports/{report.pk}/correction/", {
        "progress_percent": "12", "investment_completed": "1000", "problems": "", "next_steps": "",
        "reason": "投资额少录一个零"})
    assert response.status_code == 302
    correction = ReportCorrection.objects.get(report=report)
    report.refresh_from_db()
    assert (report.progress_percent, report.investment_completed) == (Decimal("10"), Decimal("100"))

    district = client_for("district_yuecheng")
    home = district.get("/").content.decode()
    assert "待审批的月报更正申请" in home and f"{report.month:%Y年%m月}月报" in home
    decide = f"/projects/{project.pk}/corrections/{correction.pk}/decide/"
    asked = district.post(decide, {"decision": "approve", "comment": "同意"})  # irreversible: asks first
    assert asked.status_code == 200 and 'data-testid="confirm-question"' in asked.content.decode()
    assert ReportCorrection.objects.get(pk=correction.pk).state == "pending"
    assert district.post(decide, {"decision": "approve", "comment": "同意", "confirm": "1"}).status_code == 302
    report.refresh_from_db()
    assert (report.progress_percent, report.investment_completed) == (Decimal("12.00"), Decimal("1000.00"))
    history = list(Transition.objects.filter(project=project, action__startswith="report_correction")
                   .values_list("action_label", "comment", "actor__username"))
    assert history == [("申请更正月报", "投资额少录一个零", "street_tashan"),
                       ("同意更正月报", "同意", "district_yuecheng")]
    from portal.models import Notification
    asked = Notification.objects.get(event="report_correction_request", user=users["district_yuecheng"])
    assert "投资额少录一个零" in asked.body
    assert "同意" in Notification.objects.get(event="report_correction_decision", user=users["street_tashan"]).title
    approved = Transition.objects.get(project=project, action="report_correction_approved")
    assert approved.details["before"]["investment_completed"] == "100.00"
    assert approved.details["after"]["investment_completed"] == "1000.00"


def test_district_rejection_keeps_the_figures_and_is_history(project, users):
    report = locked_report(users, project)
    correction = corrections.request_correction(users["street_tashan"], report, reason="笔误",
                                                progress_percent=Decimal("11"), investment_completed=Decimal("100"))
    corrections.decide_correction(users["district_yuecheng"], correction, approve=False, comment="无佐证材料")
    report.refresh_from_db()
    assert report.progress_percent == Decimal("10")
    assert Transition.objects.filter(project=project, action="report_correction_rejected",
                                     comment="无佐证材料").exists()
    correction.refresh_from_db()
    assert correction.state == "rejected"


def test_the_street_cannot_decide_its_own_correction_and_an_unlocked_report_is_edited_directly(
        project, users, client_for):
    report = locked_report(users, project)
    correction = corrections.request_correction(users["street_tashan"], report, reason="笔误",
                                                progress_percent=Decimal("11"))
    url = f"/projects/{project.pk}/corrections/{correction.pk}/decide/"
    response = client_for("street_tashan").post(url, {"decision": "approve"})
    assert response.status_code == 403
    current = file(users, project, today(), "20", "200")
    from portal.errors import InvalidTransition
    with pytest.raises(InvalidTransition, match="尚未锁定"):
        corrections.request_correction(users["street_tashan"], current, reason="x", progress_percent=Decimal("21"))


# ---------------------------------------------------------------- #20 item 11: a version per edit


def test_two_edits_from_the_same_version_save_one_and_refuse_the_other(project, users):
    from portal.errors import Conflict

    report = file(users, project, today(), "20", "200")
    first, second = MonthlyReport.objects.get(pk=report.pk), MonthlyReport.objects.get(pk=report.pk)
    reports.update_monthly_report(users["street_tashan"], first, version=1, progress_percent=Decimal("25"))
    with pytest.raises(Conflict, match="已被他人修改"):
        reports.update_monthly_report(users["street_tashan"], second, version=1, problems="另一人的修改")
    report.refresh_from_db()
    assert (report.progress_percent, report.problems, report.version) == (Decimal("25.00"), "", 2)


def test_a_stale_page_edit_is_409_with_a_message_and_the_current_values(project, users, client_for):
    report = file(users, project, today(), "20", "200")
    reports.update_monthly_report(users["street_tashan"], report, version=1, progress_percent=Decimal("33"))
    response = client_for("street_tashan").post(f"/projects/{project.pk}/reports/{report.pk}/", {
        "version": "1", "progress_percent": "21", "investment_completed": "200", "problems": "", "next_steps": ""})
    assert response.status_code == 409
    text = response.content.decode()
    assert "该月报已被他人修改" in text
    assert 'value="33.00"' in text and 'name="version" value="2"' in text
    report.refresh_from_db()
    assert report.progress_percent == Decimal("33.00")


def test_the_api_answers_a_stale_if_match_with_409_in_chinese(project, users, api_for):
    report = file(users, project, today(), "20", "200")
    api = api_for("street_tashan")
    assert api.get(f"/api/monthly-reports/{report.pk}/")["ETag"] == '"1"'
    ok = api.patch(f"/api/monthly-reports/{report.pk}/", {"progress_percent": "22"}, format="json",
                   HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(f"/api/monthly-reports/{report.pk}/", {"progress_percent": "23"}, format="json",
                      HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert "已被他人修改" in str(stale.json())
    report.refresh_from_db()
    assert report.progress_percent == Decimal("22.00")
    bad = api.patch(f"/api/monthly-reports/{report.pk}/", {"progress_percent": "23"}, format="json",
                    HTTP_IF_MATCH="abc")
    assert bad.status_code == 400


def test_a_late_report_with_a_drop_asks_for_both_on_one_page(project, users, client_for):
    file(users, project, month_back(today(), 4), "40", "1000000")
    client = client_for("street_tashan")
    late = f"{month_back(today(), 2):%Y-%m}"
    asked = post(client, project, month=late, progress_percent="30", investment_completed="1000000").content.decode()
    assert "已逾期：保存后立即锁定" in asked and "请确认并填写下降原因" in asked
    still = post(client, project, month=late, progress_percent="30", investment_completed="1000000",
                 confirm_late="1").content.decode()
    assert "请确认并填写下降原因" in still and 'name="confirm_late" value="1"' in still  # the confirmation kept
    saved = post(client, project, month=late, progress_percent="30", investment_completed="1000000",
                 confirm_late="1", decrease_reason="统计口径调整")
    assert saved.status_code == 302


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_edits_of_one_version_save_exactly_one(project, users):
    """Issue #20 item 11: 30 editors who read version 1 save at once — one edit, 29 × 409, none lost silently."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    report = file(users, project, today(), "20", "200")
    barrier, outcomes = threading.Barrier(30), []

    def edit(index):
        try:
            mine = MonthlyReport.objects.select_related("project__policy_version").get(pk=report.pk)
            barrier.wait(timeout=30)
            reports.update_monthly_report(users["street_tashan"], mine, version=1, problems=f"编辑{index}")
            outcomes.append(200)
        except Exception as exc:
            outcomes.append(getattr(exc, "status_code", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str) == [200] + [409] * 29, outcomes
    report.refresh_from_db()
    assert report.version == 2 and report.problems.startswith("编辑")
