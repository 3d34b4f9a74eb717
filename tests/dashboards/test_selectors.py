"""Dashboard selectors: exact numbers on small known data sets, and the user's scope."""

import datetime as dt

import pytest

from communities.models import Region
from dashboards import selectors as sel
from dashboards.models import RollingLibraryEntry
from projects.models import CreationProject, Status
from tests.world import communities
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db

TASHAN, FUSHAN, KEQIAO = "330602001", "330602002", "330603001"
JIANSHE = "330402007"
FUCHUN, YINHU = "330111001", "330111006"
TODAY = dt.date(2026, 11, 23)


def bare_communities(code, count):
    communities(code, count, prefix="看板")


# ---------------------------------------------------------------- 1. plan vs actual


def plan_fixture():
    bulk_projects(TASHAN, 2, tier="provincial", listed_on=dt.date(2024, 5, 1))
    bulk_projects(FUSHAN, 1, Status.TERMINATED, tier="municipal", listed_on=dt.date(2024, 6, 1))
    bulk_projects(KEQIAO, 3, tier="county", listed_on=dt.date(2023, 2, 1))
    bulk_projects(TASHAN, 1, Status.DRAFT, listed_on=None)
    bulk_projects(JIANSHE, 4, tier="provincial", listed_on=dt.date(2024, 5, 1))


def by_key(rows):
    return {(r["district_name"], r["year"], r["tier"]): (r["planned"], r["actual"]) for r in rows}


def test_plan_vs_actual_counts_listed_projects_per_district_year_and_tier(users):
    plan_fixture()
    rows = sel.plan_vs_actual(users["city_shaoxing"])
    assert len(rows) == 6 * 4 * 3
    table = by_key(rows)
    assert table[("越城区", 2024, "provincial")] == (10, 2)
    assert table[("越城区", 2024, "municipal")] == (6, 1)  # listed in 2024, terminated later
    assert table[("越城区", 2024, "county")] == (4, 0)
    assert table[("柯桥区", 2023, "county")] == (5, 3)
    assert table[("越城区", 2023, "provincial")] == (17, 0)
    assert sum(r["actual"] for r in rows) == 6  # the draft and the Jiaxing projects never count
    assert sum(r["planned"] for r in rows) == 127 + 57 + 57


def test_plan_vs_actual_for_one_year(users):
    plan_fixture()
    rows = sel.plan_vs_actual(users["city_shaoxing"], 2024)
    assert {r["year"] for r in rows} == {2024}
    assert len(rows) == 18
    assert sum(r["actual"] for r in rows) == 3


def test_plan_vs_actual_district_user_sees_only_their_district_street_user_none(users):
    plan_fixture()
    rows = sel.plan_vs_actual(users["district_yuecheng"])
    assert {r["district_name"] for r in rows} == {"越城区"}
    assert sum(r["actual"] for r in rows) == 3
    assert sel.plan_vs_actual(users["street_tashan"]) == []
    assert sel.plan_vs_actual(users["city_jiaxing"]) == []


# ---------------------------------------------------------------- 2. coverage and targets


def coverage_fixture():
    listed = bulk_projects(TASHAN, 3)  # municipal, listed
    bulk_projects(TASHAN, 1, Status.ACCEPTED, tier="provincial")
    bulk_projects(TASHAN, 1, Status.TERMINATED)
    bulk_projects(TASHAN, 1, Status.DRAFT, listed_on=None)
    [named] = bulk_projects(TASHAN, 1, Status.NAMED, tier="provincial")
    # a second project on a community already covered: that community counts once
    CreationProject.objects.filter(pk=named.pk).update(community=listed[0].community)
    bare_communities(TASHAN, 2)
    bulk_projects(KEQIAO, 2, tier="provincial")
    bulk_projects(JIANSHE, 1, tier="provincial")
    bulk_projects(JIANSHE, 1, tier="municipal")
    bare_communities(JIANSHE, 1)


def coverage(user):
    return [(r["city_code"], r["district_name"], r["communities"], r["covered"], r["covered_provincial"])
            for r in sel.coverage_by_district(user)]


def test_coverage_counts_communities_on_file_and_covered_ones(users):
    coverage_fixture()
    assert coverage(users["admin"]) == [
        ("3304", "南湖区", 3, 2, 1),
        ("3306", "越城区", 9, 4, 2),
        ("3306", "柯桥区", 2, 2, 2),
    ]


