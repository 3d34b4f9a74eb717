"""Full runs from draft to named through the API, per policy and tier (DOMAIN §3.1)."""

import datetime as dt

import pytest
from django.utils import timezone

from projects.models import CreationProject
from tests.world import ACTORS

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()
PAYLOAD = {
    "record_listing": {"listed_on": TODAY, "document_no": "浙风貌办〔2026〕1号"},
    "record_acceptance": {"accepted_on": TODAY, "document_no": "验收〔2026〕2号"},
    "record_naming": {"named_on": TODAY, "document_no": "命名〔2026〕3号"},
}


def act(api_for, username, project_id, action, **data):
    return api_for(username).post(f"/api/projects/{project_id}/actions/",
                                  {"action": action, **data}, format="json")


def drive_chain(api_for, place, project_id, chain, done_status):
    """Walk every step: the wrong office is refused (403), the right one moves it on."""
    actors = ACTORS[place]
    for step in chain:
        right = actors[step.office_level]
        action = "approve" if step.action == "review" else step.action
        payload = PAYLOAD.get(action, {})
        for level, wrong in actors.items():
            if level == step.office_level:
                continue
            refused = act(api_for, wrong, project_id, action, **payload)
            assert refused.status_code == 403, (step.label, wrong, refused.json())
        before = CreationProject.objects.get(pk=project_id).transitions.count()
        response = act(api_for, right, project_id, action, **payload)
        assert response.status_code == 200, (step.label, response.json())
        assert CreationProject.objects.get(pk=project_id).transitions.count() == before + 1
    assert response.json()["status"] == done_status


CASES = [("fuyang", "municipal"), ("fuyang", "provincial"), ("jiaxing", "provincial"),
         ("jiaxing", "municipal"), ("shaoxing", "provincial"), ("shaoxing", "municipal"),
         ("shaoxing", "county")]


@pytest.mark.parametrize("place, tier", CASES)
def test_full_run_from_draft_to_named_with_right_office_at_each_step(
        api_for, create_project, place, tier):
    created = create_project(place, tier=tier)
    pid = created["id"]
    assert created["status"] == "draft"
    assert {"action": "submit", "label": "提交申报", "required": []} in created["available_actions"]
    project = CreationProject.objects.get(pk=pid)
    street = ACTORS[place]["street"]

    assert act(api_for, street, pid, "submit").status_code == 200
    application = project.policy.application_chain(tier, project.parameters())
    # the district may not skip ahead: approving before submission is 409, not 403
    drive_chain(api_for, place, pid, application, "listed")

    listed = api_for(street).get(f"/api/projects/{pid}/").json()
    assert listed["listed_on"] == TODAY
    assert "basis" in listed["construction_deadline"]

    from residents.models import Survey

    Survey.objects.create(community=project.community, project=project, kind=Survey.Kind.SATISFACTION,
                          source="staff", conducted_on=timezone.localdate(), sample_size=200, satisfied_share=92)
    assert act(api_for, street, pid, "request_acceptance").status_code == 200
    acceptance = project.policy.acceptance_chain(tier, project.parameters())
    drive_chain(api_for, place, pid, acceptance, "named")

    history = api_for(street).get(f"/api/projects/{pid}/history/").json()
    assert history[-1]["to_status"] == "named"
    assert [h["action"] for h in history][:2] == ["create", "submit"]
    assert set(history[0]) >= {"action", "from_status", "to_status", "actor", "office", "at",
                               "comment"}


def test_return_then_resubmit(api_for, create_project):
    pid = create_project("shaoxing")["id"]
    act(api_for, "street_tashan", pid, "submit")
    no_comment = act(api_for, "district_yuecheng", pid, "return")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["errors"]
    returned = act(api_for, "district_yuecheng", pid, "return", comment="请补充实施方案")
    assert returned.json()["status"] == "returned"
    assert returned.json()["last_comment"] == "请补充实施方案"
    edit = api_for("street_tashan").patch(f"/api/projects/{pid}/", {"households": 1800},
                                          format="json")
    assert edit.status_code == 200
    again = act(api_for, "street_tashan", pid, "submit")
    assert again.json()["status"] == "submitted" and again.json()["review_step"] == 0


