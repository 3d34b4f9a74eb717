"""communities.user_rows: the signed-in user, its office and region read by one statement made
once, the same instances as the ORM's select_related query (PostgreSQL; elsewhere the ORM)."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from communities import user_rows
from communities.backends import OfficeModelBackend
from communities.models import User
from tests.world import user

pytestmark = pytest.mark.django_db


def fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@pytest.mark.parametrize("username", ["admin", "city_jiaxing", "street_tashan", "finance_fuyang"])
def test_a_token_and_a_user_read_as_the_orm_reads_them(username):
    who = user(username)
    token = Token.objects.create(user=who)
    loaded = user_rows.load("authtoken.Token", token.key)
    if connection.vendor != "postgresql":
        assert loaded is NotImplemented
        return
    orm = Token.objects.select_related("user__office__region").get(key=token.key)
    with CaptureQueriesContext(connection) as queries:
        assert fields(loaded) == fields(orm) and fields(loaded.user) == fields(orm.user)
        office, orm_office = loaded.user.office, orm.user.office
        assert (office and fields(office)) == (orm_office and fields(orm_office))
        assert (office and fields(office.region)) == (orm_office and fields(orm_office.region))
        assert not loaded._state.adding and loaded._state.db == "default"
    assert not queries.captured_queries  # everything cached: no lazy query
    by_session = OfficeModelBackend().get_user(who.pk)
    assert fields(by_session) == fields(orm.user) and model_to_dict(by_session) == model_to_dict(orm.user)
    assert user_rows.load("authtoken.Token", "no-such-key") is None
    assert OfficeModelBackend().get_user(10**12) is None


def test_a_user_without_office_and_an_inactive_user():
    """The office and region are outer-joined: a user without an office is still read, its office
    known to be None without another query; an inactive user is not signed in."""
    lone = User.objects.create_user(username="lone", password="x")
    token = Token.objects.create(user=lone)
    with CaptureQueriesContext(connection) as queries:
        by_session = OfficeModelBackend().get_user(lone.pk)
        assert by_session.office is None
    assert len(queries.captured_queries) == 1
    loaded = user_rows.load("authtoken.Token", token.key)
    if loaded is not NotImplemented:
        with CaptureQueriesContext(connection) as queries:
            assert loaded.user.pk == lone.pk and loaded.user.office is None
        assert not queries.captured_queries
    User.objects.filter(pk=lone.pk).update(is_active=False)
    assert OfficeModelBackend().get_user(lone.pk) is None