def test_coverage_is_scoped(users):
    coverage_fixture()
    assert coverage(users["district_yuecheng"]) == [("3306", "越城区", 9, 4, 2)]
    assert coverage(users["street_jianshe"]) == [("3304", "南湖区", 3, 2, 1)]
    assert coverage(users["city_jiaxing"]) == [("3304", "南湖区", 3, 2, 1)]
    assert coverage(users["district_fuyang"]) == []


def test_jiaxing_cumulative_targets_count_stages_by_their_dates(users):
    d = dt.date
    bulk_projects(JIANSHE, 1, Status.LISTED, tier="provincial", listed_on=d(2023, 6, 1))
    bulk_projects(JIANSHE, 1, Status.ACCEPTED, tier="provincial", listed_on=d(2023, 3, 1),
                  accepted_on=d(2024, 5, 1))
    bulk_projects(JIANSHE, 1, Status.NAMED, tier="provincial", listed_on=d(2022, 1, 1),
                  accepted_on=d(2023, 10, 1), named_on=d(2023, 12, 1))
    bulk_projects(JIANSHE, 1, Status.TERMINATED, tier="provincial", listed_on=d(2023, 2, 1))
    bulk_projects(JIANSHE, 1, Status.LISTED, tier="provincial", listed_on=d(2025, 2, 1))
    bulk_projects(JIANSHE, 1, Status.NAMED, tier="municipal", listed_on=d(2022, 1, 1),
                  accepted_on=d(2023, 9, 1), named_on=d(2023, 11, 1))
    bulk_projects(JIANSHE, 1, Status.NAMED, tier="municipal", listed_on=d(2023, 1, 1),
                  accepted_on=d(2024, 9, 1), named_on=d(2025, 1, 10))
    bulk_projects(JIANSHE, 1, Status.ACCEPTED, tier="municipal", accepted_on=d(2024, 1, 1))
    bulk_projects(TASHAN, 5, Status.NAMED, tier="provincial", accepted_on=d(2023, 1, 1),
                  named_on=d(2023, 2, 1), listed_on=d(2022, 1, 1))
    rows = sel.jiaxing_cumulative(users["city_jiaxing"], TODAY)
    got = [(r["key"], r["year"], r["target"], r["actual"]) for r in rows]
    assert got == [
        ("provincial_created", 2023, 120, 3), ("provincial_created", 2025, 260, 4),
        ("provincial_built", 2023, 20, 1), ("provincial_built", 2025, 50, 2),
        ("municipal_named", 2023, 50, 1), ("municipal_named", 2025, 200, 2),
    ]
    assert all(r["basis"] == "嘉兴 一(三)" for r in rows)
    assert [r["actual"] for r in sel.jiaxing_cumulative(users["city_shaoxing"], TODAY)] == [0] * 6


def test_jiaxing_cumulative_counts_up_to_today_while_the_year_is_ahead(users):
    bulk_projects(JIANSHE, 1, Status.LISTED, tier="provincial", listed_on=dt.date(2025, 6, 1))
    rows = sel.jiaxing_cumulative(users["city_jiaxing"], dt.date(2025, 3, 1))
    created_2025 = next(r for r in rows if r["key"] == "provincial_created" and r["year"] == 2025)
    assert (created_2025["cutoff"], created_2025["actual"]) == (dt.date(2025, 3, 1), 0)


# ---------------------------------------------------------------- 3. street quotas


def quota_fixture():
    bulk_projects(TASHAN, 1, listed_on=dt.date(2025, 4, 1))  # municipal listed 2025
    bulk_projects(TASHAN, 1, tier="provincial", listed_on=dt.date(2025, 4, 1))  # other tier
    bulk_projects(TASHAN, 1, listed_on=dt.date(2024, 4, 1))  # other year
    bare_communities(TASHAN, 7)  # 塔山: 10 communities on file → 2 required
    bulk_projects(FUSHAN, 1, listed_on=dt.date(2025, 8, 1))
    for status in (Status.SUBMITTED, Status.REJECTED, Status.DRAFT, Status.WITHDRAWN, Status.RESERVE):
        bulk_projects(JIANSHE, 1, status, tier="provincial", batch_year=2025, listed_on=None)
    bulk_projects(JIANSHE, 1, Status.SUBMITTED, tier="provincial", batch_year=2024, listed_on=None)


def quota_rows(user, year=2025):
    return {r["code"]: (r["community_count"], r["required"], r["count"], r["met"])
            for r in sel.street_quotas(user, year)}


