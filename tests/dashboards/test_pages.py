"""Dashboard pages and exports: scope, constant queries, no inline script, exports = tables."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from communities.models import Community
from projects.models import Status
from tests.world import projects

pytestmark = pytest.mark.django_db

BOARDS = ["plan", "coverage", "quotas", "overdue", "fuyang", "targets"]
PAGES = ["/dashboards/", *[f"/dashboards/{key}/" for key in BOARDS]]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
TASHAN, KEQIAO, JIANSHE, FUCHUN = "330602001", "330603001", "330402007", "330111001"


def demo_data(count):
    """`count` projects in each city, in every shape the dashboards read."""
    projects(TASHAN, count, listed_on=dt.date(2025, 4, 1))
    projects(KEQIAO, count, Status.ACCEPTED, tier="provincial", accepted_on=dt.date(2025, 9, 1))
    projects(JIANSHE, count, Status.SUBMITTED, tier="provincial", listed_on=None)
    projects(JIANSHE, count, Status.NAMED, named_on=dt.date(2025, 10, 1))
    projects(FUCHUN, count, Status.LISTED, planned_start=dt.date(2025, 1, 1), planned_finish=dt.date(2026, 6, 1))


class TableParser(HTMLParser):
    """The text of every cell of the tables marked data-testid="table-…", by table key."""

    def __init__(self):
        super().__init__()
        self.tables, self.key, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("data-testid") or "").startswith("table-"):
            self.key = attrs["data-testid"][len("table-"):]
            self.tables[self.key] = []
        elif self.key and tag == "tr":
            self.row = []
        elif self.key and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.key = None
        elif self.key and tag in ("td", "th") and self.row is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif self.key and tag == "tr" and self.row is not None:
            self.tables[self.key].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_tables(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser.tables


def shown(value, number_format=""):
    """An exported value as the page shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if "%" in number_format:
        return f"{(Decimal(str(value)) * 100).quantize(Decimal('0.1'))}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def page_cells(rows):
    return [[("" if cell == "—" and index else cell) for index, cell in enumerate(row)] for row in rows]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# ---------------------------------------------------------------- rendering


@pytest.mark.parametrize("username", ["admin", "city_shaoxing", "district_yuecheng", "street_tashan",
                                      "city_jiaxing", "street_jianshe", "district_fuyang"])
def test_every_page_renders_without_inline_script(client_for, username):
    demo_data(2)
    client = client_for(username)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not INLINE.search(body), url
        assert "style=" not in body, url
        if url != "/dashboards/":
            assert 'id="chart-data" type="application/json"' in body
            assert "js/dashboards.js" in body and "echarts.min.js" in body


def test_index_lists_only_the_dashboards_of_the_users_city(client_for):
    body = client_for("city_jiaxing").get("/dashboards/").content.decode()
    assert "/dashboards/coverage/" in body and "/dashboards/quotas/" in body
    assert "/dashboards/plan/" not in body and "/dashboards/fuyang/" not in body
    body = client_for("district_fuyang").get("/dashboards/").content.decode()
    assert "/dashboards/fuyang/" in body and "/dashboards/plan/" not in body


def test_pages_need_login(client):
    for url in [*PAGES, "/dashboards/plan.xlsx", "/dashboards/plan.csv"]:
        assert client.get(url).status_code == 302


def test_coverage_page_states_the_denominator_and_the_definitions(client_for):
    body = client_for("city_jiaxing").get("/dashboards/coverage/").content.decode()
    assert "分母：您数据权限内社区档案中在册的社区数" in body
    assert "创建＝已列入创建名单且未终止" in body and "建成＝已通过验收" in body and "命名＝已命名" in body
    assert "嘉兴 一(三)" in body


# ---------------------------------------------------------------- scope


def test_street_user_of_another_city_sees_none_of_the_other_citys_numbers(client_for):
    demo_data(3)
    shaoxing_names = set(Community.objects.filter(street__parent__parent__code="3306").values_list("name", flat=True))
    client = client_for("street_jianshe")
    for url in [*PAGES, *[f"/dashboards/{key}.csv" for key in BOARDS]]:
        body = client.get(url).content.decode("utf-8-sig")
        for name in ["越城区", "柯桥区", "塔山街道", *shaoxing_names]:
            assert name not in body, (url, name)
    tables = page_tables(client, "/dashboards/overdue/")
    assert [row[2] for row in tables["overdue"][1:-1]] == ["南湖区"]


