"""Deep pages by a deferred join (portal.paging): the same rows in the same order as a plain
slice on every page (the last, partial one included, ties in the sort key broken as the page
breaks them), in a constant number of queries whatever the page."""

from operator import itemgetter

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community
from portal.paging import DeferredRows, deferred_slice
from projects.models import CreationProject
from tests.lists import page_rows
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db

TASHAN, SIBLING = "330602001", "330602002"


@pytest.fixture
def many(users):
    """23 projects in two streets, in four batch years: many ties on batch_year."""
    for year in (2022, 2023, 2024, 2025):
        bulk_projects(TASHAN, 3, batch_year=year)
    bulk_projects(SIBLING, 11, batch_year=2024)
    return CreationProject.objects.visible_to(users["city_shaoxing"]).for_list()


@pytest.mark.parametrize("order", [("-id",), ("batch_year", "-id"), ("-batch_year", "id"),
                                   ("street__path", "community__name", "-id")])
@pytest.mark.parametrize("size", [1, 5, 7, 23, 50])
def test_every_page_holds_the_rows_of_the_plain_slice(many, order, size):
    ordered = many.order_by(*order)
    everything = list(ordered)
    assert len(everything) == 23
    pages = Paginator(DeferredRows(ordered), size)
    seen = []
    for number in pages.page_range:
        page = list(pages.page(number).object_list)
        plain = list(ordered[(number - 1) * size:number * size])
        assert [p.pk for p in page] == [p.pk for p in plain], (order, size, number)
        assert [p.street.name for p in page] == [p.street.name for p in plain]  # joined as before
        seen += page
    assert [p.pk for p in seen] == [p.pk for p in everything]


def test_values_rows_and_custom_iterables_keep_their_form(users, many):
    from projects.selectors import review_queue

    rows = deferred_slice(many.order_by("batch_year", "-id"), slice(5, 9),
                          lambda page: page.values("id", "street__name"), itemgetter("id"))
    plain = list(many.order_by("batch_year", "-id").values("id", "street__name")[5:9])
    assert rows == plain
    queue = review_queue(users["district_yuecheng"])
    assert [p.pk for p in deferred_slice(queue, slice(0, 5))] == [p.pk for p in queue[:5]]
    assert deferred_slice(many.none(), slice(0, 50)) == []


def _deep(client, url, pages=(1, 2, 3)) -> list[int]:
    counts = []
    for page in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"page": page, "size": 10}).status_code == 200
        counts.append(len(captured))
    return counts


def test_the_project_list_pages_like_the_ordered_queryset(client_for, users, many):
    client = client_for("city_shaoxing")
    expected = [p.pk for p in many.order_by("-batch_year", "-id")]
    shown = []
    for page in (1, 2, 3):  # 10, 10, 3
        response = client.get("/projects/", {"page": page, "size": 10, "sort": "-batch_year"})
        shown += [p.pk for p in response.context["page"].object_list]
    assert shown == expected
    counts = _deep(client, "/projects/")
    assert len(set(counts)) == 1, counts  # page 3 is the last, partial page


def test_the_api_list_pages_like_the_ordered_queryset(api_for, users, many):
    bulk_projects(SIBLING, 90, batch_year=2023)  # pages of 50: 50, 50, 13
    api = api_for("city_shaoxing")
    expected = [p.pk for p in many.order_by("-id")]
    shown, counts = [], []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            body = api.get("/api/projects/", {"page": page}).json()
        counts.append(len(captured))
        shown += [row["id"] for row in body["results"]]
        assert body["results"][0]["street_name"]
    assert shown == expected and len(set(counts)) == 1, counts


def test_a_sorted_list_page_pages_like_the_ordered_queryset(client_for, users):
    from communities.views import COMMUNITIES
    from tests.world import communities

    communities(TASHAN, 9, prefix="甲")
    communities(SIBLING, 8, prefix="乙")
    client = client_for("district_yuecheng")
    params = {COMMUNITIES.sort_param: "street"}  # ties: many communities per street
    ordered = COMMUNITIES.ordered(Community.objects.visible_to(users["district_yuecheng"]), params)
    expected = [c.pk for c in ordered]
    shown, number = [], 1
    while True:
        response = client.get("/communities/", {**params, "page": number, "size": 10})
        listing = response.context["listing"]
        shown += [c.pk for c in page_rows(response)]
        if not listing.page.has_next():
            break
        number += 1
    assert shown == expected and number > 1
    counts = _deep(client, "/communities/", pages=(1, 2))
    assert len(set(counts)) == 1, counts


@pytest.mark.parametrize("order", [("-id",), ("planned_start", "-id"), ("-planned_start", "name", "id")])
def test_keys_read_from_the_far_end_are_the_slice_of_the_list(many, order):
    """page_keys past the middle reads the reversed ordering backwards: the same keys, NULLs and
    ties included, when the ordering ends with the primary key; otherwise it reads forwards."""
    from portal.paging import page_keys

    some = list(many.values_list("pk", flat=True))
    CreationProject.objects.filter(pk__in=some[::3]).update(planned_start="2026-05-01")
    CreationProject.objects.filter(pk__in=some[1::3]).update(planned_start=None)
    ordered = many.order_by(*order)
    keys = list(ordered.values_list("pk", flat=True))
    total = len(keys)
    for start in range(total + 1):
        for size in (1, 4, 50):
            with CaptureQueriesContext(connection) as sent:
                got = page_keys(ordered, slice(start, start + size), total)
            assert got == keys[start:start + size], (order, start, size)
            far = start > total - (start + size)
            assert len(sent) == (0 if far and start >= total else 1)  # past the end: nothing to read
            if far and start < total:
                assert ("ASC" if order[-1] == "-id" else "DESC") in sent[0]["sql"].rsplit("ORDER BY", 1)[1]


def test_an_ordering_with_ties_is_read_forwards(many):
    """Without the primary key last, the reversed ordering need not mirror the ties: forwards."""
    from portal.paging import page_keys

    with CaptureQueriesContext(connection) as sent:
        assert len(page_keys(many.order_by("batch_year"), slice(20, 23), 23)) == 3
    assert "OFFSET 20" in sent[0]["sql"]


def test_keys_compiled_once_per_key_and_window_read_what_is_there_now(users, many):
    from portal import compiled
    from portal.paging import page_keys

    compiled.forget()
    ordered = many.order_by("-id")
    plain = list(ordered.values_list("pk", flat=True))
    total = len(plain)
    windows = [slice(0, 5), slice(5, 10), slice(20, 25), slice(15, 20)]  # the last two read backwards
    for _ in range(2):  # compiled, then replayed
        for window in windows:
            assert page_keys(ordered, window, total, ("t", "shaoxing")) == plain[window]
    with CaptureQueriesContext(connection) as sent:
        page_keys(ordered, slice(0, 5), total, ("t", "shaoxing"))
    assert len(sent.captured_queries) == 1
    newest = bulk_projects(TASHAN, 1, batch_year=2026)[0]  # the replayed statement reads it
    assert page_keys(ordered, slice(0, 5), total + 1, ("t", "shaoxing")) == [newest.pk, *plain[:4]]
    assert page_keys(ordered, slice(25, 30), total, ("t", "shaoxing")) == []