def test_street_quotas_shaoxing_municipal_and_jiaxing_provincial_applications(users):
    quota_fixture()
    rows = quota_rows(users["admin"])
    assert rows[TASHAN] == (10, 2, 1, False)
    assert rows[FUSHAN] == (1, 1, 1, True)
    assert rows[KEQIAO] == (0, 1, 0, False)
    assert rows[JIANSHE] == (5 + 1, 1, 2, True)  # submitted + rejected were applications
    assert FUCHUN not in rows  # Fuyang has no yearly street quota here
    # 绍兴2023 二(一) assesses 街道 only; 嘉兴 二(二)5 every 镇(街道)
    shaoxing_jiedao = Region.objects.filter(level="street", parent__parent__code="3306", kind="街道",
                                            is_active=True).count()
    jiaxing_all = Region.objects.filter(level="street", parent__parent__code="3304", is_active=True).count()
    assert len(rows) == shaoxing_jiedao + jiaxing_all
    assert quota_rows(users["admin"], 2024)[TASHAN] == (10, 2, 1, False)


def test_street_quotas_targets_and_basis_come_from_the_policies(users):
    quota_fixture()
    rows = {r["code"]: r for r in sel.street_quotas(users["admin"], 2025)}
    assert rows[TASHAN]["quota"]["key"] == "municipal_per_street_10_plus_communities"
    assert rows[FUSHAN]["quota"]["basis"] == "绍兴2023 二(一)"
    assert rows[JIANSHE]["quota"]["basis"] == "嘉兴 二(二)5"


def test_street_quotas_scope(users):
    quota_fixture()
    yuecheng = sel.street_quotas(users["district_yuecheng"], 2025)
    assert {r["district_code"] for r in yuecheng} == {"330602"}
    assert len(yuecheng) == Region.objects.filter(parent__code="330602", is_active=True, kind="街道").count()
    assert quota_rows(users["street_tashan"]) == {TASHAN: (10, 2, 1, False)}
    assert set(quota_rows(users["street_jianshe"])) == {JIANSHE}
    assert sel.street_quotas(users["street_fuchun"], 2025) == []


def test_shaoxing_towns_and_townships_are_not_assessed_for_the_street_quota(users):
    # 绍兴2023 二(一)：“所有街道均需开展市级未来社区建设，原则上每个街道每年不少于1个”
    rows = {r["code"]: r for r in sel.street_quotas(users["admin"], 2025)}
    towns = Region.objects.filter(parent__parent__code="3306", kind__in=["镇", "乡"])
    assert towns.count() > 50  # 绍兴 has more towns and townships than streets
    assert not [code for code in towns.values_list("code", flat=True) if code in rows]
    jiaxing_town = Region.objects.filter(parent__parent__code="3304", kind="镇").first()
    assert jiaxing_town.code in rows  # 嘉兴 二(二)5 “各镇(街道)”


def test_administrators_community_count_decides_the_10_community_threshold_and_says_so(users):
    # 绍兴2023 二(一)：“其中下辖社区10个及以上的街道每年不少于2个”
    quota_fixture()  # 塔山: 10 communities on file
    Region.objects.filter(code=TASHAN).update(community_count=9)
    Region.objects.filter(code=FUSHAN).update(community_count=12)
    rows = {r["code"]: r for r in sel.street_quotas(users["admin"], 2025)}
    assert (rows[TASHAN]["community_count"], rows[TASHAN]["required"]) == (9, 1)
    assert rows[TASHAN]["count_source"] == "管理员维护的下辖社区数"
    assert (rows[FUSHAN]["community_count"], rows[FUSHAN]["required"], rows[FUSHAN]["met"]) == (12, 2, False)
    assert rows[KEQIAO]["count_source"].startswith("平台在册社区数")


def test_jiaxing_yearly_application_counts_any_tier(users):
    # 嘉兴 二(二)5：“各镇(街道)每年至少申报1个以上未来社区创建项目” — no tier named
    bulk_projects(JIANSHE, 1, Status.SUBMITTED, tier="municipal", batch_year=2025, listed_on=None)
    rows = {r["code"]: r for r in sel.street_quotas(users["admin"], 2025)}
    assert (rows[JIANSHE]["count"], rows[JIANSHE]["met"]) == (1, True)


# ---------------------------------------------------------------- 4. overdue


def overdue_fixture():
    past = dt.date(2026, 3, 1)
    bulk_projects(TASHAN, 3, construction_deadline=past)
    bulk_projects(TASHAN, 1, construction_deadline=dt.date(2027, 1, 1))
    bulk_projects(TASHAN, 1, Status.ACCEPTANCE_REQUESTED, construction_deadline=past)
    bulk_projects(TASHAN, 1, Status.RECTIFYING, construction_deadline=past)
    bulk_projects(TASHAN, 1, Status.ACCEPTED, construction_deadline=past)
    bulk_projects(FUSHAN, 1, construction_deadline=past)
    bulk_projects(KEQIAO, 1, construction_deadline=past)
    bulk_projects(JIANSHE, 2, construction_deadline=past)


