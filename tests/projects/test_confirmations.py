"""Issue #15 defect 9: 撤回 and every other irreversible move asks first. The page's form carries
data-confirm (static/js/portal.js adds confirm=1 on 确定); the server acts only with confirm=1 and
answers a bare POST with the confirmation page. The API is unchanged."""

import pytest

from projects import workflow
from projects.models import CreationProject, Status, Transition

pytestmark = pytest.mark.django_db


def submitted(create_project, client_for):
    pid = create_project("shaoxing")["id"]
    client_for("street_tashan").post(f"/projects/{pid}/act/", {"action": "submit"})
    assert CreationProject.objects.get(pk=pid).status == Status.SUBMITTED  # 提交 is not irreversible: no step
    return pid


@pytest.mark.parametrize("username, action, fields", [
    ("street_tashan", "withdraw", {}),
    ("district_yuecheng", "return", {"comment": "请补充运营方案"}),
    ("district_yuecheng", "reject", {"comment": "不符合条件"}),
    ("district_yuecheng", "approve", {"comment": "同意"}),
])
def test_a_bare_post_of_an_irreversible_move_shows_the_confirmation_page_and_changes_nothing(
        create_project, client_for, username, action, fields):
    pid = submitted(create_project, client_for)
    client = client_for(username)
    before = Transition.objects.filter(project_id=pid).count()
    asked = client.post(f"/projects/{pid}/act/", {"action": action, **fields})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'data-testid="confirm-question"' in page and 'name="confirm" value="1"' in page
    assert f'name="action" value="{action}"' in page
    for value in fields.values():
        assert f'value="{value}"' in page  # the confirmation re-posts what was typed
    assert CreationProject.objects.get(pk=pid).status == Status.SUBMITTED
    assert Transition.objects.filter(project_id=pid).count() == before
    done = client.post(f"/projects/{pid}/act/", {"action": action, **fields, "confirm": "1"})
    assert done.status_code == 302
    assert Transition.objects.filter(project_id=pid, action=action).count() == 1


def test_a_move_that_would_be_refused_says_so_before_asking(create_project, client_for):
    pid = submitted(create_project, client_for)
    response = client_for("district_yuecheng").post(f"/projects/{pid}/act/", {"action": "return"}, follow=True)
    page = response.content.decode()
    assert "请填写意见" in page and 'data-testid="confirm-question"' not in page


def test_every_irreversible_button_on_the_page_asks_first(create_project, client_for):
    pid = submitted(create_project, client_for)
    street = client_for("street_tashan").get(f"/projects/{pid}/").content.decode()
    assert 'data-testid="action-withdraw"' in street
    assert 'data-confirm="确认撤回？此操作不可撤销。"' in street
    district = client_for("district_yuecheng").get(f"/projects/{pid}/").content.decode()
    for label in ("审核通过", "退回修改", "不予通过"):
        assert f'data-confirm="确认{label}？此操作不可撤销。"' in district
    assert {"withdraw", "approve", "return", "reject", "terminate", "finalise_spending"} <= workflow.IRREVERSIBLE


def test_the_script_adds_the_confirm_field_on_ok():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "static" / "js" / "portal.js").read_text()
    assert "window.confirm(question)" in script and 'flag.name = "confirm"' in script


def test_the_api_takes_irreversible_moves_without_a_confirm_field(create_project, api_for, client_for):
    pid = submitted(create_project, client_for)
    response = api_for("street_tashan").post(f"/api/projects/{pid}/actions/", {"action": "withdraw"}, format="json")
    assert response.status_code == 200
    assert CreationProject.objects.get(pk=pid).status == Status.WITHDRAWN


def test_batch_pages_ask_before_recording_results_and_names(api_for, create_project, client_for):
    from django.utils import timezone

    from acceptance.models import AcceptanceBatch
    from tests.projects.test_batches import listed_then_requested

    first, second = listed_then_requested(api_for, create_project)
    batch_id = api_for("city_jiaxing").post("/api/acceptance-batches/", {
        "kind": "scheduled", "held_on": timezone.localdate().isoformat(), "title": "定时验收",
        "projects": [first, second]}, format="json").json()["id"]
    client = client_for("city_jiaxing")
    fields = {"document_no": "嘉风貌〔2026〕22号", f"result_{first}": "pass", f"result_{second}": "pass"}
    asked = client.post(f"/acceptance/batches/acceptance/{batch_id}/", fields)
    assert asked.status_code == 200 and 'data-testid="confirm-question"' in asked.content.decode()
    assert AcceptanceBatch.objects.get(pk=batch_id).results_recorded_at is None
    assert client.post(f"/acceptance/batches/acceptance/{batch_id}/", {**fields, "confirm": "1"}).status_code == 302
    assert AcceptanceBatch.objects.get(pk=batch_id).results_recorded_at is not None

    leader = client_for("leader_jiaxing")
    naming = {"title": "第一批", "document_no": "嘉未来办〔2026〕3号", "named_on": timezone.localdate().isoformat(),
              "projects": [str(first), str(second)]}
    asked = leader.post("/acceptance/batches/naming/new/", naming)
    assert asked.status_code == 200
    assert "确认按命名文件“嘉未来办〔2026〕3号”录入所选 2 个项目的命名" in asked.content.decode()
    assert not CreationProject.objects.filter(pk__in=[first, second], status=Status.NAMED).exists()
    leader.post("/acceptance/batches/naming/new/", {**naming, "confirm": "1"})
    assert CreationProject.objects.filter(pk__in=[first, second], status=Status.NAMED).count() == 2
