"""The shared test world (tests/world.py) is what its docstring says."""

import datetime as dt

import pytest

from communities.models import Community
from projects.models import CreationProject, Status
from tests import world as w

pytestmark = pytest.mark.django_db


def test_the_world_has_a_project_in_every_status_in_tashan(world):
    assert sorted(world.project) == sorted(Status.values)
    assert {p.status for p in world.project.values()} == set(Status.values)
    assert {p.street.code for p in world.project.values()} == {"330602001"}
    assert world.project[Status.NAMED].named_on == dt.date(2026, 1, 15)
    assert world.project[Status.DRAFT].listed_on is None
    visible = set(CreationProject.objects.visible_to(world.users["street_tashan"]).values_list("pk", flat=True))
    assert visible == {p.pk for p in world.project.values()}
    assert not CreationProject.objects.visible_to(world.users["street_jianshe"]).exists()


def test_the_world_has_a_community_per_jurisdiction(world):
    assert {place: c.street.code for place, c in world.community.items()} == {
        "fuyang": "330111001", "jiaxing": "330402007", "shaoxing": "330602001"}
    assert Community.objects.get(name="jiaxing世界社区").resident_surveys.get().kind == "needs"


def test_drive_takes_a_project_through_listing_acceptance_and_naming_on_the_given_dates(users):
    project = w.drive("jiaxing", listed_on=dt.date(2024, 3, 1), accepted_on=dt.date(2025, 5, 6),
                      named_on=dt.date(2025, 9, 1), spent="1,000.00")
    assert (project.status, project.listed_on, project.accepted_on, project.named_on) == (
        "named", dt.date(2024, 3, 1), dt.date(2025, 5, 6), dt.date(2025, 9, 1))
    assert project.spending_final
    assert [r.amount for r in project.spending.all()] == [w.money("1000")]
