"""Schemathesis over every operation of /api/schema/: no input makes the API answer 5xx, and
every answer conforms to the schema — a documented status code, a documented content type and
a body matching the documented schema (issue #20 item 16)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# 3 generated examples per operation by default (a newcomer's `make test`); CI's PostgreSQL pass asks for 6.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
EXAMPLES_RUN = []
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The WSGI handler closes connections at request end; inside the test's transaction that
    would close it for good (Django's own test client disconnects these the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def some_data(listed_project):
    """A listed project of 塔山街道 (history, deadlines, …) so list and detail answers hold rows."""
    import datetime as dt

    return listed_project("shaoxing", listed_on=dt.date(2025, 3, 1))


@pytest.fixture
def token_for(users):
    from rest_framework.authtoken.models import Token

    def make(username):
        return Token.objects.get_or_create(user=users[username])[0].key

    return make


@pytest.mark.fuzz
@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "street_tashan"])
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_answer_conforms_to_the_schema(case, username, token_for, some_data):
    case.headers = {**(case.headers or {}), "Authorization": f"Token {token_for(username)}"}
    case.call_and_validate(checks=CHECKS)
    EXAMPLES_RUN.append(1)
