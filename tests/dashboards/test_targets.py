"""目标考核 board (issue 16 item 11): each target of the documents per year and per unit,
with its basis and 统计口径. Expected values written by hand from the clauses quoted."""

import datetime as dt

import pytest

from communities.models import Community, Region
from dashboards.targets import targets_board
from projects.models import Status
from tests.world import projects

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 23)
FUCHUN, XINDENG, CHANGKOU = "330111001", "330111115", "330111110"
TASHAN, KEQIAO, JIANSHE = "330602001", "330603001", "330402007"


def table(user, key):
    board = targets_board(user, {}, TODAY)
    found = next(t for t in board.tables if t.key == key)
    return [dict(zip(found.columns, row, strict=True)) for row in found.rows]


def test_fuyang_every_street_and_key_township_completes_one_by_end_2023(users):
    # 富阳 三：“在2023年底前每个街道（重点乡镇）至少创建完成1个未来社区项目”
    Region.objects.filter(code=XINDENG).update(is_key_township=True)
    projects(FUCHUN, 1, Status.ACCEPTED, accepted_on=D(2023, 6, 1), listed_on=D(2022, 3, 1))
    projects(XINDENG, 1, Status.ACCEPTED, accepted_on=D(2024, 2, 1), listed_on=D(2022, 3, 1))  # too late
    projects(CHANGKOU, 1, Status.ACCEPTED, accepted_on=D(2023, 2, 1), listed_on=D(2022, 3, 1))  # not assessed
    rows = table(users["district_fuyang"], "targets_fuyang")
    # 富阳区 has 5 街道 (富春、春江、鹿山、东洲、银湖) plus the key township 新登镇
    assert [r["考核对象"] for r in rows] == ["富春街道", "春江街道", "鹿山街道", "东洲街道", "银湖街道",
                                          "新登镇（重点乡镇）"]
    by_unit = {r["考核对象"]: (r["实际值"], r["完成情况"]) for r in rows}
    assert by_unit["富春街道"] == ("1个", "达标")
    assert by_unit["新登镇（重点乡镇）"] == ("0个", "未达标")
    assert all(r["依据"] == "富阳 三" and "重点乡镇" in r["统计口径"] for r in rows)


def test_shaoxing_2019_each_district_one_provincial_pilot_by_2021(users):
    # 绍兴2019 二(二)：“确保到2021年底，各区、县(市)各培育建设1个省级试点项目”
    projects(TASHAN, 1, tier="provincial", listed_on=D(2021, 5, 1), policy_code="shaoxing-2019")
    projects(KEQIAO, 1, tier="provincial", listed_on=D(2022, 5, 1), policy_code="shaoxing-2019")
    rows = {r["考核对象"]: r for r in table(users["city_shaoxing"], "targets_shaoxing_2019")}
    assert (rows["越城区"]["实际值"], rows["越城区"]["完成情况"]) == ("1个", "达标")
    assert (rows["柯桥区"]["实际值"], rows["柯桥区"]["完成情况"]) == ("0个", "未达标")
    # 一(三)：“到2021年底，培育建设省级试点6个左右”
    assert (rows["绍兴市"]["目标值"], rows["绍兴市"]["实际值"], rows["绍兴市"]["依据"]) == (
        "6个", "1个", "绍兴2019 一(三)")


def test_shaoxing_linked_old_estate_share_per_district(users):
    # 绍兴2023 二(一)：“旧改类联动老旧小区改造，原则上联动建设比例不少于旧改类社区的50%”
    projects(TASHAN, 1, linked_old_estate_renovation=True)
    projects(TASHAN, 1, linked_old_estate_renovation=False)
    projects(KEQIAO, 3, linked_old_estate_renovation=False)
    projects(KEQIAO, 1, category="new_build")  # not 旧改类
    rows = {r["考核对象"]: r for r in table(users["city_shaoxing"], "targets_shaoxing")
            if r["目标"] == "旧改类联动老旧小区改造比例"}
    assert (rows["越城区"]["实际值"], rows["越城区"]["完成情况"]) == ("50.0%", "达标")
    assert (rows["柯桥区"]["实际值"], rows["柯桥区"]["完成情况"]) == ("0.0%", "未达标")
    assert "旧改类项目3个" in rows["柯桥区"]["统计口径"]


