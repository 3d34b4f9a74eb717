"""One open application per community and tier (DOMAIN 3.1, CONTRACTS §5), the live
pre-check panel of the form (issue 15 items 2 and 13) and the 嘉兴 领导小组 审定."""

import datetime as dt

import pytest

from projects.models import SCENARIOS, CreationProject, Status
from tests import world

pytestmark = pytest.mark.django_db


def post_project(api, community, tier="municipal"):
    return api.post("/api/projects/", {"community": community.pk, "tier": tier,
                                       "category": "renovation", "batch_year": 2026}, format="json")


def test_second_application_at_the_same_tier_is_409_naming_the_open_project(api_for, community_in):
    community = community_in("fuyang", name="秋丰社区")
    api = api_for("street_fuchun")
    first = post_project(api, community)
    assert first.status_code == 201
    second = post_project(api, community)
    assert second.status_code == 409
    body = second.json()
    assert "秋丰社区市级未来社区" in body["detail"]
    assert f"编号{first.json()['id']}" in body["detail"]
    assert body["errors"]["community"] == body["detail"]
    assert CreationProject.objects.filter(community=community).count() == 1


def test_another_tier_or_a_closed_application_does_not_block(api_for, community_in):
    community = community_in("fuyang")
    api = api_for("street_fuchun")
    first = post_project(api, community)
    assert post_project(api, community, tier="provincial").status_code == 201
    api.post(f"/api/projects/{first.json()['id']}/actions/", {"action": "withdraw"}, format="json")
    assert CreationProject.objects.get(pk=first.json()["id"]).status == Status.WITHDRAWN
    assert post_project(api, community).status_code == 201


def test_submitting_a_returned_duplicate_is_refused_with_409(api_for, community_in):
    # the first application was returned (not open), a second was made, then the first is resubmitted
    community = community_in("fuyang", name="大桥社区")
    first = world.create("fuyang", community)
    first = world.act(first, "street_fuchun", "submit")
    first = world.act(first, "district_fuyang", "return", comment="补充材料")
    api = api_for("street_fuchun")
    assert post_project(api, community).status_code == 201
    response = api.post(f"/api/projects/{first.pk}/actions/", {"action": "submit"}, format="json")
    assert response.status_code == 409
    assert "大桥社区市级未来社区" in response.json()["detail"]


def test_project_detail_api_shows_the_block_as_a_precheck_with_its_basis(api_for, community_in):
    community = community_in("fuyang")
    first = world.create("fuyang", community)
    first = world.act(first, "street_fuchun", "submit")
    first = world.act(first, "district_fuyang", "return", comment="补充材料")
    second = world.create("fuyang", community)
    data = api_for("street_fuchun").get(f"/api/projects/{first.pk}/").json()
    [check] = [c for c in data["prechecks"] if c["code"] == "open_application"]
    assert check["level"] == "block"
    assert second.display_name in check["message"]
    assert check["basis"].startswith("平台规则")


def test_form_refuses_the_duplicate_naming_the_open_project(client_for, community_in):
    community = community_in("fuyang", name="新登社区")
    world.create("fuyang", community)
    client = client_for("street_fuchun")
    form = {"community": community.pk, "tier": "municipal", "category": "renovation",
            "batch_year": 2026, **{f"scenario_{k}": "standard" for k in SCENARIO_KEYS}}
    response = client.post("/projects/new/", form)
    assert response.status_code == 200
    assert "新登社区市级未来社区" in response.content.decode()
    assert CreationProject.objects.filter(community=community).count() == 1


SCENARIO_KEYS = [key for key, _ in SCENARIOS]


def precheck_panel(client, data, project=None):
    url = "/projects/prechecks/" + (f"?project={project.pk}" if project else "")
    return client.post(url, data).content.decode()


def test_precheck_panel_fires_on_a_duplicate_with_its_basis(client_for, community_in):
    community = community_in("fuyang", name="春江社区")
    world.create("fuyang", community)
    html = precheck_panel(client_for("street_fuchun"),
                          {"community": community.pk, "tier": "municipal", "category": "renovation"})
    assert "春江社区市级未来社区" in html
    assert "平台规则" in html
    assert "未发现预审问题" not in html


