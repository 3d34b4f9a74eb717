"""portal.postgresql: CONN_HEALTH_CHECKS's check of a reused connection sends no statement, and
still finds a connection the server dropped (issue #19). The whole restart, through gunicorn:
tests/reliability/test_database_restart.py."""

import time

import psycopg2
import pytest
from django.db import connection
from django.db.backends.postgresql import base

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _no_statement(self):
    raise AssertionError("the health check sent SELECT 1")


def test_a_live_idle_connection_is_usable_without_a_statement(monkeypatch):
    assert connection.settings_dict["ENGINE"] == "portal.postgresql"
    connection.ensure_connection()
    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", _no_statement)
    assert connection.is_usable()


def test_after_an_error_the_check_asks_the_server(monkeypatch):
    connection.ensure_connection()
    asked = []
    real = base.DatabaseWrapper.is_usable
    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", lambda self: asked.append(1) or real(self))
    connection.errors_occurred = True
    try:
        assert connection.is_usable() and asked  # Django's SELECT 1 decided
    finally:
        connection.errors_occurred = False
    asked.clear()
    assert connection.is_usable() and not asked  # no error before: the socket decides


def test_a_connection_the_server_dropped_is_not_usable_and_is_replaced():
    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    settings = connection.get_connection_params()
    other = psycopg2.connect(**{**settings, "dbname": "postgres"})
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not connection.is_usable()
    connection.health_check_done = False  # a new request (django.db.close_old_connections)
    connection.close_if_health_check_failed()  # what Django does before the request's first statement
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


@pytest.mark.parametrize("value", [[1, 2, 3], [0], list(range(1000, 1243)), [2**40, 5], [], [True, 1], ["a", "b'c"],
                                   [1, None], [-5, 3], [[1, 2], [3, 4]], [1.5]])
def test_a_list_is_written_as_psycopg2_writes_it(value):
    """portal.postgresql writes a list of non-negative ints itself (a scope's ids, several a
    request): the very bytes of psycopg2's List adapter, which still writes any other list."""
    from psycopg2.extensions import ISQLQuote, adapters

    from portal.postgresql.base import _PSYCOPG2_LIST

    connection.ensure_connection()
    assert adapters[(list, ISQLQuote)] is not _PSYCOPG2_LIST  # ours is the one registered
    own = _PSYCOPG2_LIST(value)
    own.prepare(connection.connection)
    with connection.cursor() as cursor:
        assert cursor.mogrify("SELECT %s", [value]) == b"SELECT " + own.getquoted()
        if value and all(type(item) is int for item in value):
            cursor.execute("SELECT %s", [value])
            assert cursor.fetchone()[0] == value
