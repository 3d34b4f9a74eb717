"""Decision dates are checked against the project's history in one place (projects.dates):
列入名单 ≤ 申请验收 ≤ 验收通过 ≤ 命名, none in the future — on the API, the pages and the
acceptance/naming batches, with a message naming the field and nothing written (issue #20
item 5: a project listed 2026-04-24 was recorded accepted 2019-01-01 and named 2018-06-01)."""

import datetime as dt

import pytest

from acceptance.models import AcceptanceBatch, NamingBatch
from projects import workflow
from projects.models import CreationProject, Status, Transition
from subsidies.models import Payment
from tests.world import ACTORS, act, request_acceptance

pytestmark = pytest.mark.django_db
LISTED = dt.date(2026, 4, 24)
REQUESTED = dt.date(2026, 6, 10)


def post_action(api_for, username, project, action, **data):
    return api_for(username).post(f"/api/projects/{project.pk}/actions/", {"action": action, **data},
                                  format="json")


def requested_project(clock, listed_project, place="jiaxing"):
    """Listed 2026-04-24, acceptance requested 2026-06-10 and reviewed up to the step that
    records acceptance."""
    clock(dt.date(2026, 5, 1))
    project = listed_project(place, listed_on=LISTED)
    clock(REQUESTED)
    project = request_acceptance(project, place)
    assert project.acceptance_requested_on == REQUESTED
    while True:
        move = next(m for m in workflow.moves(project) if m.action in ("approve", "record_acceptance"))
        if move.action == "record_acceptance":
            return project, ACTORS[place][move.office_level]
        project = act(project, ACTORS[place][move.office_level], "approve")


def unchanged(project, before):
    fresh = CreationProject.objects.get(pk=project.pk)
    assert (fresh.status, fresh.accepted_on, fresh.named_on) == before
    return fresh


def test_acceptance_before_the_request_is_refused_naming_the_field(clock, listed_project, api_for):
    project, office = requested_project(clock, listed_project)
    clock(dt.date(2026, 7, 1))
    history = Transition.objects.filter(project=project).count()
    before = (project.status, None, None)

    refused = post_action(api_for, office, project, "record_acceptance", accepted_on="2019-01-01",
                          document_no="验收〔2019〕1号")

    assert refused.status_code == 400, refused.json()
    assert "验收通过日期（2019-01-01）不能早于申请验收日期（2026-06-10）" in str(refused.json())
    unchanged(project, before)
    assert Transition.objects.filter(project=project).count() == history

    future = post_action(api_for, office, project, "record_acceptance", accepted_on="2026-07-02",
                         document_no="验收〔2026〕1号")
    assert future.status_code == 400
    assert "验收通过日期不能晚于今天（2026-07-01）" in str(future.json())
    unchanged(project, before)

    accepted = post_action(api_for, office, project, "record_acceptance", accepted_on="2026-06-20",
                           document_no="验收〔2026〕1号")
    assert accepted.status_code == 200, accepted.json()


def test_naming_before_acceptance_is_refused_and_no_award_payment_appears(clock, listed_project, api_for):
    project, office = requested_project(clock, listed_project)
    clock(dt.date(2026, 7, 1))
    assert post_action(api_for, office, project, "record_acceptance", accepted_on="2026-06-20",
                       document_no="验收〔2026〕1号").status_code == 200
    project = CreationProject.objects.get(pk=project.pk)
    namer = ACTORS["jiaxing"][next(m.office_level for m in workflow.moves(project) if m.action == "record_naming")]

    refused = post_action(api_for, namer, project, "record_naming", named_on="2018-06-01",
                          document_no="命名〔2018〕1号")

    assert refused.status_code == 400
    assert refused.json()["errors"]["named_on"] == "命名日期（2018-06-01）不能早于验收通过日期（2026-06-20）"
    unchanged(project, (Status.ACCEPTED, dt.date(2026, 6, 20), None))
    assert not Payment.objects.filter(project=project, due_on__year=2018).exists()


def test_the_page_refuses_the_same_dates(clock, listed_project, client_for):
    project, office = requested_project(clock, listed_project)
    clock(dt.date(2026, 7, 1))
    client = client_for(office)

    response = client.post(f"/projects/{project.pk}/act/", {
        "action": "record_acceptance", "accepted_on": "2019-01-01", "document_no": "验收〔2019〕1号"}, follow=True)

    assert "验收通过日期（2019-01-01）不能早于申请验收日期（2026-06-10）" in response.content.decode()
    unchanged(project, (project.status, None, None))


def test_a_batch_with_a_date_before_the_request_writes_nothing(clock, listed_project, api_for):
    project, office = requested_project(clock, listed_project)
    clock(dt.date(2026, 7, 1))
    api = api_for(office)
    batch = api.post("/api/acceptance-batches/", {"kind": "scheduled", "held_on": "2019-01-01", "title": "补录",
                                                  "projects": [project.pk]}, format="json")
    assert batch.status_code == 400
    assert "验收通过日期（2019-01-01）不能早于申请验收日期（2026-06-10）" in str(batch.json())
    assert not AcceptanceBatch.objects.exists()
    unchanged(project, (project.status, None, None))


def test_a_planned_batch_whose_day_has_not_come_cannot_record_results(clock, listed_project, api_for):
    project, office = requested_project(clock, listed_project)
    clock(dt.date(2026, 7, 1))
    api = api_for(office)
    batch = api.post("/api/acceptance-batches/", {"kind": "scheduled", "held_on": "2026-07-15", "title": "定时验收",
                                                  "projects": [project.pk]}, format="json")
    assert batch.status_code == 201, batch.json()

    results = api.post(f"/api/acceptance-batches/{batch.json()['id']}/results/", {
        "document_no": "验收〔2026〕1号", "results": [{"project": project.pk, "passed": True}]}, format="json")

    assert results.status_code == 400, results.json()
    assert "验收通过日期不能晚于今天（2026-07-01）" in str(results.json())
    assert AcceptanceBatch.objects.get().results_recorded_at is None
    unchanged(project, (project.status, None, None))


def test_a_naming_batch_dated_before_acceptance_writes_nothing(clock, listed_project, api_for):
    project, office = requested_project(clock, listed_project)
    clock(dt.date(2026, 7, 1))
    assert post_action(api_for, office, project, "record_acceptance", accepted_on="2026-06-20",
                       document_no="验收〔2026〕1号").status_code == 200
    project = CreationProject.objects.get(pk=project.pk)
    namer = ACTORS["jiaxing"][next(m.office_level for m in workflow.moves(project) if m.action == "record_naming")]

    refused = api_for(namer).post("/api/naming-batches/", {
        "title": "2018年命名", "document_no": "命名〔2018〕1号", "named_on": "2018-06-01",
        "projects": [project.pk]}, format="json")

    assert refused.status_code == 400
    assert "命名日期（2018-06-01）不能早于验收通过日期（2026-06-20）" in str(refused.json())
    assert not NamingBatch.objects.exists()
    unchanged(project, (Status.ACCEPTED, dt.date(2026, 6, 20), None))


def test_listing_in_the_future_is_refused(clock, users, api_for, create_project):
    clock(dt.date(2026, 5, 1))
    from tests.world import fresh, listed

    pid = create_project("fuyang")["id"]
    project = fresh(CreationProject.objects.get(pk=pid))
    with pytest.raises(Exception, match="列入名单日期不能晚于今天（2026-05-01）"):
        listed(project, "fuyang", dt.date(2026, 5, 2))
    assert CreationProject.objects.get(pk=pid).listed_on is None
