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


@pytest.mark.postgres
@pytest.mark.parametrize("username", ["admin", "city_jiaxing", "district_yuecheng", "street_tashan",
                                      "finance_fuyang", "superuser", "no_office"])
def test_the_scope_ids_read_with_the_user_are_the_scopes_own(username):
    """communities.scope.subtree_sql, read by both statements: the ids `subtree_ids` reads itself,
    in the same order; none for an administrator (scope ALL) or a user without a region, whose
    scope is decided as before (an office always has a region)."""
    from communities import scope

    if username == "superuser":
        User.objects.create_superuser(username=username, password="x", office=user("street_tashan").office)
    elif username == "no_office":
        User.objects.create_user(username=username, password="x")
    who = user(username)
    expected = scope.scope_of(User.objects.select_related("office__region").get(pk=who.pk))
    token = Token.objects.create(user=who)
    for loaded in (user_rows.load("authtoken.Token", token.key).user, user_rows.load("communities.User", who.pk)):
        kept = getattr(loaded, "_scope_subtree", None)
        assert (kept is None) == (not isinstance(expected, list)), username
        with CaptureQueriesContext(connection) as queries:
            assert scope.scope_of(loaded) == expected
        assert not queries.captured_queries or kept is None
    if isinstance(expected, list):
        assert expected == sorted(expected) and len(expected) >= 1
