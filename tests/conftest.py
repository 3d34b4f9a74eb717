"""Shared fixtures: the real reference data and the demo users of CONTRACTS §5.

Reference data is loaded once per session; transactional tests flush the database, so
`users` reloads it when it is gone (a cheap existence check).
"""

import datetime as dt

import pytest
from django.core.management import call_command


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_runtest_setup(item):
    """`postgres`-marked tests are skipped on SQLite before their fixtures run (a transactional
    fixture would otherwise set up — and flush — a database the test never uses)."""
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (marked postgres)")


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (computed dashboards, the data generation): the
    database is rolled back between tests, the local-memory cache is not."""
    from django.core.cache import cache

    cache.clear()


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

    class Api(APIClient):
        def request(self, **kwargs):
            # Each real request has its own user object, on which communities.scope keeps the
            # user's region subtree: forget it, so every request reads it as in production.
            if self.handler._force_user is not None:
                vars(self.handler._force_user).pop("_scope_subtree", None)
            return super().request(**kwargs)

    def make(username):
        api = Api()
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


# ---------------------------------------------------------------- the shared world (tests/world.py)


@pytest.fixture
def world(users):
    """One community per jurisdiction and a Shaoxing project in every status (tests.world.World)."""
    from tests.world import World

    return World()


@pytest.fixture
def community_in(db):
    """community_in("fuyang", name=None, **fields): a community with its needs survey."""
    from tests.world import STREETS, community

    def make(place, name=None, **fields):
        return community(STREETS[place], name, needs_survey_on=dt.date(2024, 3, 1), **fields)

    return make


@pytest.fixture
def community_at(db):
    """community_at(street_code, name=None): a community with its needs survey."""
    from tests.world import community

    return community


@pytest.fixture
def create_project(api_for, community_in):
    """A draft created through POST /api/projects/ by the place's street user; its JSON. The
    materials its submission and acceptance request require are uploaded unless
    `with_materials=False`."""
    from tests.world import ACTORS

    def make(place, tier="municipal", category="renovation", with_materials=True, **fields):
        community = fields.pop("community", None) or community_in(place)
        response = api_for(ACTORS[place]["street"]).post(
            "/api/projects/", {"community": community.pk, "tier": tier, "category": category,
                               "batch_year": 2026, **fields}, format="json")
        assert response.status_code == 201, response.json()
        from projects.models import CreationProject
        from tests.world import attach_materials

        project = CreationProject.objects.get(pk=response.json()["id"])
        if with_materials:  # what the submission and the acceptance request need (DOMAIN §9)
            attach_materials(project, "submit")
            attach_materials(project, "request_acceptance")
            response = api_for(ACTORS[place]["street"]).get(f"/api/projects/{project.pk}/")
        return response.json()

    return make


@pytest.fixture
def listed_project(users, community_in):
    """A project listed through the workflow: listed_project("fuyang", listed_on=..., **fields)."""
    from tests import world

    def make(place, *, listed_on, tier="municipal", category="renovation", **fields):
        community = community_in(place, name=fields.pop("community_name", None))
        project = world.create(place, community, tier=tier, category=category, batch_year=listed_on.year,
                               **fields)
        return world.listed(project, place, listed_on)

    return make


@pytest.fixture
def drive(users):
    """tests.world.drive: listing, acceptance and naming through the services on given dates."""
    from tests import world

    return world.drive


@pytest.fixture
def compute(db):
    """The subsidy computation run as of `today`."""
    from subsidies.services import compute_subsidies

    def run(today):
        return compute_subsidies(today=today)

    return run


@pytest.fixture
def eager_celery():
    """Tasks run in-process for this test, even when CI points the broker at Redis (no worker
    listens there during the suite)."""
    from config.celery import app as celery_app

    eager = celery_app.conf.task_always_eager
    celery_app.conf.update(task_always_eager=True)
    yield
    celery_app.conf.update(task_always_eager=eager)


@pytest.fixture
def clock(monkeypatch):
    """clock(date, hour=10, minute=0): from now on it is that time in Shanghai on `date`
    (timezone.now, hence the project clock projects.services.today and every auto_now field,
    follows it; the real time until the first call)."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    current, real_now = {}, timezone.now
    monkeypatch.setattr(timezone, "now", lambda: current["now"] if current else real_now())

    def set_to(day: dt.date, hour: int = 10, minute: int = 0):
        current["now"] = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo("Asia/Shanghai"))
        return current["now"]

    return set_to
