"""整改通知单 (issue #15): printable, scoped like the project page, linked from it."""

import datetime as dt

import pytest

from acceptance.models import RectificationOrder
from projects.services import today
from tests import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(users):
    project = world.listed(world.create("shaoxing"), "shaoxing", dt.date(2026, 5, 8))
    project = world.issue_rectification(world.request_acceptance(project, "shaoxing"), "shaoxing",
                                        today() + dt.timedelta(days=30))
    return RectificationOrder.objects.get(project=project)


def test_rectification_notice_shows_the_requirements_the_deadline_and_the_sign_area(client_for, order):
    text = client_for("street_tashan").get(f"/acceptance/rectifications/{order.pk}/print/").content.decode()
    assert "未来社区创建项目整改通知单" in text
    assert 'data-testid="requirements">请补充完善验收材料</td>' in text
    assert f"于<strong>{order.due_on:%Y年%m月%d日}</strong>前完成整改" in text
    assert 'data-testid="sign-area"' in text and f"{order.office.name}（签发）" in text


def test_rectification_notice_is_404_outside_the_scope_and_linked_from_the_project(client_for, order):
    assert client_for("street_jianshe").get(f"/acceptance/rectifications/{order.pk}/print/").status_code == 404
    detail = client_for("district_yuecheng").get(f"/projects/{order.project_id}/").content.decode()
    assert f'href="/acceptance/rectifications/{order.pk}/print/"' in detail
