"""Shared fixtures: the real reference data and the demo users of CONTRACTS §5.

Reference data is loaded once per session; transactional tests flush the database, so
`users` reloads it when it is gone (a cheap existence check).
"""

import pytest
from django.core.management import call_command


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ensure_reference_data():
    from communities.models import Region, User
    from demo.communities_seed import seed_users

    if not Region.objects.exists():
        call_command("load_reference_data", verbosity=0)
    if not User.objects.filter(username="admin").exists():
        seed_users()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def users(db):
    """username → User for the demo logins of CONTRACTS §5."""
    from communities.models import User

    ensure_reference_data()
    return {u.username: u for u in User.objects.select_related("office__region")}


@pytest.fixture
def region(db):
    from communities.models import Region

    def by_code(code):
        return Region.objects.get(code=code)

    return by_code


@pytest.fixture
def client_for(client, users):
    """A logged-in Django test client for a demo user."""

    def login(username):
        client.force_login(users[username])
        return client

    return login


@pytest.fixture
def api_for(users):
    from rest_framework.test import APIClient

    def make(username):
        api = APIClient()
        api.force_authenticate(users[username])
        return api

    return make


@pytest.fixture(autouse=True)
def _export_kinds_restored(request):
    """A list spec rebuilt in a test (dataclasses.replace registers the rebuilt spec as the
    list's export kind) must not outlive the test: the registry is put back as it was."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    from portal import exports

    exports._load_all()
    kinds = dict(exports._KINDS)
    yield
    exports._KINDS.clear()
    exports._KINDS.update(kinds)