def overdue(user):
    return {r["name"]: (r["listed"], r["overdue"]) for r in sel.overdue_by_district(user, TODAY)}


def test_overdue_by_district(users):
    overdue_fixture()
    rows = overdue(users["city_shaoxing"])
    assert rows == {"越城区": (7, 5), "柯桥区": (1, 1), "上虞区": (0, 0), "新昌县": (0, 0),
                    "诸暨市": (0, 0), "嵊州市": (0, 0)}
    assert overdue(users["admin"])["南湖区"] == (2, 2)


def test_overdue_scope(users):
    overdue_fixture()
    assert overdue(users["district_yuecheng"]) == {"越城区": (7, 5)}
    assert overdue(users["street_tashan"]) == {"越城区": (6, 4)}  # its own street only
    assert overdue(users["street_jianshe"]) == {"南湖区": (2, 2)}


# ---------------------------------------------------------------- 5. Fuyang rolling library


# 富阳 附件1 年度轮动项目库, by 序号: (社区, 责任单位, 计划开工, 计划完工) — copied from the document.
LIBRARY = {
    1: ("山水社区", "鹿山街道", None, "2022-05"), 2: ("江滨社区", "富春街道", "2021-08", "2022-06"),
    3: ("逸城社区", "东洲街道", "2021-09", "2022-06"), 4: ("百合社区", "富春街道", "2021-09", "2022-06"),
    5: ("蒋家桥社区", "富春街道", "2021-10", "2022-06"), 6: ("阳陂湖社区", "富春街道", "2021-10", "2022-06"),
    7: ("梓树花苑", "银湖街道", "2021-12", "2022-12"), 8: ("银湖花苑", "银湖街道", "2021-12", "2022-12"),
    9: ("新民社区", "富春街道", "2021-12", "2022-12"), 10: ("金家桥社区", "富春街道", "2021-12", "2022-12"),
    11: ("登云社区", "新登镇", "2021-12", "2022-12"), 12: ("龙潭社区", "场口镇", "2022-04", "2023-04"),
    13: ("彩虹社区", "银湖街道", "2022-12", "2023-12"), 14: ("杭黄社区", "富春湾新城管委会", None, "2023-12"),
    15: ("春雨社区", "春江街道", "2022-12", "2023-12"), 16: ("鹳山社区", "富春街道", "2022-12", "2023-12"),
    17: ("东吴社区", "鹿山街道", "2022-12", "2023-12"),
}


def test_fuyang_board_lists_exactly_the_17_projects_of_annex_1(users):
    # 富阳 三：“拟定17个未来社区创建项目（详见附件1）”
    bulk_projects(FUCHUN, 1, Status.RESERVE, planned_finish=dt.date(2026, 6, 1))  # not in 附件1
    rows = sel.fuyang_rolling_library(users["district_fuyang"], TODAY)
    assert sorted(r["seq"] for r in rows) == list(range(1, 18))
    got = {r["seq"]: (r["community_name"], r["responsible_unit"],
                      r["planned_start"].strftime("%Y-%m") if r["planned_start"] else None,
                      r["planned_finish"].strftime("%Y-%m")) for r in rows}
    assert got == LIBRARY
    yinhu = sel.fuyang_rolling_library(users["street_yinhu"], TODAY)
    assert sorted(r["seq"] for r in yinhu) == [7, 8, 13]
    assert sel.fuyang_rolling_library(users["city_shaoxing"], TODAY) == []