def test_precheck_panel_on_the_edit_form_does_not_flag_the_project_itself(client_for, community_in):
    community = community_in("fuyang", has_villas=True)
    project = world.create("fuyang", community)
    html = precheck_panel(client_for("street_fuchun"),
                          {"tier": "municipal", "category": "renovation", "batch_year": "2026"},
                          project=project)
    assert "请先填写" not in html  # the disabled community field is the project's own
    assert "不得重复申报" not in html
    # 富阳 四(三)：“创建项目实施单元范围内无别墅、排屋、洋房等高档住宅”
    assert "别墅" in html and "富阳 四(三)" in html
    assert "征求意见稿" in html  # the policy is named with its draft status


def test_county_tier_under_fuyang_in_the_panel_gives_its_basis(client_for, community_in):
    community = community_in("fuyang")
    html = precheck_panel(client_for("street_fuchun"),
                          {"community": community.pk, "tier": "county", "category": "renovation"})
    # 富阳 四(三)：“开展市级及以上未来社区创建”
    assert "没有县级未来社区" in html and "富阳 四(三)" in html


def test_precheck_panel_says_which_fields_are_missing(client_for):
    html = precheck_panel(client_for("street_fuchun"), {"tier": "municipal"})
    assert "请先填写社区、创建类型" in html


def test_jiaxing_leading_group_may_return_or_refuse_at_shending(api_for):
    # 嘉兴 二(二)6：“市级未来社区,经市风貌办初审通过后报领导小组审定后命名”
    project = world.drive("jiaxing", "municipal", listed_on=dt.date(2025, 1, 10),
                          accepted_on=dt.date(2025, 6, 1))
    assert project.status == Status.ACCEPTED
    api = api_for("leader_jiaxing")
    actions = {a["action"] for a in api.get(f"/api/projects/{project.pk}/").json()["available_actions"]}
    assert {"record_naming", "return", "reject"} <= actions
    response = api.post(f"/api/projects/{project.pk}/actions/",
                        {"action": "return", "comment": "请补充运营方案"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "listed"


def test_jiaxing_leading_group_refusal_ends_the_application(api_for):
    project = world.drive("jiaxing", "municipal", listed_on=dt.date(2025, 1, 10),
                          accepted_on=dt.date(2025, 6, 1))
    response = api_for("leader_jiaxing").post(f"/api/projects/{project.pk}/actions/",
                                              {"action": "reject", "comment": "审定不予命名"},
                                              format="json")
    assert (response.status_code, response.json()["status"]) == (200, "rejected")
    # other offices cannot 审定
    other = world.drive("jiaxing", "municipal", listed_on=dt.date(2025, 1, 10),
                        accepted_on=dt.date(2025, 6, 1))
    refused = api_for("city_jiaxing").post(f"/api/projects/{other.pk}/actions/",
                                           {"action": "reject", "comment": "x"}, format="json")
    assert refused.status_code == 403


def test_municipal_project_listed_before_august_2023_binds_to_shaoxing_2023_and_says_so(users):
    # 绍兴2019 (in force until 2023-07-31) knows 省级试点 only; 绍兴2023 附件 counts 市级 for 2023 whole
    from projects import services

    project = world.create("shaoxing", tier="municipal")
    project = world.listed(project, "shaoxing", dt.date(2023, 5, 10))
    assert project.policy_code == "shaoxing-2023"
    [note] = services.policy_notes(project)
    assert note.code == "bound_to_later_policy" and "绍兴2019" in note.message


def test_fuyang_project_listed_in_2024_is_flagged_beyond_the_plan_period_until_continued(api_for):
    # 富阳 行动方案（2021-2023年）: a project listed in 2024 keeps the last version, flagged
    project = world.create("fuyang")
    project = world.listed(project, "fuyang", dt.date(2024, 3, 1))
    notes = api_for("street_fuchun").get(f"/api/projects/{project.pk}/").json()["policy_notes"]
    assert [n["code"] for n in notes] == ["beyond_policy_period"]
    assert "超出文件执行期" in notes[0]["message"] and "沿用" in notes[0]["message"]
    version = project.policy_version
    version.continuation_document_no = "富政办发〔2024〕3号"
    version.save()
    assert api_for("street_fuchun").get(f"/api/projects/{project.pk}/").json()["policy_notes"] == []
