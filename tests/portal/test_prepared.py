"""portal.prepared: the statements every request sends are prepared once per PostgreSQL
connection and give exactly what the plain statement gives; one round trip either way;
parameters PostgreSQL could read differently as a prepared parameter go plain."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from communities.models import Region
from portal import prepared

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

REGIONS = ('SELECT "id", "path" FROM "communities_region" WHERE "path"::text LIKE %s AND "id" = ANY(%s) '
           "ORDER BY \"id\"")


def server_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def run(execute, sql, params):
    with connection.cursor() as cursor:
        execute(cursor, sql, params)
        return cursor.fetchall()


def plain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_a_statement_is_prepared_once_and_gives_what_the_plain_one_gives(users):
    ids = list(Region.objects.values_list("id", flat=True))
    params = ["/1/%", ids]  # a literal % in a parameter, an array of keys
    expected = plain(REGIONS, params)
    assert expected  # the fixture's regions are under /1/
    with CaptureQueriesContext(connection) as sent:
        first = run(prepared.execute, REGIONS, params)
        again = run(prepared.execute, REGIONS, params)
        other = run(prepared.execute, REGIONS, ["/1/%", ids[:1]])
    assert first == again == expected
    assert other == plain(REGIONS, ["/1/%", ids[:1]])
    texts = [q["sql"] for q in sent.captured_queries]
    assert len(texts) == 3  # one round trip each, the first one included
    assert texts[0].startswith("PREPARE portal_") and "; EXECUTE portal_" in texts[0]
    assert texts[1].startswith("EXECUTE portal_") and texts[2].startswith("EXECUTE portal_")
    assert prepared._prepared()[REGIONS] in server_statements()


def test_a_fixed_statement_is_prepared_with_its_parameters_in_it(users):
    params = ["/1/%", [1, 2, 3]]
    with CaptureQueriesContext(connection) as sent:
        first = run(prepared.execute_fixed, REGIONS, params)
        again = run(prepared.execute_fixed, REGIONS, params)
    assert first == again == plain(REGIONS, params)
    name = sent.captured_queries[1]["sql"]
    assert name.startswith("EXECUTE portal_") and "(" not in name  # no parameters left


def test_a_literal_percent_in_the_statement_survives_both_forms(users):
    sql = "SELECT 7 %% 4, %s::text"
    assert run(prepared.execute, sql, ["a%b"]) == run(prepared.execute, sql, ["a%b"]) == [(3, "a%b")]
    sql = "SELECT 7 % 4"
    assert run(prepared.execute_fixed, sql, None) == run(prepared.execute_fixed, sql, None) == [(3,)]


@pytest.mark.parametrize(("sql", "value"), [
    ("SELECT DATE '2026-11-30' < %s", dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC)),
    ("SELECT 2 > %s", Decimal("1.5")),
    ("SELECT 2 > %s", 1.5),
    # a bigint literal: compared as bigint plain; prepared as an integer it would not fit
    ("SELECT 2 < %s", 2**31),
    ("SELECT 2 < ALL(%s)", [3, 2**40]),
])
def test_a_parameter_the_prepared_form_could_coerce_is_sent_plain(users, sql, value):
    # The plain statement compares in the wider type (a timestamp, a numeric, a bigint): true.
    # Prepared, the parameter would take the other side's type: the datetime cut to a date and
    # 1.5 rounded to 2 answer false; 2**31 does not fit an integer (an error).
    with CaptureQueriesContext(connection) as sent:
        assert run(prepared.execute, sql, [value]) == plain(sql, [value]) == [(True,)]
    assert not sent.captured_queries[0]["sql"].startswith(("PREPARE", "EXECUTE"))


def test_only_parameters_read_alike_both_ways_are_prepared():
    assert all(prepared._plain_parameter(value) for value in (
        None, True, 7, -2**31, 2**31 - 1, "文本", dt.date(2026, 12, 1), [1, 2], ("a", "b"), []))
    assert not any(prepared._plain_parameter(value) for value in (
        2**31, -2**31 - 1, [1, 2**31], [True, False], [1, "a"], 1.5, Decimal("1"),
        dt.datetime(2026, 12, 1, tzinfo=dt.UTC), {"a": 1}))


def test_prepared_statements_outlive_a_rolled_back_transaction(users):
    sql = 'SELECT count(*) FROM "communities_region" WHERE "id" = ANY(%s)'
    with transaction.atomic():
        sid = transaction.savepoint()
        run(prepared.execute, sql, [[1]])
        transaction.savepoint_rollback(sid)
    with CaptureQueriesContext(connection) as sent:
        assert run(prepared.execute, sql, [[1, 2]]) == plain(sql, [[1, 2]])
    assert sent.captured_queries[0]["sql"].startswith("EXECUTE")


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again(users):
    sql = 'SELECT count(*) FROM "communities_region" WHERE "id" = ANY(%s)'
    run(prepared.execute, sql, [[1]])
    old = prepared._prepared()
    connection.close()
    with CaptureQueriesContext(connection) as sent:
        assert run(prepared.execute, sql, [[1]]) == plain(sql, [[1]])
    assert sent.captured_queries[0]["sql"].startswith("PREPARE")
    assert prepared._prepared() is not old


def test_past_the_limit_the_connection_starts_afresh(users, monkeypatch):
    monkeypatch.setattr(prepared, "LIMIT", 3)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection._portal_prepared = None
    for number in range(5):
        assert run(prepared.execute_fixed, f"SELECT {number}", None) == [(number,)]
    assert len(server_statements()) <= 3
    assert set(prepared._prepared().values()) == server_statements()
    assert run(prepared.execute_fixed, "SELECT 4", None) == [(4,)]  # still prepared, by its name


def test_switched_off_every_statement_is_plain(users, settings):
    settings.PORTAL_PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as sent:
        run(prepared.execute, REGIONS, ["/1/%", [1]])
        run(prepared.execute_fixed, REGIONS, ["/1/%", [1]])
    assert [q["sql"][:6] for q in sent.captured_queries] == ["SELECT", "SELECT"]


def test_the_list_api_gives_the_same_page_with_and_without(client, world, users, settings):
    from rest_framework.authtoken.models import Token

    from portal import compiled

    token = Token.objects.create(user=users["city_shaoxing"]).key
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    settings.PORTAL_PREPARED_STATEMENTS = False
    compiled.forget()
    expected = [client.get("/api/projects/", params, **auth).json()
                for params in ({}, {"status": "listed"})]
    settings.PORTAL_PREPARED_STATEMENTS = True
    for _ in range(2):  # prepared, then executed by name
        with CaptureQueriesContext(connection) as sent:
            pages = [client.get("/api/projects/", params, **auth).json()
                     for params in ({}, {"status": "listed"})]
        assert pages == expected
    assert expected[0]["count"] > 1 and expected[1]["results"]  # rows by their keys, the status count
    executed = [q["sql"] for q in sent.captured_queries if q["sql"].startswith("EXECUTE portal_")]
    assert len(executed) >= 4  # the token, the scope, the kept count, the rows (per page)


def test_a_sent_text_is_read_back_as_its_statement(users):
    sql = 'SELECT count(*) FROM "communities_region" WHERE "id" = ANY(%s)'
    with CaptureQueriesContext(connection) as sent:
        run(prepared.execute, sql, [[1]])
        run(prepared.execute, sql, [[2]])
        run(prepared.execute_fixed, "SELECT 5", None)
        run(prepared.execute_fixed, "SELECT 5", None)
    first, again, fixed, fixed_again = (q["sql"] for q in sent.captured_queries)
    assert prepared.statement_of(first).replace("$1", "%s") == sql
    assert prepared.statement_of(again) == sql
    assert prepared.statement_of(fixed) == prepared.statement_of(fixed_again) == "SELECT 5"
    assert prepared.statement_of("SELECT 1") == "SELECT 1"
