"""One owner for the construction deadline and for "deadline met" (DOMAIN §4.1).

The deadline's date is read from the project's stored copy by the list filter, the API, the
overdue report, the dashboard and the workbench, and from the Deadline row by the alerts; both
are written by the one recomputation, so a parameter change moves them together. "Met" is one
expression for the per-project recomputation and the daily sweep.

Dates are fixed by hand: the clock (timezone.now, which timezone.localdate and the records'
timestamps read) is set for each step.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from acceptance import sweep
from acceptance.models import Alert, Deadline
from communities.models import User
from dashboards.boards import overdue_board
from projects import workbench
from projects.models import CreationProject, PolicyVersion
from subsidies.reports import OverdueList
from tests.acceptance.conftest import issue_rectification, request_acceptance

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
SOON = "30天内到期的建设完成时限"


@pytest.fixture
def clock(monkeypatch):
    """clock(date): from now on it is 10:00 in Shanghai on `date`."""
    current = {}
    monkeypatch.setattr(timezone, "now", lambda: current["now"])

    def set_to(day: dt.date):
        current["now"] = dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI)

    return set_to


def _readers(client, api, street_user, district_user, project, today):
    """What every reader says about the project's construction deadline on `today`."""
    page = client.get("/projects/?overdue=1")
    assert page.status_code == 200
    listed = client.get("/api/projects/?overdue=true").json()
    detail = api.get(f"/api/projects/{project.pk}/").json()
    report = [row for _, _, row in OverdueList().rows(district_user, {}) if row[2] == project.community.name]
    board = overdue_board(district_user, {}, today).tables[0].rows
    fuyang = next(row for row in board if row[1] == "富阳区")
    soon = next(s for s in workbench.sections(street_user) if s["title"] == SOON)
    row = Deadline.objects.get(project=project, key="construction")
    return {
        "list page overdue": project.pk in [p.pk for p in page.context["page"].object_list],
        "api overdue": project.pk in [p["id"] for p in listed["results"]],
        "api date": detail["construction_deadline"]["date"],
        "report": [(r[8], r[10]) for r in report],  # 建设完成时限, 逾期天数
        "board overdue": int(str(fuyang[3])),
        "workbench soon": [item["label"] for item in soon["items"]] == [project.display_name],
        "column": CreationProject.objects.get(pk=project.pk).construction_deadline,
        "row": row.due_on,
        "open alerts": sorted(set(Alert.objects.filter(deadline=row, state="open")  # one per office
                                  .values_list("due_on", "level"))),
    }


def test_a_parameter_change_moves_the_deadline_for_every_reader(
        clock, listed_project, client_for, api_for, django_capture_on_commit_callbacks, eager_celery):
    """富阳 四(六): 旧改类 L + 1 year. Listed 2023-06-01, so due 2024-06-01; the bound parameter
    version changed to 2 years moves it to 2025-06-01 everywhere."""
    clock(dt.date(2023, 6, 1))
    project = listed_project("fuyang", listed_on=dt.date(2023, 6, 1), community_name="时限归属测试社区")
    street_user = User.objects.select_related("office__region").get(username="street_fuchun")
    district_user = User.objects.select_related("office__region").get(username="district_fuyang")
    today = dt.date(2025, 5, 15)
    clock(today)
    client, api = client_for("district_fuyang"), api_for("district_fuyang")  # logged in today
    sweep.sweep_deadlines(today)

    before = _readers(client, api, street_user, district_user, project, today)
    assert before == {
        "list page overdue": True, "api overdue": True, "api date": "2024-06-01",
        "report": [(dt.date(2024, 6, 1), 348)], "board overdue": 1, "workbench soon": False,
        "column": dt.date(2024, 6, 1), "row": dt.date(2024, 6, 1),
        "open alerts": [(dt.date(2024, 6, 1), "overdue")],
    }

    version = PolicyVersion.objects.get(pk=project.policy_version_id)
    version.parameters = {**version.parameters, "years_renovation": 2}
    with django_capture_on_commit_callbacks(execute=True):
        version.save()  # the recomputation is a task run after commit (in-process here)
    sweep.sweep_deadlines(today)

    after = _readers(client, api, street_user, district_user, project, today)
    assert after == {
        "list page overdue": False, "api overdue": False, "api date": "2025-06-01",
        "report": [], "board overdue": 0, "workbench soon": True,
        "column": dt.date(2025, 6, 1), "row": dt.date(2025, 6, 1),
        "open alerts": [(dt.date(2025, 6, 1), "d30")],
    }


def test_met_is_the_first_request_in_the_event_path_and_in_the_sweep(clock, listed_project):
    """DOMAIN §4.1: "The deadline is met when acceptance is requested on or before that date."
    The document does not say which request counts after a failed acceptance; the platform's
    reading is the first one (the street finished and asked in time; the rectification order
    has its own deadline, §4.2). Listed 2023-06-01 under 富阳 四(六), due 2024-06-01: requested
    2024-05-20, rectification ordered 2024-05-25, requested again 2024-07-10."""
    clock(dt.date(2023, 6, 1))
    project = listed_project("fuyang", listed_on=dt.date(2023, 6, 1))
    clock(dt.date(2024, 5, 20))
    project = request_acceptance(project, "fuyang")
    clock(dt.date(2024, 5, 25))
    project = issue_rectification(project, "fuyang", dt.date(2024, 7, 31))
    clock(dt.date(2024, 7, 10))
    project = request_acceptance(project, "fuyang")

    event = Deadline.objects.get(project=project, key="construction")
    assert (event.due_on, event.state, event.met_on, event.missed) == (
        dt.date(2024, 6, 1), "met", dt.date(2024, 5, 20), False)

    # The sweep's own path: a project whose rows it creates and marks from the data alone.
    Deadline.objects.filter(project=project).delete()
    sweep.sweep_deadlines(dt.date(2024, 7, 11))
    swept = Deadline.objects.get(project=project, key="construction")
    assert (swept.due_on, swept.state, swept.met_on, swept.missed) == (
        dt.date(2024, 6, 1), "met", dt.date(2024, 5, 20), False)
