"""projects.permissions: who may do what with a project, as a hand-written matrix of the demo
roles; the workflow move finalise_spending (决算); the menu shows an item iff its page answers 200.
The project is in 塔山街道 (绍兴 越城区): roles outside 绍兴 cannot see it at all (404, communities.scope)."""

import datetime as dt
from decimal import Decimal

import pytest

from projects import permissions, reports, services, workflow
from projects.models import SpendingRecord, Status, Transition
from tests.nav_pages import ROLES, assert_nav_matches_pages
from tests.projects.factories import bulk_projects

pytestmark = pytest.mark.django_db
TASHAN = "330602001"
NOT_THE_STREET = ["street_fuchun", "district_yuecheng", "city_shaoxing", "finance_fuyang", "finance_jiaxing",
                  "leader_jiaxing", "admin"]


@pytest.fixture
def project(users):
    return bulk_projects(TASHAN, 1, status=Status.LISTED)[0]


def accepted(**fields):
    return bulk_projects(TASHAN, 1, status=Status.ACCEPTED, accepted_on=dt.date(2025, 12, 1), **fields)[0]


@pytest.mark.parametrize(("function", "what"), [
    (permissions.can_edit_project, "修改申报内容"),
    (permissions.can_add_monthly_report, "填报月报"),
    (permissions.can_add_spending, "录入实际支出"),
    (permissions.can_upload_attachment, "上传附件"),
])
def test_only_the_projects_street_office_works_on_it(users, project, function, what):
    assert function(users["street_tashan"], project) == (True, "")
    for name in NOT_THE_STREET:
        assert function(users[name], project) == (False, f"只有项目所在街道（乡镇）可以{what}"), name


def test_review_queue_is_for_the_offices_that_take_review_steps(users):
    for name in ("district_yuecheng", "district_fuyang", "city_shaoxing", "city_jiaxing", "leader_jiaxing"):
        assert permissions.can_view_review_queue(users[name]) == (True, ""), name
    for name in ("street_tashan", "street_fuchun", "finance_fuyang", "finance_jiaxing", "admin"):
        assert permissions.can_view_review_queue(users[name]) == (
            False, "待审核队列仅供区县（市）风貌办、市风貌办和领导小组使用"), name


def test_only_street_offices_create_projects(users):
    for name in ("street_tashan", "street_fuchun"):
        assert permissions.can_create_project(users[name]) == (True, "")
    for name in ("district_yuecheng", "city_shaoxing", "finance_fuyang", "leader_jiaxing", "admin"):
        assert permissions.can_create_project(users[name]) == (False, "只有街道（乡镇）可以创建和编辑创建项目")


def test_project_list_is_every_signed_in_users(users):
    for name in ROLES:
        assert permissions.can_view_project_list(users[name]) == (True, "")


def test_pages_refuse_with_the_reason(client_for, project):
    client = client_for("district_yuecheng")
    for url in (f"/projects/{project.pk}/edit/", f"/projects/{project.pk}/reports/new/", "/projects/new/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "只有" in response.content.decode()
    assert client_for("finance_fuyang").get("/projects/review/").status_code == 403
    assert client_for("street_tashan").get(f"/projects/{project.pk}/edit/").status_code == 200


def test_api_refuses_in_scope_with_the_reason_and_hides_out_of_scope(api_for, project):
    body = {"project": project.pk, "spent_on": "2025-05-01", "amount": "10.00", "description": "x"}
    refused = api_for("district_yuecheng").post("/api/spending/", body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "只有项目所在街道（乡镇）可以录入实际支出"
    assert api_for("street_fuchun").post(f"/api/projects/{project.pk}/finalise-spending/").status_code == 404


# ---------------------------------------------------------------- finalise_spending, a workflow move


def test_finalise_spending_is_a_street_move_after_acceptance(users, project):
    done = accepted()
    assert permissions.can_finalise_spending(users["street_tashan"], done) == (True, "")
    assert permissions.can_finalise_spending(users["district_yuecheng"], done) == (
        False, "“确认支出决算”应由街道执行（当前：已通过验收）")
    ok, reason = permissions.can_finalise_spending(users["street_tashan"], project)
    assert not ok and "不能执行“确认支出决算”" in reason
    assert [m.office_level for m in workflow.moves(done) if m.action == "finalise_spending"] == ["street"]
    assert "finalise_spending" in [a["action"] for a in services.available_actions(done, users["street_tashan"])[0]]


def test_finalising_writes_one_history_row_with_the_total_then_refuses(users):
    project = accepted()
    street = users["street_tashan"]
    for amount in ("1234567.89", "10.11"):
        SpendingRecord.objects.create(project=project, spent_on=dt.date(2025, 6, 1), amount=Decimal(amount),
                                      description="景观提升", recorded_by=street)
    reports.finalise_spending(street, project)
    rows = Transition.objects.filter(project=project, action="finalise_spending")
    assert rows.count() == 1
    row = rows.get()
    assert row.comment == "确认实际支出决算，合计 1234578.00 元"
    assert row.details == {"spending_total": "1234578.00"}
    assert (row.from_status, row.to_status, row.action_label) == ("accepted", "accepted", "确认支出决算")
    assert row.office == street.office and row.actor == street
    project.refresh_from_db()
    assert project.spending_final and project.status == Status.ACCEPTED
    with pytest.raises(services.InvalidTransition, match="实际支出已确认决算"):
        reports.finalise_spending(street, project)
    assert rows.count() == 1


def test_finalise_through_the_api_twice_is_409_and_others_get_the_reason(api_for):
    project = accepted()
    refused = api_for("district_yuecheng").post(f"/api/projects/{project.pk}/finalise-spending/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "“确认支出决算”应由街道执行（当前：已通过验收）"
    api = api_for("street_tashan")
    first = api.post(f"/api/projects/{project.pk}/actions/", {"action": "finalise_spending"}, format="json")
    assert first.status_code == 200
    assert "finalise_spending" not in [a["action"] for a in first.json()["available_actions"]]
    again = api.post(f"/api/projects/{project.pk}/finalise-spending/")
    assert again.status_code == 409 and "实际支出已确认决算" in again.json()["detail"]
    history = api.get(f"/api/projects/{project.pk}/history/").json()
    assert [h["action"] for h in history].count("finalise_spending") == 1


def test_finalise_page_button_goes_through_the_workflow(client_for):
    project = accepted()
    client = client_for("street_tashan")
    assert "确认支出决算" in client.get(f"/projects/{project.pk}/").content.decode()
    asked = client.post(f"/projects/{project.pk}/spending/finalise/")  # a bare POST: the confirmation page
    assert asked.status_code == 200 and "此操作不可撤销" in asked.content.decode()
    assert not Transition.objects.filter(project=project, action="finalise_spending").exists()
    client.post(f"/projects/{project.pk}/spending/finalise/", {"confirm": "1"})
    assert Transition.objects.filter(project=project, action="finalise_spending").count() == 1
    assert "实际支出已确认决算" in client.get(f"/projects/{project.pk}/").content.decode()


def test_the_subsidy_effect_of_finalising_is_registered_by_the_subsidies_app():
    from subsidies.signals import settle_on_final_spending

    assert settle_on_final_spending in workflow.effects_of("finalise_spending")


@pytest.mark.parametrize("role", ROLES)
def test_nav_shows_an_item_iff_its_page_answers_200(users, client, role):
    assert_nav_matches_pages("projects", users, client, role)
