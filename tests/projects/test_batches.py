"""Acceptance batches (机动/定时验收) and naming batches: all results at once, all or nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from projects.models import CreationProject, Status
from residents.models import Survey
from tests.projects.test_lifecycle_api import PAYLOAD, act

pytestmark = pytest.mark.django_db


def listed_then_requested(api_for, create_project, n=2):
    ids = []
    for i in range(n):
        pid = create_project("jiaxing", community=None)["id"] if i == 0 else None
        if pid is None:
            from communities.models import Community, Region

            community = Community.objects.create(name=f"批次社区{i}", street=Region.objects.get(code="330402007"))
            Survey.objects.create(community=community, kind="needs", source="staff", conducted_on=dt.date(2025, 1, 1),
                                  sample_size=1)
            pid = create_project("jiaxing", community=community)["id"]
        project = CreationProject.objects.get(pk=pid)
        Survey.objects.create(community=project.community, project=project, kind="satisfaction", source="staff",
                              conducted_on=timezone.localdate(), sample_size=100, satisfied_share=90)
        act(api_for, "street_jianshe", pid, "submit")
        act(api_for, "district_nanhu", pid, "approve")
        act(api_for, "city_jiaxing", pid, "approve")
        act(api_for, "city_jiaxing", pid, "record_listing", **PAYLOAD["record_listing"])
        act(api_for, "street_jianshe", pid, "request_acceptance")
        act(api_for, "district_nanhu", pid, "approve")
        ids.append(pid)
    return ids


def test_city_records_a_scheduled_batch_with_one_pass_and_one_rectification(api_for, create_project):
    first, second = listed_then_requested(api_for, create_project)
    api = api_for("city_jiaxing")
    created = api.post("/api/acceptance-batches/", {"kind": "scheduled", "held_on": timezone.localdate().isoformat(),
                                                    "title": "2026年第四季度定时验收",
                                                    "projects": [first, second]}, format="json")
    assert created.status_code == 201, created.json()
    batch_id = created.json()["id"]
    due = (timezone.localdate() + dt.timedelta(days=45)).isoformat()
    recorded = api.post(f"/api/acceptance-batches/{batch_id}/results/", {
        "document_no": "嘉风貌〔2026〕20号",
        "results": [{"project": first, "passed": True},
                    {"project": second, "passed": False, "due_on": due, "comment": "台账资料不全"}]},
        format="json")
    assert recorded.status_code == 200, recorded.json()
    assert CreationProject.objects.get(pk=first).status == Status.ACCEPTED
    assert CreationProject.objects.get(pk=second).status == Status.RECTIFYING
    again = api.post(f"/api/acceptance-batches/{batch_id}/results/", {
        "document_no": "x", "results": [{"project": first, "passed": True}]}, format="json")
    assert again.status_code == 400


def test_batch_results_are_all_or_nothing(api_for, create_project):
    first, second = listed_then_requested(api_for, create_project)
    api = api_for("city_jiaxing")
    batch_id = api.post("/api/acceptance-batches/", {"kind": "ad_hoc", "held_on": timezone.localdate().isoformat(),
                                                     "title": "机动验收", "projects": [first, second]},
                        format="json").json()["id"]
    response = api.post(f"/api/acceptance-batches/{batch_id}/results/", {
        "document_no": "嘉风貌〔2026〕21号",
        "results": [{"project": first, "passed": True}, {"project": second, "passed": False}]},
        format="json")  # the failed one lacks due_on and comment
    assert response.status_code == 400
    assert CreationProject.objects.get(pk=first).status == Status.ACCEPTANCE_REVIEW


def test_other_offices_cannot_batch_or_see_batches(api_for, create_project):
    (first,) = listed_then_requested(api_for, create_project, n=1)
    refused = api_for("district_yuecheng").post("/api/acceptance-batches/", {
        "kind": "ad_hoc", "held_on": timezone.localdate().isoformat(), "title": "x", "projects": [first]},
        format="json")
    assert refused.status_code == 400  # the project is outside 越城区's scope
    batch_id = api_for("city_jiaxing").post("/api/acceptance-batches/", {
        "kind": "ad_hoc", "held_on": timezone.localdate().isoformat(), "title": "x", "projects": [first]},
        format="json").json()["id"]
    assert api_for("city_shaoxing").get(f"/api/acceptance-batches/{batch_id}/").status_code == 404
    assert api_for("district_nanhu").post(f"/api/acceptance-batches/{batch_id}/results/", {
        "document_no": "x", "results": [{"project": first, "passed": True}]}, format="json").status_code == 404


def test_leading_group_names_a_batch(api_for, create_project):
    first, second = listed_then_requested(api_for, create_project)
    api = api_for("city_jiaxing")
    batch_id = api.post("/api/acceptance-batches/", {"kind": "scheduled", "held_on": timezone.localdate().isoformat(),
                                                     "title": "定时验收", "projects": [first, second]},
                        format="json").json()["id"]
    api.post(f"/api/acceptance-batches/{batch_id}/results/", {
        "document_no": "嘉风貌〔2026〕22号",
        "results": [{"project": first, "passed": True}, {"project": second, "passed": True}]}, format="json")
    named = api_for("leader_jiaxing").post("/api/naming-batches/", {
        "title": "第一批市级未来社区", "document_no": "嘉未来办〔2026〕3号",
        "named_on": timezone.localdate().isoformat(), "projects": [first, second]}, format="json")
    assert named.status_code == 201, named.json()
    assert set(CreationProject.objects.filter(pk__in=[first, second]).values_list("status", flat=True)) == {"named"}
    page = api_for("leader_jiaxing").get("/api/naming-batches/")
    assert page.json()["count"] == 1


def test_street_finalises_spending_once_after_acceptance(api_for, create_project):
    (pid,) = listed_then_requested(api_for, create_project, n=1)
    api = api_for("street_jianshe")
    spent = api.post("/api/spending/", {"project": pid, "spent_on": timezone.localdate().isoformat(),
                                        "amount": "1234567.89", "description": "景观提升"}, format="json")
    assert spent.status_code == 201
    assert api.post(f"/api/projects/{pid}/finalise-spending/").status_code == 409  # not accepted yet
    act(api_for, "city_jiaxing", pid, "record_acceptance", **PAYLOAD["record_acceptance"])
    assert api_for("district_nanhu").post(f"/api/projects/{pid}/finalise-spending/").status_code == 403
    assert api.post(f"/api/projects/{pid}/finalise-spending/").status_code == 200
    assert CreationProject.objects.get(pk=pid).spending_final
    assert api.post(f"/api/projects/{pid}/finalise-spending/").status_code == 409
    late = api.post("/api/spending/", {"project": pid, "spent_on": timezone.localdate().isoformat(),
                                       "amount": "1.00", "description": "x"}, format="json")
    assert late.status_code == 409
    history = api.get(f"/api/projects/{pid}/history/").json()
    assert history[-1]["action"] == "finalise_spending" and "1234567.89" in history[-1]["comment"]
