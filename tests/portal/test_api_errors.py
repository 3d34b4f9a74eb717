"""Issue #20 item 7: deeply nested JSON is a 400, an oversized body a 413, and every API error
— 400, 403 (CSRF), 404, 413, 500 — is the JSON error shape `{"detail": …}`, signed in or not."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from portal.api_errors import MAX_JSON_DEPTH, json_depth

pytestmark = pytest.mark.django_db


def assert_json_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body["detail"]


def test_json_depth_counts_brackets_outside_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"[" * 500 + b"]" * 500) == MAX_JSON_DEPTH + 1  # stops counting past the limit


@pytest.mark.parametrize("levels", [101, 100_000])
def test_deep_json_is_a_400_signed_in_or_not(api_for, levels):
    deep = "[" * levels + "]" * levels
    anonymous = APIClient(raise_request_exception=False)
    assert "嵌套" in assert_json_error(anonymous.post("/api/auth/token/", deep, content_type="application/json"), 400)
    street = api_for("street_tashan")
    assert "嵌套" in assert_json_error(street.post("/api/projects/", deep, content_type="application/json"), 400)
    assert "嵌套" in assert_json_error(street.post("/api/policy-simulations/", deep, content_type="application/json"),
                                      400)


def test_a_hundred_levels_are_still_parsed(api_for):
    nested = "[" * 99 + "]" * 99
    response = api_for("street_tashan").post("/api/projects/", '{"community": ' + nested + "}",
                                             content_type="application/json")
    assert response.status_code == 400 and "community" in response.json()["errors"]


def test_malformed_json_is_a_json_400():
    client = APIClient(raise_request_exception=False)
    assert "JSON" in assert_json_error(client.post("/api/auth/token/", "{", content_type="application/json"), 400)
    assert assert_json_error(client.post("/api/auth/token/", '{"username": NaN}', content_type="application/json"),
                             400)


def test_an_oversized_body_is_a_json_413(settings, api_for):
    body = '{"name": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    assert "过大" in assert_json_error(
        APIClient().post("/api/auth/token/", body, content_type="application/json"), 413)
    assert "过大" in assert_json_error(
        api_for("street_tashan").post("/api/projects/", body, content_type="application/json"), 413)


def test_an_unknown_api_url_is_a_json_404_signed_in_or_not(api_for):
    assert_json_error(Client().get("/api/no-such-thing/"), 404)
    assert_json_error(api_for("admin").get("/api/no-such-thing/"), 404)
    assert_json_error(api_for("admin").get("/api/projects/999999999/"), 404)
    # pages keep their HTML
    assert not Client().get("/no-such-page/")["Content-Type"].startswith("application/json")


def test_a_server_error_is_a_json_500(api_for, monkeypatch):
    from projects.api import ProjectViewSet

    def crash(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ProjectViewSet, "list", crash)
    api = api_for("street_tashan")
    api.raise_request_exception = False
    detail = assert_json_error(api.get("/api/projects/"), 500)
    assert "服务器内部错误" in detail and "boom" not in detail


def test_a_csrf_failure_under_the_api_is_json(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["street_tashan"])
    assert_json_error(client.post("/api/projects/", {"tier": "municipal"}), 403)
    assert_json_error(client.post("/api/auth/token/revoke/"), 403)
