"""A batch whose project left the acceptance step (returned) no longer fails with a 500
(StopIteration) on results nor a wrong 409 on a failed result: the results are refused with
a message naming the project, which the organising office drops from the batch (with a
reason, kept); an empty or stuck batch is cancelled (issue #20 item 10)."""

import datetime as dt

import pytest
from django.utils import timezone

from acceptance.models import AcceptanceBatch
from projects.models import CreationProject, Status
from tests.projects.test_batches import listed_then_requested
from tests.projects.test_lifecycle_api import act

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch_with_a_returned_project(api_for, create_project):
    first, second = listed_then_requested(api_for, create_project)
    api = api_for("city_jiaxing")
    created = api.post("/api/acceptance-batches/", {"kind": "ad_hoc", "held_on": timezone.localdate().isoformat(),
                                                    "title": "机动验收", "projects": [first, second]}, format="json")
    assert created.status_code == 201, created.json()
    returned = act(api_for, "city_jiaxing", second, "return", comment="验收材料不齐，退回补充")
    assert returned.status_code == 200, returned.json()
    assert CreationProject.objects.get(pk=second).status == Status.LISTED
    return api, created.json()["id"], first, second


def results(api, batch_id, *entries):
    return api.post(f"/api/acceptance-batches/{batch_id}/results/",
                    {"document_no": "嘉风貌〔2026〕30号", "results": list(entries)}, format="json")


def test_results_name_the_returned_project_instead_of_failing(batch_with_a_returned_project):
    api, batch_id, first, second = batch_with_a_returned_project
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()

    passed = results(api, batch_id, {"project": first, "passed": True}, {"project": second, "passed": True})
    failed = results(api, batch_id, {"project": first, "passed": False, "due_on": due, "comment": "整改"},
                     {"project": second, "passed": False, "due_on": due, "comment": "整改"})

    for response in (passed, failed):
        assert response.status_code == 400, response.json()
        assert "以下项目已不在本单位验收环节，请先将其移出本批次" in response.json()["detail"]
        assert "已列入创建名单" in response.json()["detail"] or "列入" in response.json()["detail"]
    assert CreationProject.objects.get(pk=first).status != Status.ACCEPTED  # nothing written
    assert AcceptanceBatch.objects.get(pk=batch_id).results_recorded_at is None


def test_dropping_the_returned_project_lets_the_rest_be_recorded(batch_with_a_returned_project):
    api, batch_id, first, second = batch_with_a_returned_project

    no_reason = api.post(f"/api/acceptance-batches/{batch_id}/drop/", {"project": second}, format="json")
    assert no_reason.status_code == 400
    stranger = api.post(f"/api/acceptance-batches/{batch_id}/drop/", {"project": 999999, "reason": "x"}, format="json")
    assert stranger.status_code == 400 and "该项目不在本批次中" in stranger.json()["detail"]
    dropped = api.post(f"/api/acceptance-batches/{batch_id}/drop/", {"project": second, "reason": "已退回补充材料"},
                       format="json")

    assert dropped.status_code == 200, dropped.json()
    body = dropped.json()
    assert body["project_ids"] == [first]
    assert [(d["project"], d["reason"], d["by"]) for d in body["dropped"]] == [
        (second, "已退回补充材料", "city_jiaxing")]
    recorded = results(api, batch_id, {"project": first, "passed": True})
    assert recorded.status_code == 200, recorded.json()
    assert CreationProject.objects.get(pk=first).status == Status.ACCEPTED
    assert CreationProject.objects.get(pk=second).status == Status.LISTED


def test_only_the_organising_office_drops_or_cancels(batch_with_a_returned_project, api_for):
    _, batch_id, _, second = batch_with_a_returned_project
    district = api_for("leader_jiaxing")  # sees the city's batches, did not organise this one
    assert district.post(f"/api/acceptance-batches/{batch_id}/drop/", {"project": second, "reason": "x"},
                         format="json").status_code == 403
    assert district.post(f"/api/acceptance-batches/{batch_id}/cancel/", {"reason": "x"},
                         format="json").status_code == 403
    assert AcceptanceBatch.objects.get(pk=batch_id).cancelled_at is None
    assert AcceptanceBatch.objects.get(pk=batch_id).projects.count() == 2


def test_a_stuck_batch_is_cancelled_and_then_refuses_everything(batch_with_a_returned_project):
    api, batch_id, first, _ = batch_with_a_returned_project

    cancelled = api.post(f"/api/acceptance-batches/{batch_id}/cancel/", {"reason": "批次作废，重新组织"}, format="json")

    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["cancel_reason"] == "批次作废，重新组织" and cancelled.json()["cancelled_at"]
    refused = results(api, batch_id, {"project": first, "passed": True})
    assert refused.status_code == 400 and "该批次已取消" in refused.json()["detail"]
    again = api.post(f"/api/acceptance-batches/{batch_id}/cancel/", {"reason": "再次"}, format="json")
    assert again.status_code == 400
    assert CreationProject.objects.get(pk=first).status == Status.ACCEPTANCE_REVIEW  # projects untouched


def test_the_page_drops_and_cancels(batch_with_a_returned_project, client_for):
    _, batch_id, first, second = batch_with_a_returned_project
    client = client_for("city_jiaxing")
    page = client.get(f"/acceptance/batches/acceptance/{batch_id}/")
    assert page.status_code == 200 and "需移出" in page.content.decode()

    crashed = client.post(f"/acceptance/batches/acceptance/{batch_id}/", {
        "document_no": "嘉风貌〔2026〕30号", f"result_{first}": "pass", f"result_{second}": "pass",
        "confirm": "1"}, follow=True)
    assert "请先将其移出本批次" in crashed.content.decode()

    client.post(f"/acceptance/batches/acceptance/{batch_id}/", {"op": "drop", "project": str(second),
                                                                 "reason": "已退回", "confirm": "1"})
    client.post(f"/acceptance/batches/acceptance/{batch_id}/", {"op": "drop", "project": str(first),
                                                                 "reason": "改期验收", "confirm": "1"})
    batch = AcceptanceBatch.objects.get(pk=batch_id)
    assert batch.projects.count() == 0 and [d["reason"] for d in batch.dropped] == ["已退回", "改期验收"]
    empty = client.get(f"/acceptance/batches/acceptance/{batch_id}/")
    assert "本批次已没有项目，可以取消本批次" in empty.content.decode()
    client.post(f"/acceptance/batches/acceptance/{batch_id}/", {"op": "cancel", "reason": "空批次", "confirm": "1"})
    assert AcceptanceBatch.objects.get(pk=batch_id).cancel_reason == "空批次"


@pytest.mark.parametrize("reason, problem", [("   ", "取消原因必须填写"), ("退回\n补充", "取消原因不能包含换行"),
                                             ("长" * 201, "取消原因过长：最多 200 个字符")])
def test_cancel_reason_is_checked_by_the_one_text_rule(batch_with_a_returned_project, django_user_model,
                                                       reason, problem):
    from acceptance import batches
    from portal.errors import InvalidInput

    _, batch_id, _, _ = batch_with_a_returned_project
    user = django_user_model.objects.get(username="city_jiaxing")
    batch = AcceptanceBatch.objects.get(pk=batch_id)
    with pytest.raises(InvalidInput) as refused:
        batches.cancel_batch(user, batch, reason)
    assert refused.value.message.startswith(problem)
    assert refused.value.fields == {"reason": refused.value.message}
    with pytest.raises(InvalidInput):
        batches.drop_project(user, batch, batch.projects.first().pk, reason)
    assert AcceptanceBatch.objects.get(pk=batch_id).cancelled_at is None