def test_fuyang_rolling_library_planned_actual_and_progress(users):
    d = dt.date
    library = {e.seq: e.community for e in RollingLibraryEntry.objects.select_related("community")}

    def project(seq, status, **fields):
        [made] = bulk_projects(library[seq].street.code or FUCHUN, 1, status, of=library[seq],
                               **{"listed_on": None, **fields})
        return made

    b = project(2, Status.LISTED, listed_on=d(2021, 9, 1))  # 计划完工 2022-06, not accepted
    c = project(7, Status.ACCEPTED, listed_on=d(2022, 1, 5), accepted_on=d(2022, 12, 10))
    e = project(4, Status.NAMED, listed_on=d(2021, 10, 1), accepted_on=d(2022, 8, 1))
    project(3, Status.TERMINATED, listed_on=d(2021, 10, 1))
    h = project(3, Status.LISTED, listed_on=d(2022, 3, 1), accepted_on=None)  # the open one wins
    rows = {r["seq"]: r for r in sel.fuyang_rolling_library(users["district_fuyang"], TODAY)}
    assert (rows[2]["id"], rows[2]["actual_end"], rows[2]["progress"]) == (b.pk, TODAY, "超计划完工")
    assert (rows[7]["id"], rows[7]["planned_end"], rows[7]["progress"]) == (c.pk, d(2022, 12, 31), "按期完成")
    assert (rows[4]["id"], rows[4]["actual_end"], rows[4]["progress"]) == (e.pk, d(2022, 8, 1), "逾期完成")
    assert rows[3]["id"] == h.pk
    assert (rows[5]["id"], rows[5]["progress"]) == (None, "未按计划启动（尚未建立项目）")
    early = sel.fuyang_rolling_library(users["district_fuyang"], d(2021, 7, 1))
    assert {r["seq"]: r["progress"] for r in early}[5] == "未到计划开工（尚未建立项目）"


# ---------------------------------------------------------------- regions in scope


def test_regions_in_scope_are_whole_regions_only(users):
    districts = sel.regions_in_scope
    assert list(districts(users["district_yuecheng"], "district").values_list("code", flat=True)) == ["330602"]
    assert not districts(users["street_tashan"], "district").exists()
    assert list(districts(users["street_tashan"], "street").values_list("code", flat=True)) == [TASHAN]
    assert set(districts(users["city_shaoxing"], "city").values_list("code", flat=True)) == {"3306"}
    assert sel.cities_touching_scope(users["street_tashan"]) == {"3306"}
    assert sel.cities_wholly_in_scope(users["street_tashan"]) == set()
    assert sel.cities_touching_scope(users["admin"]) == {"3301", "3304", "3306"}


def test_table_body_html_escapes_every_cell_and_keeps_links_and_flags():
    import datetime as dt
    from decimal import Decimal

    from dashboards.tables import Link, Table

    table = Table("t", "标题", ["社区", "金额", "结论", "日期"], rows=[
        [Link("<script>x</script>", "/projects/1/?a=1&b=2"), Decimal("12.50"), "未达标", dt.date(2026, 1, 2)],
        [None, 3, "达标", None],
    ])
    body = str(table.html_body())
    assert "<script>" not in body and "&lt;script&gt;x&lt;/script&gt;" in body
    assert '<a href="/projects/1/?a=1&amp;b=2">' in body
    assert '<td class="money">12.50</td>' in body and '<td class="text-danger fw-bold">未达标</td>' in body
    assert body.startswith("<tr><td>1</td>") and "<tr><td>2</td><td>—</td>" in body and "2026-01-02" in body
    assert "暂无数据" in str(Table("e", "空", ["a", "b"]).html_body())


# ---------------------------------------------------------------- statements compiled once


@pytest.mark.parametrize("username", ["admin", "city_jiaxing", "city_shaoxing", "district_yuecheng",
                                      "district_fuyang", "street_tashan"])
def test_replayed_statements_read_what_the_querysets_read(users, world, username):
    """portal.compiled.rows: the first call runs the queryset, later ones replay its statement;
    both give the same rows, and a replay reads the data of now."""
    from portal import compiled

    plan_fixture()
    user = users[username]
    reads = {
        "cities_touching": lambda: sel.cities_touching_scope(user),
        "cities_wholly": lambda: sel.cities_wholly_in_scope(user),
        "plan": lambda: sel.plan_vs_actual(user),
        "plan_2024": lambda: sel.plan_vs_actual(user, 2024),
        "coverage": lambda: sel.coverage_by_district(user),
        "coverage_2024": lambda: sel.coverage_by_district(user, dt.date(2024, 12, 31)),
        "quotas": lambda: sel.street_quotas(user, 2024),
        "overdue": lambda: sel.overdue_by_district(user, TODAY),
        "fuyang": lambda: sel.fuyang_rolling_library(user, TODAY),
        "cumulative": lambda: sel.jiaxing_cumulative(user, TODAY),
    }
    compiled.forget()
    first = {name: read() for name, read in reads.items()}
    assert {name: read() for name, read in reads.items()} == first
    visible = CreationProject.objects.visible_to(user).exclude(listed_on=None).order_by("pk").first()
    if visible is not None:  # statements compiled before a write, replayed after it
        CreationProject.objects.filter(pk=visible.pk).update(status=Status.TERMINATED)
        replayed = {name: read() for name, read in reads.items()}
        compiled.forget()
        assert replayed == {name: read() for name, read in reads.items()}
