"""portal.auth_middleware: request.user is Django's lazy user until read, then the user object
itself; nothing is loaded for a request that never reads it; signing in and out unchanged."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.functional import SimpleLazyObject, empty

from communities.models import User

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_leaves_the_user_object_on_the_request(client_for):
    response = client_for("district_fuyang").get("/dashboards/")
    assert response.status_code == 200
    user = response.wsgi_request.__dict__["user"]
    assert type(user) is User and user.username == "district_fuyang"


def test_an_anonymous_read_leaves_the_anonymous_user(client):
    response = client.get("/projects/")  # login_required reads it, then sends to 登录
    assert response.status_code == 302
    assert type(response.wsgi_request.__dict__["user"]) is AnonymousUser


def test_a_request_that_never_reads_the_user_loads_nothing(client_for):
    client = client_for("street_fuchun")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    lazy = response.wsgi_request.__dict__["user"]
    assert isinstance(lazy, SimpleLazyObject) and lazy._wrapped is empty
    assert not [q for q in queries.captured_queries if "session" in q["sql"] or "communities_user" in q["sql"]]


def test_sign_in_and_out_still_replace_the_user(client, users):
    users["street_fuchun"].set_password("Pw-for-test-2026")
    users["street_fuchun"].save()
    signed_in = client.post("/accounts/login/", {"username": "street_fuchun", "password": "Pw-for-test-2026"})
    assert signed_in.status_code == 302 and type(signed_in.wsgi_request.user) is User
    assert client.get("/projects/").status_code == 200
    signed_out = client.post("/accounts/logout/")
    assert signed_out.status_code == 302 and type(signed_out.wsgi_request.user) is AnonymousUser
    assert client.get("/projects/").status_code == 302
