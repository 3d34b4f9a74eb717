"""Project pages: scope (404 outside), constant query counts, forms keep input on errors."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import CreationProject, Status
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    """The statements of a page once its statements are compiled: the first request of a process
    compiles each count of the menu on its own (portal.compiled), later ones send them as one."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/projects/", "/api/projects/", "/api/projects/?overdue=true",
                                 "/projects/?sort=deadline&tier=municipal"])
def test_list_query_count_is_constant_for_5_and_50_rows(client_for, url):
    client = client_for("district_yuecheng")
    bulk_projects("330602001", 5)
    small = count_queries(client, url)
    bulk_projects("330602002", 45)
    large = count_queries(client, url)
    assert small == large


@pytest.mark.parametrize("url", ["/projects/", "/api/projects/", "/projects/review/"])
def test_list_query_count_is_constant_for_projects_under_review(client_for, url):
    """Rows waiting on a chain step show its label, read from the bound policy version:
    that must come with the page, not one query per row."""
    client = client_for("district_yuecheng")
    bulk_projects("330602001", 2, status=Status.IN_REVIEW, review_step=0)
    small = count_queries(client, url)
    bulk_projects("330602002", 20, status=Status.IN_REVIEW, review_step=0)
    bulk_projects("330602002", 5, status=Status.ACCEPTANCE_REVIEW, review_step=0)
    large = count_queries(client, url)
    assert small == large


def test_street_pages_never_show_other_street_projects(client_for):
    own = bulk_projects("330602001", 2)
    other = bulk_projects("330602002", 2)
    client = client_for("street_tashan")
    body = client.get("/projects/").content.decode()
    assert all(p.community.name in body for p in own)
    assert not any(p.community.name in body for p in other)
    for project in other:
        assert client.get(f"/projects/{project.pk}/").status_code == 404
        assert client.get(f"/projects/{project.pk}/edit/").status_code == 404
        assert client.post(f"/projects/{project.pk}/act/", {"action": "approve"}).status_code == 404
        assert client.get(f"/api/projects/{project.pk}/history/").status_code == 404


