"""年度目标管理考核 (issue 17 item 3): 嘉兴 三(三) “各县(市、区)将未来社区建设工作纳入年度目标管理考核”.
Per 嘉兴 district and year: each target line with its target, actual, result and basis, and a ranking
under the platform's stated criteria. Expected values written by hand from the clauses quoted."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.assessment import assessment_board
from dashboards.permissions import can_view_assessment
from portal import exports
from portal.menu import items_for
from projects.models import Status
from tests.world import projects

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 30)
JIANSHE = "330402007"  # 南湖区
XIUZHOU_STREETS = ["330411002", "330411003", "330411004", "330411005", "330411101", "330411103",
                   "330411104", "330411105", "330411106"]  # 秀洲区: all 9 镇、街道 of fixtures/regions.csv
YEARLY = "每个镇（街道）每年至少申报1个未来社区创建项目（不限级别）"


def rows(user, params, key="assessment"):
    board = assessment_board(user, params, TODAY)
    found = next(t for t in board.tables if t.key == key)
    return [dict(zip(found.columns, row, strict=True)) for row in found.rows], found


def test_each_town_and_street_applies_every_year_per_district_with_ranking(users):
    # 嘉兴 二(二)5：“在2022年基础上，各镇(街道)每年至少申报1个以上未来社区创建项目”
    for code in XIUZHOU_STREETS:
        projects(code, 1, Status.SUBMITTED, batch_year=2024, listed_on=None)
    projects(JIANSHE, 2, Status.SUBMITTED, batch_year=2024, listed_on=None)
    projects(JIANSHE, 1, Status.DRAFT, batch_year=2024, listed_on=None)  # 草稿: not an application
    lines, _ = rows(users["city_jiaxing"], {"year": "2024"})
    yearly = {r["县（市、区）"]: r for r in lines if r["目标"] == YEARLY}
    assert len(yearly) == 7  # 嘉兴's 7 县(市、区)
    assert [yearly["秀洲区"][c] for c in ("目标值", "实际值", "完成情况", "依据")] == [
        "9个镇（街道）各至少1个", "9个镇（街道）已申报，共9个项目", "达标", "嘉兴 二(二)5"]
    assert [yearly["南湖区"][c] for c in ("目标值", "实际值", "完成情况")] == [
        "13个镇（街道）各至少1个", "1个镇（街道）已申报，共2个项目", "未达标"]
    assert yearly["海宁市"]["实际值"] == "0个镇（街道）已申报，共0个项目"
    # 一(三)/二(二)5 60% coverage by 2025: shown in 2024, not judged before its year
    coverage = [r for r in lines if r["县（市、区）"] == "秀洲区" and r["目标值"] == "60.0%"]
    assert [r["完成情况"] for r in coverage] == ["不判断（目标年度为2025年）"]

    ranking, table = rows(users["city_jiaxing"], {"year": "2024"}, "assessment_ranking")
    # platform criteria: met lines, then share of streets that applied, then applications; ties share a place
    assert [(r["名次"], r["县（市、区）"]) for r in ranking[:2]] == [(1, "秀洲区"), (2, "南湖区")]
    assert [r["名次"] for r in ranking[2:]] == [3, 3, 3, 3, 3]
    assert str(ranking[1]["已申报镇（街道）占比"]) == "7.7%"  # 1 of 13
    assert "平台拟定，非文件规定" in table.total[-1]


def test_coverage_of_2025_is_judged_at_the_end_of_2025(users):
    # 嘉兴 二(二)5：“各县(市、区)按照到2025年创建省级未来社区覆盖60%左右的城镇社区目标”
    projects(JIANSHE, 3, tier="provincial", listed_on=D(2025, 3, 1))
    projects(JIANSHE, 2, Status.SUBMITTED, listed_on=None)
    projects(JIANSHE, 1, tier="provincial", listed_on=D(2026, 2, 1), batch_year=2026)  # after the cutoff
    lines, _ = rows(users["district_nanhu"], {"year": "2025"})
    assert {r["县（市、区）"] for r in lines} == {"南湖区"}  # a district user: his own district only
    [coverage] = [r for r in lines if r["目标值"] == "60.0%"]
    # 6 communities on file, 3 with a provincial project listed by 2025-12-31
    assert (coverage["实际值"], coverage["完成情况"]) == ("50.0%", "未达标")
    assert "分母6个，分子3个" in coverage["统计口径"] and coverage["依据"].startswith("嘉兴 二(二)5")
    [yearly] = [r for r in lines if r["目标"] == YEARLY]
    assert yearly["实际值"] == "1个镇（街道）已申报，共5个项目"  # batch 2025: 3 listed + 2 submitted


def test_2023_adds_the_full_coverage_of_towns_by_provincial_applications(users):
    # 嘉兴 一(三)：“每个镇(街道)申报1个以上省级未来社区创建项目,实现未来社区镇(街道)创建全覆盖。到2023年底…”
    projects(JIANSHE, 1, Status.SUBMITTED, tier="provincial", batch_year=2023, listed_on=None)
    lines, _ = rows(users["district_nanhu"], {"year": "2023"})
    [full] = [r for r in lines if r["依据"] == "嘉兴 一(三)"]
    assert (full["目标值"], full["实际值"], full["完成情况"]) == ("13个镇（街道）全覆盖", "1个", "未达标")
    assert len(lines) == 3  # 二(二)5 yearly, 一(三) full coverage, the 2025 coverage (not judged yet)
    assert not [r for r in rows(users["district_nanhu"], {"year": "2026"})[0] if r["依据"] == "嘉兴 一(三)"]


@pytest.mark.parametrize("username, allowed", [
    ("city_jiaxing", True), ("leader_jiaxing", True), ("finance_jiaxing", True), ("district_nanhu", True),
    ("admin", True), ("street_jianshe", False), ("city_shaoxing", False), ("district_yuecheng", False),
    ("district_fuyang", False),
])
def test_who_may_read_the_assessment(users, client_for, username, allowed):
    user = users[username]
    assert can_view_assessment(user)[0] is allowed
    assert client_for(username).get(reverse("dashboards:assessment")).status_code == (200 if allowed else 403)
    assert client_for(username).get(reverse("dashboards:assessment_csv")).status_code == (200 if allowed else 403)
    urls = [item["url"] for item in items_for(user)]
    assert (reverse("dashboards:assessment") in urls) is allowed


def test_another_district_is_not_found_for_a_district_user(users, client_for):
    url = reverse("dashboards:assessment")
    assert client_for("district_nanhu").get(url, {"district": "330411"}).status_code == 404
    assert client_for("district_nanhu").get(url, {"district": "330402"}).status_code == 200
    assert client_for("city_jiaxing").get(url, {"district": "330411"}).status_code == 200


def test_page_and_exports_state_basis_scope_and_the_platforms_criteria(users, client_for):
    projects(JIANSHE, 1, Status.SUBMITTED, batch_year=2026, listed_on=None)
    client = client_for("city_jiaxing")
    page = client.get(reverse("dashboards:assessment")).content.decode()
    assert "嘉兴 三(三)" in page and "排名标准为平台拟定，非文件规定" in page
    csv = client.get(reverse("dashboards:assessment_csv"), {"table": "assessment"}).content.decode("utf-8-sig")
    assert "依据" in csv and "统计口径" in csv and "嘉兴 二(二)5" in csv
    assert "1个镇（街道）已申报，共1个项目" in csv
    xlsx = client.get(reverse("dashboards:assessment_xlsx"))
    assert xlsx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(xlsx.content))
    # the registered export kind (报表导出) writes the same lines, with the platform's criteria
    kind = exports.get_kind("assessment")
    assert kind.count(users["city_jiaxing"], {"year": 2026}) == 7  # one line per district in 2026
    assert kind.count(users["city_shaoxing"], {"year": 2026}) == 0
    download = client.get(reverse("portal:export", args=["assessment"]), {"format": "csv", "year": "2026"})
    text = b"".join(download.streaming_content if download.streaming else [download.content]).decode("utf-8-sig")
    assert "南湖区" in text and "平台拟定" in text and "第1名" in text


def test_query_count_does_not_grow_with_projects(users, client_for):
    url = reverse("dashboards:assessment")
    client = client_for("city_jiaxing")
    projects(JIANSHE, 1, Status.SUBMITTED, batch_year=2025, listed_on=None)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"year": "2025"}).status_code == 200
    for code in XIUZHOU_STREETS:
        projects(code, 3, tier="provincial", listed_on=D(2025, 4, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, {"year": "2025"}).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("params, code", [
    ({"year": "２０２４"}, 200), ({"year": "2²"}, 200), ({"year": "9" * 40}, 200), ({"year": "2019"}, 200),
    ({"district": "330602"}, 404),  # 越城区: not 嘉兴's
    ({"year": "2024\x00"}, 400), ({"district": "\x00"}, 400),  # control characters: the portal's 400
])
def test_bad_filters_fall_back_or_are_refused_never_an_error(client_for, params, code):
    client = client_for("city_jiaxing")
    response = client.get(reverse("dashboards:assessment"), params)
    assert response.status_code == code
    if code == 200:  # an unreadable or unassessed year falls back to the current one
        title = re.compile(r"年度目标管理考核表（\d{4}年）")
        default = client.get(reverse("dashboards:assessment")).content.decode()
        assert title.search(response.content.decode()).group() == title.search(default).group()
