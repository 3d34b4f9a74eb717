"""Issue #15 defect 5: the reviewer sees every fact the street submitted, and after a return what
changed in the resubmission against the returned version (snapshots kept in the history)."""

import pytest

from projects.models import CreationProject, Transition

pytestmark = pytest.mark.django_db

FILLED = dict(name="塔山未来社区", reserve_stage="mature", responsible_unit="塔山街道城建办", unit_area_ha="21.50",
              households=1234, total_investment="35000000.00", building_area="120000.00", government_funded=False,
              changes_land_use=True, stock_land_used=True, planned_start="2026-12-01", planned_finish="2027-11-01",
              task_year=2027)


def test_the_reviewers_page_shows_every_submitted_fact(create_project, client_for):
    pid = create_project("shaoxing", **FILLED)["id"]
    client_for("street_tashan").post(f"/projects/{pid}/act/", {"action": "submit"})
    page = client_for("district_yuecheng").get(f"/projects/{pid}/").content.decode()
    facts = page.split('data-testid="submitted-facts"', 1)[1].split("</table>", 1)[0]
    for label, value in [("涉及户数", "1234"), ("单元面积（公顷）", "21.50"), ("建筑面积（㎡）", "120,000.00"),
                         ("责任单位", "塔山街道城建办"), ("计划开工（月）", "2026-12"), ("计划完工（月）", "2027-11"),
                         ("储备阶段", "成熟"), ("政府投资项目", "否"), ("涉及用地、用途、面积或结构变更", "是"),
                         ("利用存量土地", "是"), ("总投资（元）", "35,000,000.00"), ("任务年度", "2027"),
                         ("邻里场景", "未填写")]:
        assert f'<th class="fw-normal text-muted w-25">{label}</th><td>{value}</td>' in facts, label
    assert 'data-testid="resubmission-diff"' not in page  # submitted once: nothing to compare


def test_after_a_return_the_reviewer_sees_what_changed_in_the_resubmission(create_project, client_for, api_for):
    pid = create_project("shaoxing", **FILLED)["id"]
    client_for("street_tashan").post(f"/projects/{pid}/act/", {"action": "submit"})
    district = api_for("district_yuecheng")
    assert district.post(f"/api/projects/{pid}/actions/", {"action": "return", "comment": "户数有误"},
                         format="json").status_code == 200
    street_api = api_for("street_tashan")
    assert street_api.patch(f"/api/projects/{pid}/", {"households": 1300, "responsible_unit": "塔山街道"},
                            format="json").status_code == 200
    assert street_api.post(f"/api/projects/{pid}/actions/", {"action": "submit"}, format="json").status_code == 200
    submissions = Transition.objects.filter(project_id=pid, action="submit").order_by("id")
    assert [t.details["facts"]["households"] for t in submissions] == ["1234", "1300"]  # append-only snapshots
    page = client_for("district_yuecheng").get(f"/projects/{pid}/").content.decode()
    diff = page.split('data-testid="resubmission-diff"', 1)[1].split("</div>", 1)[0]
    assert "<td>涉及户数</td><td><del>1234</del></td><td><ins>1300</ins></td>" in diff
    assert "<td>责任单位</td><td><del>塔山街道城建办</del></td><td><ins>塔山街道</ins></td>" in diff
    assert "单元面积" not in diff  # unchanged facts are not listed
    assert CreationProject.objects.get(pk=pid).households == 1300


def test_once_returned_again_the_old_diff_is_not_shown(create_project, client_for, api_for):
    pid = create_project("shaoxing", **FILLED)["id"]
    street, district = api_for("street_tashan"), api_for("district_yuecheng")
    for _ in range(2):
        street.post(f"/api/projects/{pid}/actions/", {"action": "submit"}, format="json")
        district.post(f"/api/projects/{pid}/actions/", {"action": "return", "comment": "再改"}, format="json")
    page = client_for("district_yuecheng").get(f"/projects/{pid}/").content.decode()
    assert 'data-testid="resubmission-diff"' not in page  # returned: the street is editing, nothing to review
