"""The kept project counts (projects.counts, issue #19): after every kind of write, a scope's count
by status equals COUNT(*) of the projects the scope function shows. PostgreSQL only (the
triggers); elsewhere the list counts rows and `scope_count` says so by returning None."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from communities.models import Region
from projects import counts
from projects.models import CreationProject, ProjectCount, Status
from tests.world import projects, user

pytestmark = pytest.mark.django_db

USERS = ("admin", "city_jiaxing", "city_shaoxing", "district_yuecheng", "street_tashan", "finance_fuyang")
STATUS_SETS = ((), ("listed",), ("listed", "draft"), ("accepted", "rectifying", "named"), ("no-such-status",))


def assert_counts_exact():
    for username in USERS:
        who = user(username)
        for statuses in STATUS_SETS:
            rows = CreationProject.objects.visible_to(who)
            if statuses:
                rows = rows.filter(status__in=statuses)
            assert counts.scope_count(who, statuses) == rows.count(), (username, statuses)


def test_without_triggers_the_caller_counts_rows():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL keeps the counts")
    assert counts.scope_count(user("admin")) is None
    assert counts.list_count(user("admin"), {}) is None


@pytest.mark.postgres
def test_counts_follow_every_kind_of_write():
    made = []
    for street, status in (("330602001", Status.LISTED), ("330402007", Status.DRAFT),
                           ("330111001", Status.ACCEPTED), ("330602001", Status.RECTIFYING)):
        made += projects(street, 3, status=status)  # bulk INSERT
    assert_counts_exact()

    first = made[0]
    first.status = Status.ACCEPTED  # a model save: one UPDATE
    first.save()
    CreationProject.objects.filter(pk__in=[p.pk for p in made[3:6]]).update(status=Status.NAMED)  # bulk
    CreationProject.objects.filter(pk=made[6].pk).update(name="只改名称")  # no count changes
    CreationProject.objects.filter(pk=made[7].pk).update(street=Region.objects.get(code="330402007"))
    assert_counts_exact()

    CreationProject.objects.filter(pk=made[8].pk).delete()
    with pytest.raises(RuntimeError), transaction.atomic():  # rolled back: its deltas too
        CreationProject.objects.filter(pk__in=[p.pk for p in made[9:]]).update(status=Status.LISTED)
        raise RuntimeError
    assert_counts_exact()

    kept_rows = counts.recount()
    keys = list(ProjectCount.objects.values_list("street_id", "status"))
    assert kept_rows == len(keys) == len(set(keys))  # one row per key
    assert not ProjectCount.objects.filter(n__lte=0).exists()
    assert_counts_exact()
    assert counts.recount() == kept_rows  # recounting again changes nothing
    assert_counts_exact()


@pytest.mark.postgres
def test_the_recount_repairs_counts_written_past_the_triggers():
    """Projects written with the triggers off (a data-only restore with --disable-triggers does
    that) leave the kept counts wrong until the hourly recount."""
    projects("330402007", 3, status=Status.LISTED)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers do not fire
        cursor.execute("UPDATE projects_creationproject SET status = 'draft' WHERE status = 'listed'")
        cursor.execute("SET LOCAL session_replication_role = origin")
    city = user("city_jiaxing")
    truth = CreationProject.objects.visible_to(city).filter(status=Status.LISTED).count()
    assert counts.scope_count(city, ["listed"]) != truth
    counts.recount()
    assert_counts_exact()


def counts_list_rows(queries) -> bool:
    """A COUNT(*) of the list's projects among `queries` (the menu's 待办 badge counts the review
    queue, its statements name review_step)."""
    return any("COUNT(*)" in q["sql"] and "projects_creationproject" in q["sql"] and "review_step" not in q["sql"]
               for q in queries)


@pytest.mark.postgres
def test_the_list_api_and_page_take_the_kept_count(api_for, client):
    projects("330402007", 4, status=Status.LISTED)
    projects("330402007", 2, status=Status.DRAFT)
    city = user("city_jiaxing")
    expected = CreationProject.objects.visible_to(city).filter(status=Status.LISTED).count()
    api = api_for("city_jiaxing")
    for query, counted_rows in (("?status=listed", False), ("", False), ("?tier=municipal&status=listed", True)):
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/projects/" + query).json()
        assert counts_list_rows(queries) is counted_rows, query
        if query == "?status=listed":
            assert body["count"] == expected
    client.force_login(city)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/projects/?status=listed")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == expected
    assert not counts_list_rows(queries)