def test_create_form_keeps_input_and_shows_field_error_in_chinese(client_for, community_in):
    community = community_in("shaoxing")
    client = client_for("street_tashan")
    response = client.post("/projects/new/", {"community": community.pk, "tier": "municipal",
                                              "category": "renovation", "batch_year": "公元",
                                              "households": "1234"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="1234"' in body
    assert "error-batch_year" in body


def test_create_then_submit_through_pages(client_for, community_in):
    community = community_in("shaoxing")
    client = client_for("street_tashan")
    data = {"community": community.pk, "tier": "municipal", "category": "renovation",
            "batch_year": "2026", "government_funded": "on"}
    for key in ["neighbourhood", "education", "health", "entrepreneurship", "transport",
                "low_carbon", "architecture", "services", "governance"]:
        data[f"scenario_{key}"] = "standard"
    response = client.post("/projects/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = CreationProject.objects.get(community=community)
    assert project.scenarios["health"]["level"] == "standard"
    client.post(f"/projects/{project.pk}/act/", {"action": "submit"})
    project.refresh_from_db()
    assert project.status == Status.SUBMITTED
    page = client_for("district_yuecheng").get(f"/projects/{project.pk}/").content.decode()
    assert 'data-testid="action-approve"' in page
    queue = client_for("district_yuecheng").get("/projects/review/").content.decode()
    assert project.display_name in queue


def test_return_without_comment_on_page_shows_message_and_changes_nothing(client_for, create_project):
    pid = create_project("shaoxing")["id"]
    client_for("street_tashan").post(f"/projects/{pid}/act/", {"action": "submit"})
    response = client_for("district_yuecheng").post(f"/projects/{pid}/act/", {"action": "return"},
                                                    follow=True)
    assert "请填写意见" in response.content.decode()
    assert CreationProject.objects.get(pk=pid).status == Status.SUBMITTED


def test_live_prechecks_show_basis(client_for, community_in):
    community = community_in("fuyang", name="别墅区社区", has_villas=True)
    response = client_for("street_fuchun").post("/projects/prechecks/", {
        "community": community.pk, "tier": "municipal", "category": "renovation",
        "batch_year": "2026"})
    body = response.content.decode()
    assert "不得申报" in body and "富阳 四(三)" in body


def test_monthly_report_locked_after_due_day(api_for, create_project, users):
    from projects.models import MonthlyReport

    pid = create_project("fuyang")["id"]
    project = CreationProject.objects.get(pk=pid)
    CreationProject.objects.filter(pk=pid).update(status=Status.LISTED, listed_on=dt.date(2024, 1, 10))
    old = MonthlyReport.objects.create(project=project, month=dt.date(2024, 2, 1), progress_percent=10,
                                       investment_completed=100, submitted_by=users["street_fuchun"])
    response = api_for("street_fuchun").patch(f"/api/monthly-reports/{old.pk}/", {"progress_percent": "20"},
                                              format="json")
    assert response.status_code == 409 and "已锁定" in response.json()["detail"]
    this_month = timezone.localdate().replace(day=1)
    created = api_for("street_fuchun").post("/api/monthly-reports/", {
        "project": pid, "month": this_month.isoformat(), "progress_percent": "35.5",
        "investment_completed": "1200000.00"}, format="json")
    assert created.status_code == 201, created.json()
    again = api_for("street_fuchun").post("/api/monthly-reports/", {
        "project": pid, "month": this_month.isoformat(), "progress_percent": "36",
        "investment_completed": "1200000.00"}, format="json")
    assert again.status_code == 400 and "month" in again.json()["errors"]
    other = api_for("street_yinhu").post("/api/monthly-reports/", {
        "project": pid, "month": this_month.isoformat(), "progress_percent": "1",
        "investment_completed": "1"}, format="json")
    assert other.status_code == 400  # project not in the caller's scope: not a valid choice


def test_what_if_page_shows_basis(client_for):
    response = client_for("finance_fuyang").get("/projects/what-if/", {
        "policy": "fuyang-2021", "district_code": "330111", "tier": "municipal",
        "category": "renovation", "listed_on": "2021-08-15", "task_year": "2022",
        "accepted_on": "2022-06-20", "spent": "8000000.00"})
    body = response.content.decode()
    # DOMAIN 6.2 F1: S 8,000,000 → payable 8,000,000, reward 1,000,000, total 9,000,000
    assert "富阳 四(六)" in body and "9,000,000.00" in body


def test_what_if_page_uses_the_statements_labels_and_formats_and_no_raw_codes(client_for):
    # DOMAIN 6.2 F2 (富阳 五(三)): advance 7,000,000 on 2022-12-31, A 10,000,000, S 12,000,000 →
    # borne by street 2,000,000, settlement payment 3,000,000
    response = client_for("finance_fuyang").get("/projects/what-if/", {
        "policy": "fuyang-2021", "district_code": "330111", "tier": "municipal",
        "category": "renovation", "listed_on": "2021-08-15", "task_year": "2022",
        "accepted_on": "2023-05-10", "spent": "12000000.00"})
    body = response.content.decode()
    for label in ("年底预拨", "核定补助A", "街道承担", "结余奖励", "决算拨付", "区财政"):
        assert label in body
    for amount in ("7,000,000.00", "10,000,000.00", "2,000,000.00", "3,000,000.00"):
        assert amount in body
    assert "节约奖励" not in body and "街道自担" not in body
    shown = re.sub(r"<[^>]+>", " ", body[body.index('data-testid="whatif-result"'):])  # visible text
    for code in ("fuyang-2021", "advance", "settlement", "district", "simulate_policy", "JSON"):
        assert code not in shown
    result = shown
    assert "征求意见稿" in result  # the draft is named as such


def test_what_if_page_shows_the_prechecks_of_the_same_computation(client_for):
    response = client_for("city_shaoxing").get("/projects/what-if/", {
        "policy": "shaoxing-2023", "district_code": "330602", "tier": "municipal",
        "category": "new_build"})
    body = response.content.decode()
    # 绍兴2023 二(一)：“其中新建类社区和重点片区内社区均需开展省级未来社区建设”
    assert "均需开展省级未来社区建设" in body and "不得申报" in body
