"""Deadline rows follow the project: computed from its policy at listing, recomputed when facts
change, met by the right event, cancelled when the project leaves (DOMAIN §4.1–4.2)."""

import datetime as dt

import pytest
from django.utils import timezone

from acceptance import sweep
from acceptance.deadlines import recompute_deadlines, recompute_for_policy_version
from acceptance.models import Alert, Deadline
from portal.models import Notification
from projects import reports
from projects.models import CreationProject, PolicyVersion
from projects.signals import project_facts_changed
from tests.acceptance.conftest import act, drive_to_accepted, issue_rectification, request_acceptance

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def ago(days):
    return TODAY - dt.timedelta(days=days)


def deadline(project, key):
    return Deadline.objects.get(project=project, key=key)


def change_facts(project, **fields):
    CreationProject.objects.filter(pk=project.pk).update(**fields)
    project.refresh_from_db()
    project_facts_changed.send(sender=CreationProject, project=project)


def test_listing_creates_construction_year_end_and_monthly_deadlines_fuyang(listed_project):
    listed_on = ago(100)
    project = listed_project("fuyang", listed_on=listed_on)
    construction = deadline(project, "construction")
    assert construction.due_on == listed_on.replace(year=listed_on.year + 1)
    # listed after 富阳's 行动方案（2021-2023年）: the basis carries 超出文件执行期（沿用） (issue #16 item 9)
    assert construction.basis.startswith("富阳 四(六)；超出文件执行期（2021—2023年）") and construction.state == "open"
    year_end = deadline(project, "year_end")
    assert year_end.due_on == dt.date(construction.due_on.year, 12, 31)
    assert "富阳 五(三)" in year_end.basis
    months = set(Deadline.objects.filter(project=project, kind="monthly_report").values_list("month", flat=True))
    assert listed_on.replace(day=1) in months and TODAY.replace(day=1) not in months
    assert all("富阳 五(六)" in d.basis for d in Deadline.objects.filter(project=project, kind="monthly_report"))


def test_deadline_recomputed_when_category_changes_and_old_alerts_close(listed_project):
    listed_on = ago(300)
    project = listed_project("fuyang", listed_on=listed_on)
    old_due = deadline(project, "construction").due_on
    sweep.sweep_deadlines(old_due - dt.timedelta(days=7))
    old_alert = Alert.objects.get(deadline__key="construction", deadline__project=project, level="d7")
    change_facts(project, category="new_build")
    moved = deadline(project, "construction")
    assert moved.due_on == listed_on.replace(year=listed_on.year + 3)
    assert moved.basis.startswith("富阳 四(六)；超出文件执行期（2021—2023年）")
    old_alert.refresh_from_db()
    assert old_alert.state == "closed"
    # the new date gets its own alerts in time
    sweep.sweep_deadlines(moved.due_on - dt.timedelta(days=7))
    assert Alert.objects.filter(deadline=moved, due_on=moved.due_on, level="d7", state="open").exists()


def test_deadline_recomputed_when_listing_date_changes(listed_project):
    project = listed_project("fuyang", listed_on=ago(200))
    change_facts(project, listed_on=ago(150))
    assert deadline(project, "construction").due_on == ago(150).replace(year=ago(150).year + 1)


def test_shaoxing_new_build_has_no_construction_deadline_and_row_is_cancelled(listed_project):
    project = listed_project("shaoxing", listed_on=ago(60))
    assert deadline(project, "construction").basis == "绍兴2023 二(一)"
    change_facts(project, category="new_build")
    assert deadline(project, "construction").state == "cancelled"  # 未设定: no deadline


def test_jiaxing_sets_no_construction_deadline(listed_project):
    project = listed_project("jiaxing", listed_on=ago(60))
    assert not Deadline.objects.filter(project=project, kind="construction").exists()
    assert Deadline.objects.filter(project=project, kind="monthly_report").exists()


def test_construction_deadline_met_when_acceptance_requested_on_time_and_alerts_close(listed_project):
    project = listed_project("shaoxing", listed_on=ago(360))
    due = deadline(project, "construction").due_on
    sweep.sweep_deadlines(TODAY)
    assert Alert.objects.filter(deadline__project=project, deadline__key="construction", state="open").exists()
    project = request_acceptance(project, "shaoxing")
    met = deadline(project, "construction")
    assert (met.state, met.met_on, met.missed) == ("met", TODAY, False)
    assert due >= TODAY
    assert not Alert.objects.filter(deadline=met, state="open").exists()


def test_acceptance_requested_late_meets_the_deadline_but_records_it_missed(listed_project):
    project = listed_project("fuyang", listed_on=ago(400))
    project = request_acceptance(project, "fuyang")
    late = deadline(project, "construction")
    assert (late.state, late.missed) == ("met", True)


def test_monthly_report_submission_meets_its_deadline(listed_project, users):
    project = listed_project("shaoxing", listed_on=ago(70))
    last_month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    key = f"monthly:{last_month:%Y-%m}"
    assert deadline(project, key).state in ("open", "overdue")
    reports.submit_monthly_report(users["street_tashan"], project, month=last_month,
                                  progress_percent=40, investment_completed=1000000)
    met = deadline(project, key)
    assert (met.state, met.met_on) == ("met", TODAY)


