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
            _, district, row_year, tier, planned, listed, _rate, accepted, _basis = row
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
