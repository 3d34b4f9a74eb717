"""Projects driven through the real workflow (services.perform_action) with past dates,
spending declared final, and the subsidy computation run as of a given day."""

import datetime as dt
from decimal import Decimal

import pytest

from communities.models import Community, Office, Region, Survey, User
from projects import services
from projects.models import CreationProject, SpendingRecord
from subsidies.services import compute_subsidies
from tests.projects.conftest import ACTORS, STREETS

D = dt.date
DOC = {"record_listing": "列入〔{year}〕1号", "record_acceptance": "验收〔{year}〕2号",
       "record_naming": "命名〔{year}〕3号"}


def money(text) -> Decimal:
    return Decimal(str(text).replace(",", "")).quantize(Decimal("0.01"))


def finance_user(district_code: str, username: str) -> User:
    office = Office.objects.get(kind=Office.Kind.FINANCE, region__code=district_code)
    return User.objects.get_or_create(username=username, defaults={"office": office})[0]


def _act(project, user, action, **data):
    return services.perform_action(CreationProject.objects.select_related(
        "street__parent", "community", "policy_version").get(pk=project.pk), user, action, data)


def _walk(project, chain, actors, dates):
    for step in chain:
        action = "approve" if step.action == "review" else step.action
        payload = {}
        if action in DOC:
            on = dates[action]
            key = {"record_listing": "listed_on", "record_acceptance": "accepted_on",
                   "record_naming": "named_on"}[action]
            payload = {key: on, "document_no": DOC[action].format(year=on.year)}
        project = _act(project, actors[step.office_level], action, **payload)
        if action == "record_acceptance" and dates.get("record_naming") is None:
            break  # stop at accepted when no naming date is given
    return project


@pytest.fixture
def community_at(db):
    def make(street_code, name=None):
        street = Region.objects.get(code=street_code)
        count = Community.objects.count()
        community = Community.objects.create(name=name or f"奖补测试{count}社区", street=street, area_ha=20)
        Survey.objects.create(community=community, kind=Survey.Kind.NEEDS, conducted_on=D(2021, 3, 1),
                              sample_size=300)
        return community

    return make


@pytest.fixture
def drive(users, community_at):
    """A project of `place` taken through listing, acceptance and naming on the given dates."""

    def run(place, tier="municipal", *, listed_on, accepted_on=None, named_on=None, task_year=None,
            spent=None, spending_final=True, community=None, category="renovation", actors=None):
        actors = {level: users[name] if isinstance(name, str) else name
                  for level, name in (actors or ACTORS[place]).items()}
        community = community or community_at(STREETS[place])
        project = services.create_project(actors["street"], community, tier=tier, category=category,
                                          batch_year=listed_on.year, task_year=task_year)
        project = _act(project, actors["street"], "submit")
        dates = {"record_listing": listed_on, "record_acceptance": accepted_on, "record_naming": named_on}
        project = _walk(project, project.policy.application_chain(tier, project.parameters()), actors, dates)
        assert project.status == "listed", project.status
        if accepted_on:
            Survey.objects.create(community=community, kind=Survey.Kind.SATISFACTION,
                                  conducted_on=accepted_on, sample_size=200, satisfied_share=95)
            project = _act(project, actors["street"], "request_acceptance")
            project = _walk(project, project.policy.acceptance_chain(tier, project.parameters()), actors, dates)
            assert project.status == ("named" if named_on else "accepted"), project.status
        if spent is not None:
            SpendingRecord.objects.create(project=project, spent_on=accepted_on or listed_on,
                                          amount=money(spent), description="工程款",
                                          recorded_by=actors["street"])
            CreationProject.objects.filter(pk=project.pk).update(spending_final=spending_final)
        return CreationProject.objects.get(pk=project.pk)

    return run


@pytest.fixture
def compute(db):
    def run(today):
        return compute_subsidies(today=today)

    return run
