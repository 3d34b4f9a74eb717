"""年度创建计划完成情况表: the plan dashboard's table and the Excel report are one table
(dashboards.selectors.plan_vs_actual). Hand-made projects, expected counts written by hand;
the plan numbers are 绍兴2023 附件's (越城区 2024: 省级10 市级6 县级4; 柯桥区 2023: 县级5)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dashboards import boards
from projects.models import Status
from tests.world import projects

pytestmark = pytest.mark.django_db
D = dt.date
TASHAN, FUSHAN, KEQIAO, JIANSHE = "330602001", "330602002", "330603001", "330402007"
TODAY = D(2026, 11, 23)


def hand_made_projects():
    projects(TASHAN, 2, tier="provincial", listed_on=D(2024, 5, 1))
    projects(TASHAN, 1, Status.ACCEPTED, tier="provincial", listed_on=D(2024, 3, 1), accepted_on=D(2024, 12, 1))
    projects(FUSHAN, 1, Status.TERMINATED, tier="municipal", listed_on=D(2024, 6, 1))
    # 申报不通过 and 撤回 end an application before the list: a stray listing date does not count
    projects(FUSHAN, 1, Status.REJECTED, tier="municipal", listed_on=D(2024, 6, 1))
    projects(TASHAN, 1, Status.WITHDRAWN, tier="municipal", listed_on=D(2024, 7, 1))
    projects(TASHAN, 1, Status.DRAFT, listed_on=None)
    projects(KEQIAO, 2, tier="county", listed_on=D(2023, 2, 1))
    projects(KEQIAO, 1, Status.NAMED, tier="county", listed_on=D(2023, 2, 1), accepted_on=D(2023, 10, 1),
             named_on=D(2023, 12, 1))
    projects(JIANSHE, 4, tier="provincial", listed_on=D(2024, 5, 1))  # 嘉兴: no plan


# (district, year, tier) → (planned, listed, accepted), by hand
EXPECTED = {
    ("越城区", 2024, "省级"): (10, 3, 1),
    ("越城区", 2024, "市级"): (6, 1, 0),
    ("越城区", 2024, "县级"): (4, 0, 0),
    ("柯桥区", 2023, "县级"): (5, 3, 1),
    ("柯桥区", 2023, "省级"): (11, 0, 0),
}


def dashboard_cells(user, year):
    """(district, year, tier label) → (planned, actual) from the dashboard's table."""
    [table] = boards.plan_board(user, {"year": str(year)}, TODAY).tables
    tiers = ["省级", "市级", "县级"]
    cells = {}
    for row in table.rows:
        for i, tier in enumerate(tiers):
            cells[(row[0], row[1], tier)] = (row[2 + 2 * i], row[3 + 2 * i])
    return cells


def excel_cells(client, year):
    """(district, year, tier label) → (planned, listed, accepted) from the report's district sheets."""
    response = client.get(f"/exports/plan/?year={year}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    cells = {}
    for ws in book.worksheets[1:]:
        for row in ws.iter_rows(min_row=4, values_only=True):
            if row[0] == "合计":
                break
            _, district, row_year, tier, planned, listed, _rate, accepted, _basis, _scope = row
            cells[(district, int(row_year), tier)] = (planned, listed, accepted)
    return cells


@pytest.mark.parametrize("year", [2023, 2024])
def test_plan_dashboard_and_excel_report_show_the_same_counts(users, client_for, year):
    hand_made_projects()
    dashboard = dashboard_cells(users["city_shaoxing"], year)
    excel = excel_cells(client_for("city_shaoxing"), year)
    assert set(dashboard) == set(excel)
    assert len(excel) == 6 * 3  # 绍兴's six districts, three tiers, one year
    assert dashboard == {key: (planned, listed) for key, (planned, listed, _) in excel.items()}
    for key, expected in EXPECTED.items():
        if key[1] == year:
            assert excel[key] == expected, key
    assert sum(listed for _, listed, _ in excel.values()) == {2023: 3, 2024: 4}[year]


def report_rows(client, query):
    """Every data row of the report's district sheets: (district, year, tier, planned, actual,
    accepted, basis, scope)."""
    response = client.get(f"/exports/plan/?{query}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    rows = []
    for ws in book.worksheets[1:]:
        for row in ws.iter_rows(min_row=4, values_only=True):
            if row[0] == "合计":
                break
            _, district, row_year, tier, planned, actual, _rate, accepted, basis, scope = row
            rows.append((district, int(row_year), tier, planned, actual, accepted, basis, scope))
    return rows


def test_fuyang_plan_completion_counts_the_annex_1_library_by_planned_finish_year(client_for):
    # 富阳 附件1: 11 projects planned to finish in 2022 (序号1–11), 6 in 2023 (序号12–17)
    from communities.models import Community
    from dashboards.models import RollingLibraryEntry

    jiangbin = RollingLibraryEntry.objects.get(seq=2).community  # 计划完工 2022-06
    caihong = RollingLibraryEntry.objects.get(seq=13).community  # 计划完工 2023-12
    street = Community.objects.get(pk=jiangbin.pk).street.code
    projects(street, 1, Status.ACCEPTED, of=jiangbin, listed_on=D(2021, 9, 1), accepted_on=D(2022, 11, 1))
    projects(caihong.street.code, 1, Status.LISTED, of=caihong, listed_on=D(2023, 1, 5))
    rows = report_rows(client_for("district_fuyang"), "")
    got = {(r[0], r[1]): r[2:6] for r in rows}
    assert got == {("富阳区", 2022): ("不限级别", 11, 1, 1), ("富阳区", 2023): ("不限级别", 6, 1, 0)}
    assert all(r[6] == "富阳 三、附件1" and "附件1" in r[7] for r in rows)


def test_jiaxing_plan_completion_counts_streets_that_applied_any_tier(client_for):
    # 嘉兴 二(二)5：“各镇(街道)每年至少申报1个以上未来社区创建项目” — 南湖区 has 13 镇、街道
    # (统计用区划代码 330402007 … 330402103, counted by hand in fixtures/regions.csv)
    nanhu_units = 13
    projects(JIANSHE, 2, Status.SUBMITTED, tier="municipal", batch_year=2024, listed_on=None)
    projects(JIANSHE, 1, Status.DRAFT, tier="provincial", batch_year=2024, listed_on=None)
    rows = report_rows(client_for("district_nanhu"), "year=2024")
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [("南湖区", 2024, "不限级别", nanhu_units, 1)]
    assert rows[0][6] == "嘉兴 二(二)5" and "不限级别" in rows[0][7]
