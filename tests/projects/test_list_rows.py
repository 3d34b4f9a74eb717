"""The list API reads values() rows (projects.serializers.ProjectRows) instead of model
instances; its output must be exactly ProjectSerializer's, field for field, on every status."""

import datetime as dt
from decimal import Decimal

import pytest

from projects import selectors
from projects.models import CreationProject, Status
from projects.serializers import ProjectRows, ProjectSerializer
from tests.world import projects as bulk_projects
from tests.world import user

pytestmark = pytest.mark.django_db


def make_varied_projects():
    projects = []
    for index, status in enumerate(Status.values):
        step = 0 if status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTANCE_REQUESTED,
                               Status.ACCEPTANCE_REVIEW, Status.ACCEPTED) else None
        street = ["330602001", "330402007", "330111001"][index % 3]
        (project,) = bulk_projects(street, 1, status=status, review_step=step)
        projects.append(project)
    first, second, third = projects[:3]
    CreationProject.objects.filter(pk=first.pk).update(
        name="=HYPERLINK(\"x\")", unit_area_ha=Decimal("20.5"), total_investment=Decimal("123456789.1"),
        households=1200, planned_start=dt.date(2025, 4, 1), scenarios={"health": {"level": "standard"}},
        last_comment="请补充材料", tier="provincial", jiaxing_kind="")
    CreationProject.objects.filter(pk=second.pk).update(
        listed_on=None, construction_deadline=None, construction_deadline_basis="", policy_version=None)
    CreationProject.objects.filter(pk=third.pk).update(
        construction_deadline_basis="绍兴 三（二）", building_area=Decimal("0"), accepted_on=dt.date(2026, 1, 2))
    return projects


def test_rows_equal_the_model_serializer_on_every_status():
    make_varied_projects()
    queryset = CreationProject.objects.for_list().order_by("-id")
    expected = ProjectSerializer(queryset, many=True).data
    rows = ProjectRows()
    actual = rows.represent(list(rows.read(queryset)))
    assert len(actual) == len(Status.values)
    assert [list(row) for row in actual] == [list(row) for row in expected]  # same keys, same order
    assert actual == [dict(row) for row in expected]
    labels = {row["status"]: row["review_step_label"] for row in actual}
    assert labels[Status.IN_REVIEW]  # the chain step's label, from the bound version
    assert labels[Status.LISTED] is None


def test_list_api_returns_the_rows(api_for):
    make_varied_projects()
    response = api_for("admin").get("/api/projects/")
    assert response.status_code == 200
    body = response.json()
    expected = ProjectSerializer(CreationProject.objects.for_list().order_by("-id")[:50], many=True).data
    assert body["count"] == CreationProject.objects.count()
    assert body["results"] == [dict(row) for row in expected]


@pytest.mark.parametrize("by", ["community ids", "subquery"])
def test_name_search_matches_community_or_project_name_within_scope(api_for, monkeypatch, by):
    if by == "subquery":  # more matching communities than the search passes by id
        monkeypatch.setattr("projects.selectors.TEXT_SEARCH_IDS", 1)
    by_community = bulk_projects("330402007", 3)
    by_name = bulk_projects("330402007", 2)
    elsewhere = bulk_projects("330602001", 1)  # Shaoxing: outside a Jiaxing street's scope
    Community = by_community[0].community.__class__
    Community.objects.filter(pk=by_community[0].community_id).update(name="和平里社区")
    CreationProject.objects.filter(pk=by_name[0].pk).update(name="和平路片区未来社区")
    Community.objects.filter(pk=elsewhere[0].community_id).update(name="和平新村")
    api = api_for("street_jianshe")
    found = api.get("/api/projects/", {"q": "和平"}).json()
    assert {row["id"] for row in found["results"]} == {by_community[0].pk, by_name[0].pk}
    assert found["count"] == 2
    everywhere = api_for("admin").get("/api/projects/", {"q": "和平"}).json()
    assert everywhere["count"] == 3
    # the list page (and the exports it starts) search the same way (projects.selectors.text_q)
    page, _ = selectors.project_list(user("street_jianshe"), {"q": "和平"})
    assert {project.pk for project in page} == {by_community[0].pk, by_name[0].pk}


def test_name_search_ignores_case_with_or_without_cased_letters(api_for):
    made = bulk_projects("330402007", 3)
    Community = made[0].community.__class__
    for project, name in zip(made, ["和平Garden社区", "HEPING和平苑", "东湖社区"], strict=True):
        Community.objects.filter(pk=project.community_id).update(name=name)
    api = api_for("admin")
    for text, expected in (("和平", made[:2]), ("garden", made[:1]), ("Heping和", made[1:2]), ("HEPING", made[1:2]),
                           ("平G", made[:1]), ("平g", made[:1]), ("2", [])):
        found = api.get("/api/projects/", {"q": text}).json()
        assert {row["id"] for row in found["results"]} == {p.pk for p in expected}, text


def test_no_character_upper_cases_into_a_caseless_one():
    """What lets a caseless text search without upper-casing the names (selectors.caseless):
    upper-casing (PostgreSQL's maps a character to one character) never turns a character into a
    different one that has no case, so such a text's characters are found only as themselves."""
    for code in range(0x110000):
        char = chr(code)
        upper = char.upper()
        if len(upper) == 1 and upper != char:
            assert not selectors.caseless(upper), hex(code)
    assert selectors.caseless("和平里12号") and not selectors.caseless("和平A") and not selectors.caseless("ß")


def test_status_filter_with_several_values_lists_each_project_once(api_for):
    bulk_projects("330402007", 3, status=Status.LISTED)
    bulk_projects("330402007", 2, status=Status.DRAFT)
    body = api_for("admin").get("/api/projects/?status=listed&status=draft").json()
    ids = [row["id"] for row in body["results"]]
    assert body["count"] == 5 and len(ids) == len(set(ids)) == 5


@pytest.mark.parametrize(("username", "queries"), [("admin", 4), ("city_jiaxing", 5), ("street_jianshe", 5)])
def test_a_token_request_for_a_page_is_a_fixed_number_of_queries(users, username, queries,
                                                                  django_assert_num_queries):
    """The token, its user, office and region in one query; the user's region subtree (the data
    scope's ids; an administrator has none to read; on PostgreSQL read with the token,
    communities.scope.subtree_sql); COUNT; the page's keys; the page's rows (portal.paging's
    deferred join)."""
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    if username != "admin" and connection.vendor == "postgresql":
        queries -= 1

    bulk_projects("330402007", 3)
    bulk_projects("330602001", 2)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users[username]).key}")
    with django_assert_num_queries(queries):
        response = api.get("/api/projects/")
    assert response.status_code == 200 and response.json()["count"] >= 1


def test_the_rows_follow_the_active_time_zone():
    from django.utils import timezone

    make_varied_projects()
    queryset = CreationProject.objects.for_list().order_by("-id")
    rows = ProjectRows()
    with timezone.override("UTC"):
        expected = [dict(row) for row in ProjectSerializer(queryset, many=True).data]
        actual = rows.represent(list(rows.read(queryset)))
    assert actual == expected and actual[0]["created_at"].endswith("Z")
