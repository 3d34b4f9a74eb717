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
