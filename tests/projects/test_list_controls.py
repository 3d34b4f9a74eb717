"""The project list's page size, page jump, 序号 and 操作 columns (issue #15)."""

import pytest

from tests.lists import assert_query_count_is_constant
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db
TASHAN, SIBLING = "330602001", "330602002"


def test_page_size_and_numbering_run_on_across_pages(client_for):
    made = bulk_projects(TASHAN, 23)
    response = client_for("district_yuecheng").get("/projects/", {"size": "10", "page": "3", "street": TASHAN})
    text = response.content.decode()
    page = response.context["page"]
    assert (page.number, len(page.object_list), page.paginator.num_pages) == (3, 3, 3)
    assert [f'<td class="seq">{n}</td>' in text for n in (21, 22, 23, 24)] == [True, True, True, False]
    assert '<input type="hidden" name="street" value="330602001">' in text  # the jump keeps the filter
    assert 'name="page" value="3"' in text and '<option value="10" selected>10 条</option>' in text
    assert text.count('#actions">办理</a>') == 3 and f'href="/projects/{made[0].pk}/print/application/"' in text
    assert len(client_for("district_yuecheng").get("/projects/", {"size": "1000"}).context["page"].object_list) == 23


def test_project_list_query_count_is_constant(client_for):
    bulk_projects(TASHAN, 3)
    assert_query_count_is_constant(client_for("district_yuecheng"), "/projects/", {"size": "100", "district": "330602"},
                                   lambda: bulk_projects(SIBLING, 17))


def test_review_queue_workbook_writes_the_year_as_a_number_and_the_selection_only(client_for):
    import io
    from urllib.parse import unquote

    from openpyxl import load_workbook

    from projects.models import Status
    from tests.lists import body

    chosen, other = bulk_projects(TASHAN, 2, status=Status.SUBMITTED, review_step=0, batch_year=2026)
    response = client_for("district_yuecheng").get("/projects/review/export.xlsx", {"ids": [chosen.pk]})
    ws = load_workbook(io.BytesIO(body(response))).active
    header = [c.value for c in ws[3]]
    year = ws.cell(4, header.index("创建年度") + 1)
    assert (year.value, year.number_format) == (2026, "0")
    assert ws.cell(5, 1).value == "合计"  # one selected row only
    assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{ws.cell(3, len(header)).column_letter}1"]
    assert unquote(response["Content-Disposition"]).endswith(".xlsx") and "待审核项目_越城区_" in unquote(
        response["Content-Disposition"])
    assert other.pk != chosen.pk