def test_shaoxing_urban_coverage_counts_only_urban_communities_and_says_so(users):
    # 绍兴2023 一：“覆盖全市城镇社区数量88%以上”
    [covered] = projects(TASHAN, 1)
    Community.objects.filter(street__parent__parent__code="3306").exclude(pk=covered.community_id).update(
        is_urban=False)
    projects(KEQIAO, 1)  # a second created project, its community then marked not urban
    Community.objects.filter(projects__street__code=KEQIAO).update(is_urban=False)
    [row] = [r for r in table(users["city_shaoxing"], "targets_shaoxing") if r["目标"] == "未来社区覆盖城镇社区比例"]
    assert (row["目标值"], row["实际值"], row["完成情况"]) == ("88.0%", "100.0%", "达标")
    assert "分母1个，分子1个" in row["统计口径"] and "城镇社区" in row["统计口径"]


def test_shaoxing_300_by_2026_is_judged_only_for_the_whole_city(users):
    # 绍兴2023 一：“到2026年，建设未来社区300个以上”
    projects(TASHAN, 2)
    [row] = [r for r in table(users["city_shaoxing"], "targets_shaoxing") if r["目标值"] == "300个"]
    assert (row["实际值"], row["完成情况"], row["依据"]) == ("2个", "未达标", "绍兴2023 一")
    [row] = [r for r in table(users["district_yuecheng"], "targets_shaoxing") if r["目标值"] == "300个"]
    assert row["完成情况"].startswith("不判断")


def test_jiaxing_2023_every_town_and_street_applies_for_provincial(users):
    # 嘉兴 一(三)：“每个镇(街道)申报1个以上省级未来社区创建项目,实现未来社区镇(街道)创建全覆盖”
    projects(JIANSHE, 1, Status.SUBMITTED, tier="provincial", batch_year=2023, listed_on=None)
    [row] = table(users["district_nanhu"], "targets_jiaxing")
    # 南湖区: 13 镇、街道 in fixtures/regions.csv, one of which applied
    assert (row["考核对象"], row["目标值"], row["实际值"], row["完成情况"], row["依据"]) == (
        "南湖区", "13个镇（街道）全覆盖", "1个", "未达标", "嘉兴 一(三)")


def test_old_town_areas_and_units_built_and_areas_started_per_year(users):
    # 绍兴2023 二(二)：“明确9大片区、18个单元建设时序和建设主体…围绕2026年全面建成的目标要求…
    # 原则上每年至少建设2个片区”
    from communities.models import OldTownArea, OldTownUnit

    yuecheng = Region.objects.get(code="330602")
    first = OldTownArea.objects.create(district=yuecheng, name="书圣故里片区", build_order=1, planned_year=2023)
    second = OldTownArea.objects.create(district=yuecheng, name="鲁迅故里片区", build_order=2, planned_year=2024)
    a1 = OldTownUnit.objects.create(area=first, name="单元一", build_order=1)
    a2 = OldTownUnit.objects.create(area=first, name="单元二", build_order=2)
    b1 = OldTownUnit.objects.create(area=second, name="单元三", build_order=1)
    projects(TASHAN, 1, Status.ACCEPTED, old_town_unit=a1, listed_on=D(2023, 3, 1), accepted_on=D(2024, 1, 5))
    projects(TASHAN, 1, Status.NAMED, old_town_unit=a2, listed_on=D(2023, 9, 1), accepted_on=D(2024, 6, 1))
    projects(TASHAN, 1, Status.LISTED, old_town_unit=b1, listed_on=D(2024, 4, 1))
    rows = {(r["目标"], r["目标年度"]): r for r in table(users["district_yuecheng"], "targets_old_town")}
    areas = rows[("古城全域未来社区片区（建成）", "2026")]
    assert (areas["目标值"], areas["实际值"], areas["完成情况"]) == ("9个", "1个", "未达标")
    assert "已录入片区2个、单元3个" in areas["统计口径"]
    assert rows[("古城全域未来社区单元（建成）", "2026")]["实际值"] == "2个"
    assert rows[("古城每年至少建设片区（开工）", "2023")]["实际值"] == "1个"
    assert rows[("古城每年至少建设片区（开工）", "2024")]["实际值"] == "1个"
    board = targets_board(users["district_yuecheng"], {}, TODAY)
    sequence = next(t for t in board.tables if t.key == "old_town_sequence")
    assert [(r[1], r[3], r[7]) for r in sequence.rows] == [
        ("书圣故里片区", "单元一", "已建成"), ("书圣故里片区", "单元二", "已建成"),
        ("鲁迅故里片区", "单元三", "建设中")]
    assert all(t.key != "targets_old_town" for t in targets_board(users["district_fuyang"], {}, TODAY).tables)


