"""Helpers for deadline, alert and notification tests.

Projects are made two ways: in bulk (bulk_create, no signals: the sweep must find them by
SQL) with chosen dates, or through the real workflow (projects.services) so the receivers
run. Dates in the bulk tests are far in the future so `today` is always passed explicitly.
"""

import datetime as dt

import pytest

from acceptance.models import Alert, Deadline
from communities.models import Community, Region, User
from portal.models import Delivery, Notification
from projects import services
from projects.models import CreationProject, PolicyVersion, Status
from tests.projects.conftest import ACTORS, STREETS, community_in, create_project  # noqa: F401

POLICY_BY_CITY = {"3301": "fuyang-2021", "3304": "jiaxing-2023", "3306": "shaoxing-2023"}


def bulk_listed(street_code: str, count: int, *, listed_on=dt.date(2029, 6, 30),
                deadline=dt.date(2030, 6, 30), basis="测试依据", **fields) -> list[CreationProject]:
    street = Region.objects.get(code=street_code)
    policy_code = POLICY_BY_CITY[street_code[:4]]
    version = PolicyVersion.objects.filter(policy_code=policy_code).order_by("-effective_from").first()
    start = Community.objects.count()
    communities = Community.objects.bulk_create(
        Community(name=f"预警测试{start + i}社区", street=street) for i in range(count))
    status = fields.pop("status", Status.LISTED)
    return CreationProject.objects.bulk_create(
        CreationProject(community=c, street=street, tier="municipal", category="renovation", batch_year=2029,
                        status=status, policy_code=policy_code, policy_version=version, listed_on=listed_on,
                        construction_deadline=deadline, construction_deadline_basis=basis, **fields)
        for c in communities)


def construction_alerts(**filters):
    return Alert.objects.filter(deadline__kind=Deadline.Kind.CONSTRUCTION, **filters)


def alert_set(alerts=None):
    """Alerts without ids: what a rerun must reproduce exactly."""
    alerts = Alert.objects.all() if alerts is None else alerts
    return sorted(alerts.values_list("deadline__project_id", "deadline__key", "due_on", "level", "period",
                                     "office__name", "state"))


def notification_set():
    return sorted(Notification.objects.values_list("user__username", "event", "project_id", "link", "link_label",
                                                   "title", "body", "mode"))


def delivery_set():
    return sorted(Delivery.objects.values_list("user__username", "kind", "notification__title",
                                               "notification__body", "state"))


def act(project, username, action, **data):
    user = User.objects.select_related("office__region").get(username=username)
    return services.perform_action(project, user, action, data)


def drive_to_listed(project, place, listed_on: dt.date) -> CreationProject:
    """Submit and walk the application chain with the right office at each step."""
    actors = ACTORS[place]
    project = act(project, actors["street"], "submit")
    for step in project.policy.application_chain(project.tier, project.parameters()):
        action = "approve" if step.action == "review" else step.action
        project = act(project, actors[step.office_level], action, listed_on=listed_on.isoformat(),
                      document_no="测试〔2026〕1号")
    assert project.status == Status.LISTED
    return project


@pytest.fixture
def listed_project(db, users, community_in):  # noqa: F811
    """A project listed through the workflow: listed_project("fuyang", listed_on=..., **fields)."""

    def make(place, *, listed_on, tier="municipal", category="renovation", **fields):
        community = community_in(place, name=fields.pop("community_name", None))
        street_user = users[ACTORS[place]["street"]]
        project = services.create_project(street_user, community, tier=tier, category=category,
                                          batch_year=listed_on.year, **fields)
        project = CreationProject.objects.select_related("community", "street__parent", "policy_version").get(
            pk=project.pk)
        return drive_to_listed(project, place, listed_on)

    return make


def request_acceptance(project, place) -> CreationProject:
    from communities.models import Survey

    Survey.objects.get_or_create(community=project.community, kind=Survey.Kind.SATISFACTION,
                                 defaults={"conducted_on": dt.date(2025, 1, 1), "sample_size": 200,
                                           "satisfied_share": 90})
    return act(project, ACTORS[place]["street"], "request_acceptance")


def drive_to_accepted(project, place, accepted_on: dt.date) -> CreationProject:
    """Walk the acceptance chain until the project is accepted."""
    from projects import workflow

    while project.status != Status.ACCEPTED:
        move = next(m for m in workflow.moves(project) if m.action in ("approve", "record_acceptance"))
        project = act(project, ACTORS[place][move.office_level], move.action, accepted_on=accepted_on.isoformat(),
                      document_no="验收〔2026〕2号")
    return project


def issue_rectification(project, place, due_on: dt.date) -> CreationProject:
    from projects import workflow

    move = next(m for m in workflow.moves(project) if m.action == "issue_rectification")
    return act(project, ACTORS[place][move.office_level], "issue_rectification", due_on=due_on.isoformat(),
               comment="请补充完善验收材料")