def test_rectification_order_has_its_deadline_and_the_street_is_notified(listed_project):
    project = listed_project("shaoxing", listed_on=ago(200))
    project = request_acceptance(project, "shaoxing")
    due = TODAY + dt.timedelta(days=20)
    project = issue_rectification(project, "shaoxing", due)
    order = project.rectification_orders.get()
    row = deadline(project, f"rectification:{order.pk}")
    assert (row.due_on, row.state, row.order_id) == (due, "open", order.pk)
    assert "整改单" in row.basis and "绍兴2023 四" in row.basis
    note = Notification.objects.get(user__username="street_tashan", event="rectification_issued")
    assert str(due) in note.title
    request_acceptance(project, "shaoxing")
    row.refresh_from_db()
    assert (row.state, row.met_on) == ("met", TODAY)


def test_terminated_project_has_its_open_deadlines_cancelled(listed_project):
    project = listed_project("fuyang", listed_on=ago(100))
    act(project, "district_fuyang", "terminate", comment="项目终止")
    states = set(Deadline.objects.filter(project=project).values_list("state", flat=True))
    assert states <= {"cancelled", "met"} and "cancelled" in states


def test_acceptance_cancels_unmet_monthly_reports_and_meets_year_end(listed_project):
    project = listed_project("fuyang", listed_on=ago(120))
    project = request_acceptance(project, "fuyang")
    project = drive_to_accepted(project, "fuyang", TODAY)
    assert not Deadline.objects.filter(project=project, kind="monthly_report", state__in=["open", "overdue"]).exists()
    year_end = deadline(project, "year_end")
    assert (year_end.state, year_end.met_on, year_end.missed) == ("met", TODAY, False)


def test_public_notice_deadline_for_shaoxing_stock_land(listed_project):
    project = listed_project("shaoxing", listed_on=ago(3), stock_land_used=True)
    notice = deadline(project, "public_notice")
    assert notice.due_on == ago(3) + dt.timedelta(days=7)
    assert notice.basis.startswith("绍兴2023 三(一)") and "列入创建名单之日起算" in notice.basis
    sweep.sweep_deadlines(TODAY)
    assert Alert.objects.get(deadline=notice).level == "d7"
    # DOMAIN §4.2: "the notice period is a deadline and the consent a recorded fact — neither is
    # marked met automatically": the period passing alone leaves it overdue
    sweep.sweep_deadlines(notice.due_on + dt.timedelta(days=1))
    notice.refresh_from_db()
    assert (notice.state, notice.met_on) == ("overdue", None)
    # the 实施方案 公示 closed with the stakeholders' consent (绍兴2023 三(一) 经利害关系人同意) meets it
    from residents.models import Notice

    closed = Notice.objects.create(office=project.street.offices.get(kind="street"), region=project.street,
                                   kind="implementation_plan", title="实施方案公示", body="方案",
                                   starts_on=ago(3), period_days=7, ends_on=ago(3) + dt.timedelta(days=6),
                                   outcome="no_objection", consent_recorded=True, consent_note="业主书面同意",
                                   closed_on=notice.due_on + dt.timedelta(days=2), published_by=project.created_by)
    closed.projects.add(project)
    sweep.sweep_deadlines(notice.due_on + dt.timedelta(days=3))
    notice.refresh_from_db()
    assert (notice.state, notice.met_on) == ("met", notice.due_on + dt.timedelta(days=2))
    assert not Alert.objects.filter(deadline=notice, state="open").exists()


def test_fuyang_year_end_missed_is_marked_by_the_sweep_and_kept(listed_project):
    listed_on = ago(120)
    project = listed_project("fuyang", listed_on=listed_on, task_year=listed_on.year)
    accepted = listed_project("fuyang", listed_on=listed_on, task_year=listed_on.year, community_name="准时社区")
    accepted = drive_to_accepted(request_acceptance(accepted, "fuyang"), "fuyang", TODAY)
    year_end = dt.date(listed_on.year, 12, 31)
    sweep.sweep_deadlines(year_end)
    assert not deadline(project, "year_end").missed
    sweep.sweep_deadlines(year_end + dt.timedelta(days=1))
    row = deadline(project, "year_end")
    assert (row.state, row.missed) == ("overdue", True)
    # accepted later: the deadline is met late, and the year stays missed (富阳 五(三) 再拨付30%)
    recompute_deadlines(CreationProject.objects.get(pk=project.pk), year_end + dt.timedelta(days=1))
    project = drive_to_accepted(request_acceptance(project, "fuyang"), "fuyang", TODAY)
    assert deadline(project, "year_end").missed == (TODAY > year_end)
    assert not deadline(accepted, "year_end").missed


def test_policy_parameter_change_recomputes_bound_projects(listed_project, django_capture_on_commit_callbacks):
    project = listed_project("shaoxing", listed_on=ago(70))
    version = PolicyVersion.objects.get(pk=project.policy_version_id)
    version.parameters = {**version.parameters, "monthly_report_day": 10}
    with django_capture_on_commit_callbacks() as queued:
        version.save()
    assert len(queued) == 1  # the recomputation is queued after commit (a task: many projects)
    assert recompute_for_policy_version(version.pk) == 1
    last_month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    row = deadline(project, f"monthly:{last_month:%Y-%m}")
    assert row.due_on == TODAY.replace(day=10)
    assert row.basis.startswith("管理员设定参数")