def test_neighbourhood_centre_plan_against_centres_built_per_district_and_year(users):
    # 绍兴2023 二(四)：“各区、县（市）…编制邻里中心布点规划和三年建设计划，有序推进相对集中的邻里中心建设，
    # 原则上一个社区配置一个邻里中心”
    from communities.models import NeighbourhoodCentrePlan

    yuecheng = Region.objects.get(code="330602")
    NeighbourhoodCentrePlan.objects.create(district=yuecheng, site="塔山邻里中心", planned_year=2024,
                                           built_on=D(2024, 10, 1))
    NeighbourhoodCentrePlan.objects.create(district=yuecheng, site="府山邻里中心", planned_year=2024,
                                           built_on=D(2025, 3, 1))  # late
    NeighbourhoodCentrePlan.objects.create(district=yuecheng, site="北海邻里中心", planned_year=2027)
    rows = {r["目标年度"]: r for r in table(users["district_yuecheng"], "targets_centres")}
    assert (rows["2024"]["目标值"], rows["2024"]["实际值"], rows["2024"]["完成情况"]) == ("2个", "1个", "未达标")
    assert "至今已建成2个" in rows["2024"]["统计口径"]
    assert (rows["2027"]["实际值"], rows["2027"]["完成情况"]) == ("0个", "计划年度未结束")
    assert rows["2024"]["依据"] == "绍兴2023 二(四)"
    assert all(t.key != "targets_centres" for t in targets_board(users["district_fuyang"], {}, TODAY).tables)


def test_shaoxing_provincial_coverage_increase_per_year(users):
    # 绍兴2023 二(一)：“到2025年，省级未来社区覆盖率每年递增10%左右”; the platform reads it as
    # coverage (urban communities with a provincial project ÷ urban communities) at the year's
    # end minus the year before's, a community counted once, from its first provincial listing.
    early = projects(TASHAN, 2, tier="provincial", listed_on=D(2022, 4, 1))
    projects(TASHAN, 1, tier="provincial", listed_on=D(2023, 6, 1))
    projects(TASHAN, 1, tier="provincial", listed_on=D(2024, 5, 1), of=early[0].community)  # covered already
    projects(TASHAN, 1, tier="provincial", listed_on=D(2024, 7, 1), of=early[1].community)
    municipal = projects(TASHAN, 6)  # urban, never provincial
    urban = [p.community_id for p in [*early, *municipal]] + [
        c.pk for c in Community.objects.filter(projects__listed_on=D(2023, 6, 1))]
    Community.objects.filter(street__parent__parent__code="3306").update(is_urban=False)
    Community.objects.filter(pk__in=urban).update(is_urban=True)
    assert len(set(urban)) == 9
    rows = {r["目标年度"]: r for r in table(users["city_shaoxing"], "targets_shaoxing")
            if r["目标"] == "省级未来社区覆盖率每年递增（10%左右）"}
    assert set(rows) == {"2023", "2024", "2025"}
    # end 2022: 2 of 9; end 2023: 3 of 9 (+11.1%); 2024 and 2025: still 3 (+0.0%)
    assert (rows["2023"]["实际值"], rows["2023"]["完成情况"]) == ("11.1%", "达标")
    assert (rows["2024"]["实际值"], rows["2024"]["完成情况"]) == ("0.0%", "未达标")
    assert (rows["2025"]["实际值"], rows["2025"]["目标值"]) == ("0.0%", "10.0%")
