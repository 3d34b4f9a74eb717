"""portal.csp and portal.redis_cache: per-request work done once, with the same result as the
libraries they wrap (issue #19)."""

import socket

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from portal.csp import CSPMiddleware
from portal.redis_cache import RedisCache, SharedClientRedisCacheClient

REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-report/"},
               "EXCLUDE_URL_PREFIXES": ["/static/"]}


def both(path="/projects/", shape=None, nonce=False):
    """The headers of one response through portal.csp and through django-csp itself."""
    out = []
    for middleware_class in (CSPMiddleware, DjangoCSPMiddleware):
        def view(request):
            if nonce:
                request._csp_nonce = "bm9uY2UtdXNlZA=="  # what reading request.csp_nonce leaves
            response = HttpResponse("x")
            if shape:
                shape(response)
            return response

        response = middleware_class(view)(RequestFactory().get(path))
        out.append({name: response.get(name) for name in (HEADER, HEADER_REPORT_ONLY)})
    return out


def test_the_portal_policy_is_django_csp_s_own_header():
    ours, theirs = both()
    assert ours == theirs
    assert "default-src 'self'" in ours[HEADER] and "'unsafe-inline'" not in ours[HEADER]
    assert ours[HEADER_REPORT_ONLY] is None


def test_changed_settings_report_only_and_excluded_prefixes_are_honoured():
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=REPORT_ONLY):
        ours, theirs = both()
        assert ours == theirs and ours[HEADER_REPORT_ONLY].startswith("default-src 'none'")
        ours, theirs = both(path="/static/app.css")
        assert ours == theirs and ours[HEADER_REPORT_ONLY] is None
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'self'", "example.org"]}}):
        ours, theirs = both()
        assert ours == theirs == {HEADER: "default-src 'self' example.org", HEADER_REPORT_ONLY: None}
    assert "example.org" not in both()[0][HEADER]  # built again once the setting is back


def test_per_view_parts_a_used_nonce_and_an_exemption_go_through_django_csp():
    def update(response):
        response._csp_update = {"img-src": ["https://tiles.example.org"]}

    def exempt(response):
        response._csp_exempt = True

    ours, theirs = both(shape=update)
    assert ours == theirs and "https://tiles.example.org" in ours[HEADER]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}}):
        ours, theirs = both(nonce=True)
        assert ours == theirs and "script-src 'self' 'nonce-bm9uY2UtdXNlZA=='" in ours[HEADER]
    ours, theirs = both(shape=exempt)
    assert ours == theirs == {HEADER: None, HEADER_REPORT_ONLY: None}


def test_reading_the_nonce_after_the_header_is_written_is_an_error_as_in_django_csp():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    CSPMiddleware(lambda r: HttpResponse("x"))(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_one_redis_client_per_connection_pool():
    client = SharedClientRedisCacheClient(["redis://127.0.0.1:6379/9"])
    first = client.get_client("a")
    assert client.get_client("b") is first and client.get_client("c", write=True) is first
    assert first.connection_pool is client._get_connection_pool(False)
    # a replica for reads: its own pool, so its own client
    pair = SharedClientRedisCacheClient(["redis://127.0.0.1:6379/9", "redis://127.0.0.1:6379/8"])
    writer, reader = pair.get_client(write=True), pair.get_client()
    assert writer is not reader and pair.get_client() is reader and pair.get_client(write=True) is writer
    assert reader.connection_pool.connection_kwargs["db"] == 8


def _redis_listening() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_listening(), reason="no Redis on 127.0.0.1:6379 (it runs in CI)")
def test_the_backend_stores_and_reads_through_the_shared_client():
    cache = RedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": "portal-test-shared-client"})
    try:
        cache.set("k", {"值": 1}, 30)
        assert cache.get("k") == {"值": 1} and cache.get_many(["k", "missing"]) == {"k": {"值": 1}}
        assert cache.add("n", 1) and not cache.add("n", 5)
        assert cache.incr("n") == 2 and cache.get("n") == 2
    finally:
        cache.delete_many(["k", "n"])
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
