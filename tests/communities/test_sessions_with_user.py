"""communities.sessions (issue #19): each session row keeps the id of the user it signs in, and on
PostgreSQL a page reads the session with that user, office and region in one statement. The
session's data still decides who is signed in: the user read with the row is used only when it is
the user the data names, and Django still checks the password hash and the user's state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import User, UserSession
from portal import prepared

pytestmark = pytest.mark.django_db


def who(client) -> str | None:
    response = client.get("/projects/")
    return response.wsgi_request.user.username if response.status_code == 200 else None


def row(client) -> UserSession:
    return UserSession.objects.get(session_key=client.cookies["sessionid"].value)


def test_sign_in_keeps_the_users_id_with_the_session_and_sign_out_drops_it(client, users):
    user = users["street_tashan"]
    user.set_password("Pw-for-test-2026")
    user.save()
    client.post("/accounts/login/", {"username": "street_tashan", "password": "Pw-for-test-2026"},
                REMOTE_ADDR="127.0.0.1")
    assert row(client).user_id == user.pk and who(client) == "street_tashan"
    client.post("/accounts/logout/")
    assert who(client) is None
    assert not UserSession.objects.filter(user_id=user.pk).exists()


def test_a_page_reads_its_session_and_user_in_one_statement(client_for):
    client = client_for("district_yuecheng")
    who(client)
    with CaptureQueriesContext(connection) as sent:
        assert who(client) == "district_yuecheng"
    sql = [prepared.statement_of(q["sql"]) for q in sent.captured_queries]
    reads = [s for s in sql if '"communities_usersession"' in s or 'FROM "communities_user"' in s]
    assert len(reads) == (1 if prepared.enabled() else 2)  # the ORM (SQLite): session, then user


def test_the_data_decides_when_the_column_names_another_user_or_none(client_for, users):
    client = client_for("street_tashan")
    UserSession.objects.filter(pk=row(client).pk).update(user=users["admin"])
    assert who(client) == "street_tashan"  # the user the data names, read by the backend
    UserSession.objects.filter(pk=row(client).pk).update(user=None)
    assert who(client) == "street_tashan"


def test_a_changed_password_or_a_deleted_or_inactive_user_signs_nobody_in(client_for, users):
    client = client_for("street_tashan")
    assert who(client) == "street_tashan"
    User.objects.filter(pk=users["street_tashan"].pk).update(password="pbkdf2_sha256$1$x$changed")
    assert who(client) is None  # Django's session hash check, as before

    client = client_for("street_fuchun")
    User.objects.filter(pk=users["street_fuchun"].pk).update(is_active=False)
    assert who(client) is None

    client = client_for("street_yinhu")
    key = client.cookies["sessionid"].value
    users["street_yinhu"].delete()
    assert UserSession.objects.filter(session_key=key).exists()  # no constraint: the row stays
    assert who(client) is None


def test_expired_sessions_are_purged_daily_and_live_ones_kept(client_for, settings):
    import datetime as dt

    from django.utils import timezone

    from communities.tasks import purge_expired_sessions, purge_expired_sessions_task

    live = client_for("street_tashan")
    key = row(live).pk
    UserSession.objects.create(session_key="expired-session-key-0123456789", session_data="x",
                               expire_date=timezone.now() - dt.timedelta(seconds=1))
    purge_expired_sessions()
    assert list(UserSession.objects.values_list("pk", flat=True)) == [key] and who(live) == "street_tashan"
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-sessions"]
    assert entry["task"] == purge_expired_sessions_task.name and entry["schedule"].hour == {4}


def test_a_scoped_page_reads_its_scope_with_its_session(client_for):
    """On PostgreSQL the session's statement also reads the user's scope ids (communities.scope.
    subtree_sql): a scoped page sends no statement of its own for the region subtree."""
    client = client_for("city_jiaxing")
    who(client)
    with CaptureQueriesContext(connection) as sent:
        assert who(client) == "city_jiaxing"
    sql = [prepared.statement_of(q["sql"]) for q in sent.captured_queries]
    subtree = 'SELECT "communities_region"."id" AS "pk" FROM "communities_region" WHERE "communities_region"."path"'
    subtree_reads = [s for s in sql if s.startswith(subtree)]  # scope.subtree_ids' own (`LIKE`, `::text LIKE`)
    assert len(subtree_reads) == (0 if prepared.enabled() else 1)
