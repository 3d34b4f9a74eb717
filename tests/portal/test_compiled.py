"""portal.compiled: a count's statement is compiled once per key, and every call still counts in
the database (only SQL is kept, never a result). The menu's to-do counts use it; they equal
the counts of the querysets they stand for."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.scope import scope_token
from portal import compiled, prepared
from portal.models import Notification
from portal.notifications import unread_count
from projects import selectors, workbench
from projects.models import CreationProject, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget():
    compiled.forget()
    yield
    compiled.forget()


def note(user, read=False):
    return Notification.objects.create(user=user, title="提醒", body="请处理", key=f"test:{next(KEYS)}",
                                       read_at=timezone.now() if read else None)


KEYS = itertools.count()


def test_the_statement_is_sent_again_and_counts_what_is_there_now(users):
    admin = users["admin"]
    builds = []

    def build():
        builds.append(1)
        return Notification.objects.filter(user=admin, read_at=None)

    with CaptureQueriesContext(connection) as first:
        assert compiled.count(("t", admin.pk), build) == 0
    note(admin), note(admin), note(admin, read=True)
    with CaptureQueriesContext(connection) as second:
        assert compiled.count(("t", admin.pk), build) == 2
    assert len(builds) == 1  # compiled once
    # the same statement (on PostgreSQL prepared the second time: portal.prepared)
    assert [prepared.statement_of(q["sql"]) for q in second.captured_queries] == [
        q["sql"] for q in first.captured_queries]
    Notification.objects.filter(user=admin).update(read_at=None)
    assert compiled.count(("t", admin.pk), build) == 3


def test_an_empty_condition_sends_nothing_and_is_zero(users):
    with CaptureQueriesContext(connection) as sent:
        assert compiled.count(("empty",), lambda: Notification.objects.none()) == 0
        assert compiled.count(("empty",), lambda: Notification.objects.none()) == 0
    assert sent.captured_queries == []


def test_unread_count_per_user(users):
    for _ in range(2):
        note(users["admin"])
    note(users["city_jiaxing"])
    for _ in range(2):  # compiled, then replayed
        assert unread_count(users["admin"]) == 2
        assert unread_count(users["city_jiaxing"]) == 1
        assert unread_count(users["district_fuyang"]) == 0


@pytest.mark.parametrize("username", ["admin", "city_jiaxing", "city_shaoxing", "district_yuecheng",
                                      "district_fuyang", "street_tashan"])
def test_todo_counts_equal_their_querysets(users, world, username):
    user = users[username]
    for _ in range(2):  # compiled, then replayed
        assert workbench.review_todo(user) == selectors.review_queue(user).count()
        expected = (CreationProject.objects.visible_to(user).filter(status__in=workbench.STREET_TODO).count()
                    if user.office and user.office.kind == user.office.Kind.STREET else 0)
        assert workbench.street_todo(user) == expected
    queued = selectors.review_queue(user).first()
    if queued is not None:  # the replayed statement counts the data of now
        before = workbench.review_todo(user)
        CreationProject.objects.filter(pk=queued.pk).update(status=Status.DRAFT)
        assert workbench.review_todo(user) == selectors.review_queue(user).count() == before - 1


def test_a_queue_that_changes_is_counted_afresh(users, world):
    user = users["district_yuecheng"]
    assert workbench.review_todo(user) == selectors.review_queue(user).count() > 0
    CreationProject.objects.visible_to(user).update(status=Status.DRAFT)
    assert workbench.review_todo(user) == 0


def test_scope_token_names_the_subtree(users):
    assert scope_token(users["admin"]) == "all"
    city, district = scope_token(users["city_jiaxing"]), scope_token(users["district_fuyang"])
    assert isinstance(city, tuple) and city and isinstance(district, tuple) and district
    assert not set(district) & set(city)


def test_a_page_counts_the_unread_messages_once_for_the_badge_and_the_menu(users, client_for):
    note(users["street_tashan"]), note(users["street_tashan"])
    with CaptureQueriesContext(connection) as sent:
        page = client_for("street_tashan").get("/").content.decode()
    counts = [q for q in sent.captured_queries if 'FROM "portal_notification"' in q["sql"]
              and q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1
    assert 'data-testid="unread-badge">消息 <span class="badge bg-warning text-dark">2</span>' in page


def test_once_shares_a_count_within_the_block_only(users):
    admin = users["admin"]
    build = lambda: Notification.objects.filter(user=admin, read_at=None)  # noqa: E731
    with compiled.once():
        assert compiled.count(("o", admin.pk), build) == 0
        note(admin)
        assert compiled.count(("o", admin.pk), build) == 0  # the block's number
    assert compiled.count(("o", admin.pk), build) == 1


def test_prefetch_sends_kept_counts_as_one_statement_within_once_only(users):
    from portal.models import Notice, NoticeRead
    from portal.notices import unread_notice_count, unread_notices_query
    from portal.notifications import unread_query

    user = users["street_tashan"]
    note(user), note(user), note(user, read=True)
    today = timezone.localdate()
    read = Notice.objects.create(title="已读", body="b", published_on=today)
    Notice.objects.create(title="未读", body="b", published_on=today)
    Notice.objects.create(title="未发布", body="b", published_on=today + dt.timedelta(days=1))
    NoticeRead.objects.create(notice=read, user=user)
    entries = [unread_query(user), unread_notices_query(user)]
    compiled.prefetch(entries)  # outside once(): nothing
    expected = (unread_count(user), unread_notice_count(user))  # compiled: the statements kept
    assert expected == (2, 1)
    with CaptureQueriesContext(connection) as sent, compiled.once():
        compiled.prefetch(entries)
        assert (unread_count(user), unread_notice_count(user)) == expected
    assert len(sent.captured_queries) == 1
    with CaptureQueriesContext(connection) as sent:
        compiled.prefetch(entries)
    assert not sent.captured_queries


def test_rows_by_ids_equal_the_querysets_rows_each_time():
    """values_by_ids: the kept statement (PostgreSQL) gives what the values() queryset gives,
    converted the same (JSON, decimals, dates), for other keys on later calls, compiling once."""
    from projects.serializers import project_rows
    from tests.world import projects

    made = [p.pk for p in projects("330602001", 4) + projects("330402007", 3, status=Status.DRAFT)]
    CreationProject.objects.filter(pk=made[0]).update(scenarios={"health": {"level": "standard"}})
    rows = project_rows()
    builds = []

    def build(ids):
        builds.append(ids)
        return rows.by_ids(ids)

    for ids in (made[:3], made[2:], [made[5], made[0]], [10**9]):
        expected = sorted(rows.by_ids(ids), key=lambda row: row["id"])
        assert sorted(compiled.values_by_ids(("rows",), build, ids), key=lambda row: row["id"]) == expected
    assert compiled.values_by_ids(("rows",), build, []) == []
    assert len(builds) == (1 if connection.vendor == "postgresql" else 4)


def test_rows_are_the_querysets_rows_compiled_once_and_read_afresh(users, world):
    user = users["city_shaoxing"]
    builds = []

    def build():
        builds.append(1)
        return (CreationProject.objects.visible_to(user).order_by("pk")
                .values("id", "name", "status", "listed_on", "construction_deadline"))

    expected = list(build())
    builds.clear()
    with CaptureQueriesContext(connection) as first:
        assert compiled.rows(("r", scope_token(user)), build) == expected
    with CaptureQueriesContext(connection) as second:
        replayed = compiled.rows(("r", scope_token(user)), build)
    assert replayed == expected and len(builds) == 1
    # the same statement (on PostgreSQL prepared the second time: portal.prepared)
    assert [prepared.statement_of(q["sql"]) for q in second.captured_queries] == [
        q["sql"] for q in first.captured_queries]
    dated = [row for row in replayed if row["listed_on"] is not None]
    assert dated and all(type(row["listed_on"]) is dt.date for row in dated)  # the column's converters ran
    CreationProject.objects.filter(pk=expected[0]["id"]).update(name="改过的名称")
    assert compiled.rows(("r", scope_token(user)), build)[0]["name"] == "改过的名称"


def test_rows_keep_only_the_named_columns_and_convert_annotations(users, world):
    from django.db.models import Count

    from communities.models import Region

    def build():  # DISTINCT … ORDER BY path: Django selects path too, and drops it from the rows
        return Region.objects.filter(level=Region.Level.CITY, children__isnull=False).distinct().values("code")

    def counted():
        return (CreationProject.objects.values("street_id").annotate(n=Count("id"))
                .order_by("street_id"))

    for _ in range(2):  # compiled, then replayed
        assert compiled.rows(("cities",), build) == list(build())
        assert compiled.rows(("counted",), counted) == list(counted())


def test_a_column_is_the_rows_values_compiled_once_and_read_afresh(users, world):
    from communities.models import Region

    city = users["city_shaoxing"].office.region

    def ids():
        return Region.objects.filter(path__startswith=city.path).order_by("pk").values("pk")

    def dates():
        return CreationProject.objects.exclude(listed_on=None).order_by("pk").values("listed_on")

    for _ in range(2):  # compiled, then replayed
        assert compiled.column(("ids",), ids) == [row["pk"] for row in ids()]
        listed = compiled.column(("dates",), dates)
        assert listed == [row["listed_on"] for row in dates()] and all(type(day) is dt.date for day in listed)
        with pytest.raises(TypeError):
            compiled.column(("two columns",), lambda: Region.objects.order_by("pk").values("pk", "code"))
    moved = compiled.column(("ids",), ids)[-1]
    Region.objects.filter(pk=moved).update(path="/elsewhere/")
    assert moved not in compiled.column(("ids",), ids)  # the statement again: what is there now


def test_rows_of_an_empty_condition_send_nothing(users):
    with CaptureQueriesContext(connection) as sent:
        for _ in range(2):
            assert compiled.rows(("none",), lambda: Notification.objects.none().values("id")) == []
    assert sent.captured_queries == []


def test_rows_refuse_a_queryset_of_instances(users):
    with pytest.raises(TypeError):
        compiled.rows(("instances",), lambda: Notification.objects.all())


def test_an_aggregate_is_compiled_once_and_read_afresh(users, world):
    from django.db.models import Count, Q, Sum

    user = users["city_shaoxing"]
    builds = []

    def build():
        builds.append(1)
        return (CreationProject.objects.visible_to(user),
                {"listed": Count("id", filter=Q(listed_on__isnull=False)), "all": Count("id")})

    expected = CreationProject.objects.visible_to(user).aggregate(**build()[1])
    builds.clear()
    for _ in range(2):  # compiled, then replayed
        assert compiled.aggregate(("a", scope_token(user)), build) == expected
    assert len(builds) == 1 and expected["all"] > 0
    CreationProject.objects.visible_to(user).update(listed_on=None)
    assert compiled.aggregate(("a", scope_token(user)), build) == {"listed": 0, "all": expected["all"]}
    summed = lambda: (CreationProject.objects.all(), {"s": Sum("id")})  # noqa: E731  (output known once resolved)
    for _ in range(2):
        assert compiled.aggregate(("sum",), summed) == CreationProject.objects.aggregate(s=Sum("id"))
    nothing = lambda: (CreationProject.objects.none(), {"n": Count("id")})  # noqa: E731
    for _ in range(2):
        assert compiled.aggregate(("nothing",), nothing) == {"n": 0}


def test_the_least_recently_used_statement_goes_first(users, monkeypatch):
    monkeypatch.setattr(compiled, "LIMIT", 2)
    builds = []

    def build(name):
        def make():
            builds.append(name)
            return Notification.objects.filter(title=name).values("id")
        return make

    for name in ("a", "b", "a", "c", "a", "b"):  # c evicts b (a was used since), b evicts c
        compiled.rows((name,), build(name))
    assert builds == ["a", "b", "c", "b"]


@pytest.mark.parametrize("username", ["street_tashan", "district_yuecheng", "city_jiaxing", "finance_fuyang",
                                      "admin"])
def test_the_menu_sends_every_to_do_count_as_one_statement(users, world, username):
    from portal import menu
    from portal.notices import unread_notice_count
    from subsidies.workbench import finance_todo

    user = users[username]
    note(user)
    expected = {"消息": unread_count(user), "通知公告": unread_notice_count(user),  # each compiled, kept
                "创建项目": workbench.street_todo(user), "待我审核": workbench.review_todo(user),
                "奖补资金": finance_todo(user)}
    with CaptureQueriesContext(connection) as sent, compiled.once():
        items = {item["label"]: item for group in menu.build(user, "/")["menu"] for item in group["items"]}
    counted = [label for label in expected if label in items]
    assert len(counted) >= 2  # 消息 and 通知公告 at least
    assert {label: items[label]["todo"] for label in counted} == {label: expected[label] for label in counted}
    assert expected["消息"] == 1
    assert len(sent.captured_queries) == 1  # SELECT (count 1), (count 2), …
