"""批量审核 in the review queue (issue #15): every selected project goes through the same move
and permission function as the single action; rows the user may not act on carry no checkbox
and are refused by name; out of scope is 404; history is written per project."""

import re

import pytest

from projects.models import CreationProject, Status, Transition
from projects.views import may_batch
from tests.lists import assert_query_count_is_constant
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db
TASHAN, SIBLING, JIANSHE = "330602001", "330602002", "330402007"


def waiting(street_code, count, step=0, status=Status.SUBMITTED, **fields):
    return bulk_projects(street_code, count, status=status, review_step=step, **fields)


def test_batch_approve_moves_each_selected_project_one_step_with_history(client_for):
    chosen = waiting(TASHAN, 3)
    left = waiting(TASHAN, 1, prefix="未选")[0]
    response = client_for("district_yuecheng").post("/projects/review/batch/", {
        "action": "approve", "ids": [p.pk for p in chosen], "comment": "同意", "query": "street=330602001"},
        follow=True)
    assert response.redirect_chain[-1][0] == "/projects/review/?street=330602001"
    assert "已批量审核通过 3 个项目。" in response.content.decode()
    for project in CreationProject.objects.filter(pk__in=[p.pk for p in chosen]):
        assert (project.status, project.review_step) == (Status.IN_REVIEW, 1)  # on to 市风貌办
    assert Transition.objects.filter(project__in=chosen, action="approve", comment="同意").count() == 3
    assert CreationProject.objects.get(pk=left.pk).status == Status.SUBMITTED


def test_batch_return_requires_a_comment_and_returns_each(client_for):
    chosen = waiting(TASHAN, 2)
    client = client_for("district_yuecheng")
    refused = client.post("/projects/review/batch/", {"action": "return", "ids": [p.pk for p in chosen]}, follow=True)
    assert "批量退回必须填写退回意见" in refused.content.decode()
    assert set(CreationProject.objects.filter(pk__in=[p.pk for p in chosen]).values_list("status", flat=True)) \
        == {Status.SUBMITTED}
    client.post("/projects/review/batch/", {"action": "return", "ids": [p.pk for p in chosen], "comment": "补充材料"})
    assert set(CreationProject.objects.filter(pk__in=[p.pk for p in chosen]).values_list("status", flat=True)) \
        == {Status.RETURNED}


def test_rows_the_user_may_not_act_on_are_refused_by_name_and_carry_no_checkbox(client_for, users):
    mine = waiting(TASHAN, 1)[0]
    at_city = waiting(TASHAN, 1, step=1, status=Status.IN_REVIEW, prefix="市级环节")[0]
    assert may_batch(users["district_yuecheng"], CreationProject.objects.for_list().get(pk=mine.pk))
    assert not may_batch(users["district_yuecheng"], CreationProject.objects.for_list().get(pk=at_city.pk))
    client = client_for("district_yuecheng")
    page = client.get("/projects/review/").content.decode()
    assert re.findall(r'name="ids" value="(\d+)"', page) == [str(mine.pk)]  # the city's step is not in the queue
    response = client.post("/projects/review/batch/", {"action": "approve", "ids": [mine.pk, at_city.pk]},
                           follow=True)
    text = response.content.decode()
    assert "已批量审核通过 1 个项目。" in text
    assert "1 个项目未处理：" in text and at_city.community.name in text and "市风貌办" in text
    assert CreationProject.objects.get(pk=at_city.pk).review_step == 1


def test_batch_with_a_project_outside_the_scope_is_404_and_moves_nothing(client_for):
    mine = waiting(TASHAN, 1)[0]
    foreign = waiting(JIANSHE, 1)[0]
    response = client_for("district_yuecheng").post("/projects/review/batch/",
                                                     {"action": "approve", "ids": [mine.pk, foreign.pk]})
    assert response.status_code == 404
    assert CreationProject.objects.get(pk=mine.pk).status == Status.SUBMITTED


def test_streets_and_finance_cannot_batch_review(client_for):
    mine = waiting(TASHAN, 1)[0]
    assert client_for("street_tashan").post("/projects/review/batch/", {"action": "approve", "ids": [mine.pk]}
                                            ).status_code == 403
    assert client_for("district_yuecheng").get("/projects/review/batch/").status_code == 405


def test_review_queue_with_checkboxes_keeps_a_constant_query_count(client_for):
    waiting(TASHAN, 3)
    assert_query_count_is_constant(client_for("district_yuecheng"), "/projects/review/",
                                   {"district": "330602", "size": "100"}, lambda: waiting(SIBLING, 17))


@pytest.mark.parametrize(("comment", "message"), [("退回\x00意见", "意见："), ("长" * 2001, "意见：")])
def test_bad_comment_is_named_and_changes_nothing(client_for, comment, message):
    chosen = waiting(TASHAN, 1)[0]
    response = client_for("district_yuecheng").post("/projects/review/batch/", {
        "action": "return", "ids": [chosen.pk], "comment": comment}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert CreationProject.objects.get(pk=chosen.pk).status == Status.SUBMITTED
    assert not Transition.objects.filter(project=chosen, action="return").exists()
