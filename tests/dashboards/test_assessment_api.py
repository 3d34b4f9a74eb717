"""API of 年度目标管理考核 (嘉兴 三(三) “各县(市、区)将未来社区建设工作纳入年度目标管理考核”): the page's
function and permission through /api/assessments/. Data setup of test_assessment.py; expected values
written by hand from 嘉兴 二(二)5 “各镇(街道)每年至少申报1个以上未来社区创建项目”."""

import pytest

from projects.models import Status
from tests.dashboards.test_assessment import JIANSHE, XIUZHOU_STREETS, YEARLY
from tests.world import projects

pytestmark = pytest.mark.django_db


def test_lines_and_ranking_of_the_year(users, api_for):
    for code in XIUZHOU_STREETS:
        projects(code, 1, Status.SUBMITTED, batch_year=2024, listed_on=None)
    projects(JIANSHE, 2, Status.SUBMITTED, batch_year=2024, listed_on=None)
    projects(JIANSHE, 1, Status.DRAFT, batch_year=2024, listed_on=None)  # 草稿: not an application
    response = api_for("city_jiaxing").get("/api/assessments/", {"year": "2024"})
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2024 and data["basis"].startswith("嘉兴 三(三)")
    assert "平台拟定，非文件规定" in data["ranking_criteria"]
    districts = {d["name"]: d for d in data["districts"]}
    assert len(districts) == 7  # 嘉兴's 7 县(市、区)
    assert [(d["rank"], d["name"]) for d in data["districts"][:2]] == [(1, "秀洲区"), (2, "南湖区")]
    assert [d["rank"] for d in data["districts"][2:]] == [3, 3, 3, 3, 3]
    nanhu = districts["南湖区"]
    assert (nanhu["code"], nanhu["met"], nanhu["applications"], nanhu["streets_share"]) == ("330402", 0, 2, "7.7%")
    [yearly] = [line for line in districts["秀洲区"]["lines"] if line["target"] == YEARLY]
    assert [yearly[k] for k in ("year", "goal", "actual", "result", "basis")] == [
        "2024", "9个镇（街道）各至少1个", "9个镇（街道）已申报，共9个项目", "达标", "嘉兴 二(二)5"]
    coverage = [line for line in districts["秀洲区"]["lines"] if line["goal"] == "60.0%"]
    assert [line["result"] for line in coverage] == ["不判断（目标年度为2025年）"]


def test_a_district_user_sees_his_own_district_and_another_is_not_found(users, api_for):
    api = api_for("district_nanhu")
    data = api.get("/api/assessments/", {"year": "2024"}).json()
    assert [d["name"] for d in data["districts"]] == ["南湖区"]
    assert api.get("/api/assessments/", {"district": "330402"}).status_code == 200
    assert api.get("/api/assessments/", {"district": "330411"}).status_code == 404  # 秀洲区
    assert api_for("city_jiaxing").get("/api/assessments/", {"district": "330602"}).status_code == 404  # 越城区
    one = api_for("city_jiaxing").get("/api/assessments/", {"district": "330411", "year": "2024"}).json()
    assert [d["name"] for d in one["districts"]] == ["秀洲区"]


@pytest.mark.parametrize("username", ["street_jianshe", "city_shaoxing", "district_fuyang"])
def test_refused_with_the_reason_like_the_page(users, api_for, username):
    response = api_for(username).get("/api/assessments/")
    assert response.status_code == 403
    assert "仅嘉兴市级单位和各县（市、区）单位可以查看" in response.content.decode()


@pytest.mark.parametrize("params, field", [
    ({"year": "２０２４"}, "year"), ({"year": "2²"}, "year"), ({"year": "9" * 40}, "year"),
    ({"year": "2022"}, "year"),  # before the first assessed year (2023)
    ({"year": "2024\x00"}, "year"), ({"district": "\x00"}, "district"), ({"district": "３３０４０２"}, "district"),
])
def test_bad_parameters_are_refused_naming_them(users, api_for, params, field):
    response = api_for("city_jiaxing").get("/api/assessments/", params)
    assert response.status_code == 400
    assert field in response.content.decode()  # the message names the parameter
