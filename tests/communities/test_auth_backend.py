"""Issue #19: a signed-in request reads its user, office and region in one query
(communities.backends.OfficeModelBackend); sessions signed in through Django's ModelBackend stay
valid, a wrong password is checked once and still counts towards the lock-out."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.backends import OfficeModelBackend
from portal import prepared

pytestmark = pytest.mark.django_db
PASSWORD = "Demo@2026"
NEW = "communities.backends.OfficeModelBackend"
LEGACY = "django.contrib.auth.backends.ModelBackend"


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="127.0.0.1")


def test_the_user_its_office_and_region_are_one_query(users, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = OfficeModelBackend().get_user(users["street_tashan"].pk)
        assert user.office.region.name == "塔山街道"
    assert OfficeModelBackend().get_user(users["admin"].pk).username == "admin"
    assert OfficeModelBackend().get_user(-1) is None


def test_a_page_reads_no_office_or_region_row_of_the_signed_in_user(client, users):
    assert login(client, "district_yuecheng").status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == NEW
    with CaptureQueriesContext(connection) as sent:
        assert client.get("/projects/").status_code == 200
    by_id = ('FROM "communities_office" WHERE "communities_office"."id" =',
             'FROM "communities_region" WHERE "communities_region"."id" =')
    sql = [prepared.statement_of(q["sql"]) for q in sent.captured_queries]  # prepared ones as their SQL
    assert [s for s in sql if any(lookup in s for lookup in by_id)] == []
    assert any('"communities_user" ' in s and 'JOIN "communities_office"' in s and 'JOIN "communities_region"' in s
               for s in sql)  # the user with its office and region: one statement
    if prepared.enabled():  # on PostgreSQL, with the session row itself (communities.sessions)
        assert not [s for s in sql if 'FROM "communities_user"' in s]
        (read,) = [s for s in sql if 'FROM "communities_usersession"' in s]
        assert 'JOIN "communities_user"' in read


def test_a_session_signed_in_through_model_backend_stays_signed_in(client, users):
    client.force_login(users["street_tashan"], backend=LEGACY)
    assert client.session[BACKEND_SESSION_KEY] == LEGACY
    response = client.get("/projects/")
    assert response.status_code == 200 and response.wsgi_request.user.username == "street_tashan"


def test_an_inactive_user_is_not_signed_in(client, users):
    user = users["street_tashan"]
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/projects/").status_code == 302  # to the login page


def test_a_wrong_password_is_checked_once_and_counted_by_axes(client, users, monkeypatch):
    checked = []

    def counting(self, raw_password):
        checked.append(raw_password)
        return check_password(raw_password, self.password)

    monkeypatch.setattr(type(users["admin"]), "check_password", counting)
    assert login(client, "street_tashan", "wrong").status_code == 200
    assert checked == ["wrong"]
    assert AccessAttempt.objects.get(username="street_tashan").failures_since_start == 1
    assert login(client, "street_tashan").status_code == 302
