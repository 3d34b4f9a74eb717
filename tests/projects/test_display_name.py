"""项目名称 has one rule (projects.models.project_display_name) with one SQL twin, read by the
alert notices: both give the same text (hand-written expectations)."""

import pytest
from django.db import connection

from projects.selectors import display_name_sql
from tests.world import communities, projects

pytestmark = pytest.mark.django_db
TASHAN = "330602001"


def test_display_name_in_python_and_in_sql_agree():
    community = communities(TASHAN, 1, prefix="名称")[0]
    unnamed = projects(TASHAN, 1, of=community, tier="provincial", name="")[0]
    county = projects(TASHAN, 1, of=community, tier="county", name="")[0]
    named = projects(TASHAN, 1, of=community, tier="municipal", name="塔山未来社区一期")[0]
    expected = {unnamed.pk: f"{community.name}省级未来社区", county.pk: f"{community.name}县级未来社区",
                named.pk: "塔山未来社区一期"}
    expression, params = display_name_sql("p", "c")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.id, {expression} FROM projects_creationproject p "
                       f"JOIN communities_community c ON c.id = p.community_id WHERE p.id IN (%s, %s, %s)",
                       [*params, unnamed.pk, county.pk, named.pk])
        from_sql = dict(cursor.fetchall())
    assert from_sql == expected
    assert {p.pk: p.display_name for p in (unnamed, county, named)} == expected