def test_reject_ends_the_project(api_for, create_project):
    pid = create_project("jiaxing", tier="provincial")["id"]
    act(api_for, "street_jianshe", pid, "submit")
    rejected = act(api_for, "district_nanhu", pid, "reject", comment="不符合申报条件")
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["available_actions"] == []
    assert act(api_for, "street_jianshe", pid, "submit").status_code == 409


def test_rectification_then_rerequest_then_accept(api_for, create_project):
    pid = create_project("fuyang")["id"]
    street, district = "street_fuchun", "district_fuyang"
    act(api_for, street, pid, "submit")
    act(api_for, district, pid, "approve")
    act(api_for, district, pid, "record_listing", **PAYLOAD["record_listing"])
    act(api_for, street, pid, "request_acceptance")
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    rect = act(api_for, district, pid, "issue_rectification", due_on=due, comment="绿化未完成")
    assert rect.json()["status"] == "rectifying"
    project = CreationProject.objects.get(pk=pid)
    order = project.rectification_orders.get()
    assert order.due_on.isoformat() == due and order.closed_at is None
    assert act(api_for, street, pid, "request_acceptance").json()["status"] == "acceptance_requested"
    order.refresh_from_db()
    assert order.closed_at is not None
    assert act(api_for, district, pid, "approve").status_code == 200
    accepted = act(api_for, district, pid, "record_acceptance", **PAYLOAD["record_acceptance"])
    assert accepted.json()["status"] == "accepted"


def test_invalid_action_now_is_409_and_forbidden_is_403_and_outside_scope_is_404(
        api_for, create_project):
    pid = create_project("shaoxing")["id"]
    assert act(api_for, "district_yuecheng", pid, "approve").status_code == 409
    act(api_for, "street_tashan", pid, "submit")
    assert act(api_for, "city_shaoxing", pid, "approve").status_code == 403
    assert act(api_for, "district_nanhu", pid, "approve").status_code == 404
    assert act(api_for, "street_jianshe", pid, "approve").status_code == 404
    bad = act(api_for, "district_yuecheng", pid, "fly")
    assert bad.status_code == 400 and "action" in bad.json()["errors"]


def test_record_listing_requires_date_and_document_number(api_for, create_project):
    pid = create_project("fuyang")["id"]
    act(api_for, "street_fuchun", pid, "submit")
    act(api_for, "district_fuyang", pid, "approve")
    response = act(api_for, "district_fuyang", pid, "record_listing")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"listed_on", "document_no"}
    assert CreationProject.objects.get(pk=pid).status == "in_review"


def test_jiaxing_acceptance_needs_satisfaction_survey(api_for, create_project):
    pid = create_project("jiaxing")["id"]
    act(api_for, "street_jianshe", pid, "submit")
    act(api_for, "district_nanhu", pid, "approve")
    act(api_for, "city_jiaxing", pid, "approve")
    act(api_for, "city_jiaxing", pid, "record_listing", **PAYLOAD["record_listing"])
    detail = api_for("street_jianshe").get(f"/api/projects/{pid}/").json()
    blocked = {b["action"]: b["reasons"] for b in detail["blocked_actions"]}
    assert "request_acceptance" in blocked and "满意度" in blocked["request_acceptance"][0]
    response = act(api_for, "street_jianshe", pid, "request_acceptance")
    assert response.status_code == 409 and "满意度" in response.json()["detail"]


def test_fuyang_villas_block_submission(api_for, create_project, community_in):
    community = community_in("fuyang", name="别墅社区", has_villas=True)
    pid = create_project("fuyang", community=community)["id"]
    response = act(api_for, "street_fuchun", pid, "submit")
    assert response.status_code == 409 and "富阳 四(三)" in response.json()["detail"]


def test_county_tier_refused_outside_shaoxing(api_for, community_in):
    community = community_in("jiaxing")
    response = api_for("street_jianshe").post("/api/projects/", {
        "community": community.pk, "tier": "county", "category": "renovation",
        "batch_year": 2026}, format="json")
    assert response.status_code == 400 and "tier" in response.json()["errors"]


def test_street_cannot_create_project_for_other_street_community(api_for, community_in):
    community = community_in("shaoxing")
    response = api_for("street_jianshe").post("/api/projects/", {
        "community": community.pk, "tier": "municipal", "category": "renovation",
        "batch_year": 2026}, format="json")
    assert response.status_code == 400 and "community" in response.json()["errors"]