def test_district_user_sees_only_their_district(client_for):
    demo_data(3)
    client = client_for("district_yuecheng")
    overdue = page_tables(client, "/dashboards/overdue/")["overdue"]
    assert [row[2] for row in overdue[1:-1]] == ["越城区"]
    assert overdue[1][3] == "3"  # 塔山's three listed projects
    quotas = page_tables(client, "/dashboards/quotas/?year=2025")["quotas"]
    assert {row[2] for row in quotas[1:-1]} == {"越城区"}
    plan = page_tables(client, "/dashboards/plan/?year=2025")["plan"]
    assert [row[1] for row in plan[1:-1]] == ["越城区"]
    assert plan[1][4] == "0" and plan[1][6] == "3"  # 3 municipal listed in 2025, plan 5
    coverage = page_tables(client, "/dashboards/coverage/")
    assert set(coverage) == {"coverage_3306"}
    assert [row[1] for row in coverage["coverage_3306"][1:-1]] == ["越城区"]
    body = client.get("/dashboards/plan.csv").content.decode("utf-8-sig")
    assert "柯桥区" not in body


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("username", ["admin", "city_shaoxing", "street_tashan"])
def test_query_count_is_constant_for_5_and_50_projects(client_for, username):
    client = client_for(username)
    urls = [*PAGES, "/dashboards/quotas/?year=2025", "/dashboards/plan/?year=2025",
            *[f"/dashboards/{key}.xlsx" for key in BOARDS], *[f"/dashboards/{key}.csv" for key in BOARDS]]
    demo_data(5)
    small = {url: count_queries(client, url) for url in urls}
    demo_data(45)
    large = {url: count_queries(client, url) for url in urls}
    assert small == large


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize("key", BOARDS)
def test_xlsx_export_matches_the_page_tables(client_for, key):
    demo_data(3)
    client = client_for("admin")
    tables = page_tables(client, f"/dashboards/{key}/?year=2025")
    response = client.get(f"/dashboards/{key}.xlsx?year=2025")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == len(tables)
    for sheet, rows in zip(book.worksheets, tables.values(), strict=True):
        cells = [[shown(c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=3)]
        assert cells[0] == rows[0]  # header, with 序号
        data = [row for row in cells[1:] if row[0] and row[0] not in ("合计",) and not row[0].startswith("制表")]
        assert data and len(data) == len(rows) - 2  # header and 合计 aside
        assert data == page_cells(rows[1:-1])
        total = next(row for row in cells if row[0] == "合计")
        assert total == page_cells([rows[-1]])[0]
        assert sheet.freeze_panes == "A4"
        assert sheet["A2"].value is None and "单位" in str(sheet.cell(2, sheet.max_column).value)
        assert any("制表单位" in str(c.value) for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("key", BOARDS)
def test_csv_export_has_a_bom_and_matches_the_page_table(client_for, key):
    demo_data(3)
    client = client_for("city_jiaxing" if key == "coverage" else "admin")
    tables = page_tables(client, f"/dashboards/{key}/?year=2025")
    for table_key, rows in tables.items():
        response = client.get(f"/dashboards/{key}.csv?year=2025&table={table_key}")
        assert response.status_code == 200
        assert response.content.startswith(b"\xef\xbb\xbf")
        assert "filename*=utf-8''" in response["Content-Disposition"].lower()
        got = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert got == page_cells(rows)


def test_exports_neutralise_formula_like_text(client_for):
    # 附件1 序号1 山水社区 has the earliest 计划完工 (2022-05): the board's first row
    Community.objects.filter(name="山水社区", street__parent__code="330111").update(
        name='=HYPERLINK("http://x","点我")')
    client = client_for("district_fuyang")
    book = load_workbook(io.BytesIO(client.get("/dashboards/fuyang.xlsx").content))
    cell = book.worksheets[0]["C4"]
    assert cell.value == '=HYPERLINK("http://x","点我")' and cell.data_type == "s"
    body = client.get("/dashboards/fuyang.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_empty_board_still_exports_a_valid_workbook(client_for):
    response = client_for("district_fuyang").get("/dashboards/coverage.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 1


def test_csv_of_an_unknown_table_is_404(client_for):
    assert client_for("city_shaoxing").get("/dashboards/coverage.csv?table=cumulative").status_code == 404


def test_quotas_page_can_show_only_unmet_streets_and_exports_the_same(client_for):
    projects(TASHAN, 1, listed_on=dt.date(2025, 4, 1))
    client = client_for("district_yuecheng")
    rows = page_tables(client, "/dashboards/quotas/?year=2025&show=unmet")["quotas"]
    assert "塔山街道" not in {row[3] for row in rows}
    assert {row[9] for row in rows[1:-1]} == {"未达标"}
    got = list(csv.reader(io.StringIO(client.get("/dashboards/quotas.csv?year=2025&show=unmet")
                                      .content.decode("utf-8-sig"))))
    assert got == page_cells(rows)


@pytest.mark.parametrize(("username", "key", "title"), [
    ("district_yuecheng", "plan", "越城区年度创建计划完成情况表（2023—2026年）"),
    ("city_jiaxing", "coverage", "嘉兴市未来社区覆盖率统计表"),
    ("district_nanhu", "coverage", "嘉兴市未来社区覆盖率统计表（南湖区）"),
    ("admin", "overdue", "逾期预警统计表"),
])
def test_export_titles_name_the_users_area_once(client_for, username, key, title):
    book = load_workbook(io.BytesIO(client_for(username).get(f"/dashboards/{key}.xlsx").content))
    assert book.worksheets[0]["A1"].value == title
