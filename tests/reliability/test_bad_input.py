"""Issue #20 item 9: every HTML form and every list filter of the portal, sent NUL bytes,
superscript digits (²), full-width digits, a 30-digit number and over-long strings, never
answers a server error, and a refused POST changes nothing.

The pages come from the URL resolver (every route of the authorization matrix, with the
probe objects of its world 乙 in 塔山街道); the forms and their fields from the pages' own
HTML as each role sees it, so a new page or a new field is covered without an entry here.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import NoReverseMatch

from tests.security.test_authorization_matrix import ROUTES, build_world, portal_routes, url_for

pytestmark = pytest.mark.django_db

ROLES = ["street_tashan", "district_yuecheng", "city_shaoxing", "admin"]
BAD = {"nul": "a\x00b", "superscript": "²", "full_width": "１２３", "huge": "9" * 30, "long": "长" * 5000}
REFUSED = ("nul", "long")  # no field takes these: a POST holding them changes nothing
SKIP_POST = {"/accounts/logout/"}
LOGS = {"communities.operationlog", "communities.loginevent", "axes.accessattempt", "axes.accesslog",
        "axes.accessfailurelog", "sessions.session"}
RESULTS = {"pages": 0, "forms": 0, "requests": 0}


class Forms(HTMLParser):
    """The forms of a page: [(method, action, {name: default value}, has_file)]."""

    def __init__(self):
        super().__init__()
        self.forms, self._current, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = [attrs.get("method", "get").lower(), attrs.get("action") or "", {}, False]
            self.forms.append(self._current)
        elif self._current is None:
            return
        elif tag in ("input", "textarea") and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind == "file":
                self._current[3] = True
            elif kind not in ("submit", "button", "reset", "image") and attrs["name"] != "csrfmiddlewaretoken":
                if kind not in ("checkbox", "radio") or "checked" in attrs:
                    self._current[2].setdefault(attrs["name"], attrs.get("value", ""))
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._current[2].setdefault(self._select, "")
        elif tag == "option" and self._select and not self._current[2][self._select]:
            self._current[2][self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def fingerprint():
    return {model._meta.label_lower: list(model.objects.order_by("pk").values_list())
            for model in apps.get_models() if model._meta.label_lower not in LOGS}


def pages(world):
    for route, name in portal_routes():
        kinds = ROUTES.get(name)
        if kinds is None or route.startswith("api/") or name.endswith(("_xlsx", "_csv")) or "download" in name:
            continue
        try:
            yield url_for(name, kinds, world)
        except NoReverseMatch:  # a parameter that is not an object (an export kind): a download
            continue


def forms_of(client, url):
    response = client.get(url)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = Forms()
    parser.feed(response.content.decode())
    return [(method, urlsplit(action).path or url, fields, has_file)
            for method, action, fields, has_file in parser.forms]


FAILURES: list = []


def check(response, *context, expect=None):
    RESULTS["requests"] += 1
    if response.status_code >= 500 or (expect and response.status_code != expect):
        FAILURES.append((*context, response.status_code))


@pytest.fixture
def world(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world("yi", users)


@pytest.mark.parametrize("role", ROLES)
def test_no_form_or_filter_answers_a_server_error_to_bad_input(role, users, world, client):
    client.raise_request_exception = False
    FAILURES.clear()
    client.force_login(users[role])
    seen = set()
    for url in pages(world):
        RESULTS["pages"] += 1
        for method, action, fields, _ in forms_of(client, url):
            key = (method, action, tuple(sorted(fields)))
            if key in seen or not fields:
                continue
            seen.add(key)
            RESULTS["forms"] += 1
            if method == "get":
                for name in fields:
                    for label, value in BAD.items():
                        expect = 400 if label == "nul" else None  # refused, naming the parameter
                        check(client.get(action, {**fields, name: value}), role, url, action, name, label,
                                         expect=expect)
                        check(client.get(action, {name: value}), role, url, action, name, label, expect=expect)
                continue
            if action in SKIP_POST:
                continue
            for name in fields:  # each field missing
                check(client.post(action, {k: v for k, v in fields.items() if k != name}), role, url, action,
                      name, "missing")
                client.force_login(users[role])
            for label, value in BAD.items():
                before = fingerprint() if label in REFUSED else None
                for name in fields:
                    check(client.post(action, {**fields, name: value}), role, url, action, name, label)
                response = client.post(action, {name: value for name in fields})
                check(response, role, url, action, "all fields", label)
                if before is not None:
                    after = fingerprint()
                    changed = [label for label in before if before[label] != after[label]]
                    assert not changed, (role, action, label, changed)
                client.force_login(users[role])
    assert RESULTS["forms"] > 0
    assert not FAILURES, "\n".join(map(repr, sorted(set(FAILURES))))
