"""The list API's COUNT and page keys compiled once per scope and filter values
(projects.api.list_key, portal.compiled; issue #19): every combination of filters still answers
with its own rows, whatever was asked before in the process, and the overdue filter compares
with the day its statements are kept for."""

import datetime as dt

import pytest
from django.utils import timezone

from portal import compiled
from projects.models import Status
from tests.world import STREETS
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2031, 5, 20)


def listed(api, query: str) -> tuple[int, list[int]]:
    response = api.get(f"/api/projects/?{query}")
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    return body["count"], [row["id"] for row in body["results"]]


def test_each_combination_of_filters_gives_its_own_rows(api_for):
    shaoxing = bulk_projects(STREETS["shaoxing"], 52, tier="municipal", batch_year=2025)  # two pages
    provincial = bulk_projects(STREETS["shaoxing"], 2, tier="provincial", batch_year=2026)
    jiaxing = bulk_projects(STREETS["jiaxing"], 4, status=Status.ACCEPTED, batch_year=2025)
    ids = lambda made: sorted((p.pk for p in made), reverse=True)  # noqa: E731  (the list's order, newest first)
    admin = api_for("admin")
    cases = {
        "tier=provincial": ids(provincial),
        "tier=municipal": ids([*shaoxing, *jiaxing])[:50],
        "tier=municipal&page=2": ids([*shaoxing, *jiaxing])[50:],
        "batch_year=2025": ids([*shaoxing, *jiaxing])[:50],
        "batch_year=2026": ids(provincial),
        f"street={STREETS['jiaxing']}": ids(jiaxing),
        f"street={STREETS['shaoxing']}&tier=municipal": ids(shaoxing)[:50],
        f"street={STREETS['shaoxing']}&tier=municipal&page=2": ids(shaoxing)[50:],
        "status=accepted&batch_year=2025": ids(jiaxing),
        "status=accepted&batch_year=2026": [],
    }
    counts = {"tier=municipal": 56, "batch_year=2025": 56, f"street={STREETS['shaoxing']}&tier=municipal": 52}
    for _ in range(2):  # the second round replays the statements kept by the first
        for query, expected in cases.items():
            count = counts.get(query.removesuffix("&page=2"), len(expected))
            assert listed(admin, query) == (count, expected), query
    kept = [key for key in compiled._statements if "project list" in key]
    assert any("count" in key for key in kept) and any("page keys" in key for key in kept)
    # a street user's scope is part of the key: the same filters, the street's rows only
    assert listed(api_for("street_tashan"), "batch_year=2025") == (52, ids(shaoxing)[:50])
    assert listed(api_for("street_tashan"), f"street={STREETS['jiaxing']}") == (0, [])


def test_the_overdue_filter_compares_with_the_day_of_its_kept_statements(api_for, monkeypatch):
    (late,) = bulk_projects(STREETS["shaoxing"], 1, construction_deadline=DEADLINE)
    admin = api_for("admin")
    for day, overdue in ((DEADLINE, []), (DEADLINE + dt.timedelta(days=1), [late.pk]), (DEADLINE, [])):
        monkeypatch.setattr(timezone, "localdate", lambda *args, day=day: day)
        assert listed(admin, "overdue=true") == (len(overdue), overdue), day
        assert listed(admin, "overdue=false")[0] == 1 - len(overdue), day


def test_a_list_whose_statements_are_kept_builds_no_queryset(api_for, monkeypatch):
    from projects.api import ProjectViewSet

    bulk_projects(STREETS["shaoxing"], 3, tier="provincial")
    built = []
    real, real_base = ProjectViewSet.get_queryset, ProjectViewSet.base_queryset
    monkeypatch.setattr(ProjectViewSet, "get_queryset", lambda self: built.append(1) or real(self))
    monkeypatch.setattr(ProjectViewSet, "base_queryset", lambda self: built.append("base") or real_base(self))
    street = api_for("street_tashan")
    first = listed(street, "tier=provincial")
    assert built  # the first request compiles the list's statements from the scoped queryset
    built.clear()
    assert listed(street, "tier=provincial") == first and first[0] == 3
    assert not built  # kept: nothing built, not even the unfiltered base for its ordering
    assert listed(street, "tier=municipal")[0] == 0 and built  # other filters: built once more
    assert api_for("street_tashan").get("/api/projects/?tier=bogus").status_code == 400  # still checked


def test_another_filter_backend_takes_the_eager_path_with_the_same_rows(api_for, monkeypatch):
    """ProjectViewSet.list builds its queryset lazily only while FilterBackend is its one filter
    backend; with another one as well, the filtered queryset is built at once (filter_queryset)
    and every backend applies: the same rows and count where the extra one filters nothing."""
    from rest_framework.filters import BaseFilterBackend

    from portal.api_filters import FilterBackend
    from projects.api import ProjectViewSet

    bulk_projects(STREETS["shaoxing"], 53, tier="municipal", batch_year=2025)  # two pages
    bulk_projects(STREETS["shaoxing"], 2, tier="provincial", batch_year=2026)
    admin = api_for("admin")
    lazy = {query: listed(admin, query) for query in ("", "tier=municipal", "tier=municipal&page=2")}
    applied = []

    class Passing(BaseFilterBackend):
        def filter_queryset(self, request, queryset, view):
            applied.append(request.GET.get("page"))
            return queryset

    monkeypatch.setattr(ProjectViewSet, "filter_backends", [FilterBackend, Passing])
    for query, expected in lazy.items():
        assert listed(admin, query) == expected, query
    assert len(applied) == 3

    class Provincial(BaseFilterBackend):
        def filter_queryset(self, request, queryset, view):
            return queryset.filter(tier="provincial")

    monkeypatch.setattr(ProjectViewSet, "filter_backends", [FilterBackend, Provincial])
    count, ids = listed(admin, "")
    assert count == 2 and len(ids) == 2  # the extra backend's filter counts too
    assert listed(admin, "tier=municipal") == (0, [])


def test_the_filtering_applies_to_each_queryset_it_is_given(users, rf):
    """FilterBackend.filtering: the request's filters as a function, applied afresh to every
    queryset it gets (django-filter's FilterSet.qs keeps its first result: a second queryset
    must not be answered with the first one's rows)."""
    from rest_framework.request import Request

    from portal.api_filters import FilterBackend
    from projects.api import ProjectViewSet
    from projects.models import CreationProject

    shaoxing = bulk_projects(STREETS["shaoxing"], 3, tier="provincial")
    jiaxing = bulk_projects(STREETS["jiaxing"], 2, tier="provincial")
    bulk_projects(STREETS["jiaxing"], 1, tier="municipal")
    view = ProjectViewSet(action="list", format_kwarg=None)
    view.request = request = Request(rf.get("/api/projects/", {"tier": "provincial"}))
    request.user = users["admin"]
    filtering = FilterBackend().filtering(request, view, CreationProject.objects.none())
    in_shaoxing = CreationProject.objects.filter(street__code=STREETS["shaoxing"])
    in_jiaxing = CreationProject.objects.filter(street__code=STREETS["jiaxing"])
    assert sorted(filtering(in_shaoxing).values_list("pk", flat=True)) == sorted(p.pk for p in shaoxing)
    assert sorted(filtering(in_jiaxing).values_list("pk", flat=True)) == sorted(p.pk for p in jiaxing)
