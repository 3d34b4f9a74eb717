"""communities.sessions: Django's database sessions, read by a prepared statement on PostgreSQL
(issue #19). A live session signs its user in; an expired, unknown or deleted one does not."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import UserSession as Session
from communities.sessions import SessionStore
from portal import prepared

pytestmark = pytest.mark.django_db


def signed_in(client) -> bool:
    return client.get("/", follow=False).status_code == 200  # anonymous users are sent to log in


def test_a_live_session_signs_in_and_an_expired_deleted_or_unknown_one_does_not(client_for, client):
    user_client = client_for("street_tashan")
    assert signed_in(user_client)
    key = user_client.cookies["sessionid"].value
    store = SessionStore(key)
    assert store.load()["_auth_user_id"] and store.session_key == key

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert not signed_in(user_client)
    assert SessionStore(key).load() == {}
    lost = SessionStore(key)
    lost.load()
    assert lost.session_key is None  # as Django's own store: a new key is made if it is saved

    client.cookies["sessionid"] = "no-such-session-key-0123456789ab"
    assert not signed_in(client)

    again = client_for("street_tashan")
    assert signed_in(again)
    Session.objects.filter(session_key=again.cookies["sessionid"].value).delete()
    assert not signed_in(again)


def test_the_session_data_read_is_what_was_saved():
    store = SessionStore()
    store["值"] = {"列表": [1, 2], "文字": "中文"}
    store.set_expiry(600)
    store.save()
    read = SessionStore(store.session_key)
    assert read["值"] == {"列表": [1, 2], "文字": "中文"}
    assert 590 <= read.get_expiry_age() <= 600


@pytest.mark.postgres
def test_on_postgresql_the_read_is_one_prepared_statement(settings, client_for):
    signed = client_for("street_tashan")
    key = signed.cookies["sessionid"].value
    with CaptureQueriesContext(connection) as first:
        assert SessionStore(key).load()
    with CaptureQueriesContext(connection) as second:
        assert SessionStore(key).load()
    assert len(first) == len(second) == 1
    assert second.captured_queries[0]["sql"].startswith("EXECUTE portal_")
    assert prepared.statement_of(second.captured_queries[0]["sql"]).startswith('SELECT s."session_data"')
    settings.PORTAL_PREPARED_STATEMENTS = False  # PG_PREPARED_STATEMENTS=off: the ORM's own read
    with CaptureQueriesContext(connection) as plain:
        assert SessionStore(key).load()
    (read,) = plain.captured_queries
    assert read["sql"].startswith("SELECT") and "communities_usersession" in read["sql"]
