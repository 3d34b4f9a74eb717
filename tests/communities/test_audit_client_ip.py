"""Issue #20 item 1: the client address is REMOTE_ADDR behind the configured proxy hops only,
always a valid IP, and a write and its operation-log row commit together."""

import pytest
from django.test import RequestFactory

from communities.models import Community, LoginEvent, OperationLog
from portal.clientip import client_ip
from projects.models import CreationProject


def ip_of(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert ip_of("10.0.0.7", "8.8.8.8") == "10.0.0.7"


def test_one_trusted_proxy_gives_the_last_entry_and_a_forged_first_entry_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert ip_of("127.0.0.1", "8.8.8.8, 203.0.113.9") == "203.0.113.9"
    assert ip_of("127.0.0.1", "203.0.113.9") == "203.0.113.9"
    settings.TRUSTED_PROXY_HOPS = 2
    assert ip_of("127.0.0.1", "8.8.8.8, 203.0.113.9, 10.0.0.2") == "203.0.113.9"


@pytest.mark.parametrize("junk", ["not-an-ip", "", " , ", "1.2.3.4.5", "999.1.1.1", "x" * 500, "::g", "\x00"])
def test_junk_falls_back_to_remote_addr(settings, junk):
    settings.TRUSTED_PROXY_HOPS = 1
    assert ip_of("127.0.0.1", junk) == "127.0.0.1"
    assert ip_of("junk", junk) is None


@pytest.mark.django_db
def test_a_write_with_a_junk_forwarded_header_is_logged_with_the_proxy_address(settings, api_for, community_in):
    settings.TRUSTED_PROXY_HOPS = 1
    community = community_in("shaoxing")
    response = api_for("street_tashan").post(
        "/api/projects/", {"community": community.pk, "tier": "municipal", "category": "renovation",
                           "batch_year": 2026},
        format="json", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 201
    entry = OperationLog.objects.get(path="/api/projects/", method="POST")
    assert entry.status_code == 201 and entry.ip == "127.0.0.1"


@pytest.mark.django_db
def test_a_failed_login_with_junk_is_in_the_login_log(settings, client, users):
    settings.TRUSTED_PROXY_HOPS = 1
    client.post("/accounts/login/", {"username": "street_tashan", "password": "wrong"},
                REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip, also junk")
    assert LoginEvent.objects.get(username="street_tashan", event="failed").ip == "127.0.0.1"


@pytest.mark.django_db
def test_the_write_and_its_log_row_commit_together(api_for, community_in, monkeypatch):
    """The log insert failing (whatever the reason) takes the write with it: no action without
    its audit entry."""
    community = community_in("shaoxing")

    def broken(*args, **kwargs):
        raise RuntimeError("log table unavailable")

    monkeypatch.setattr(OperationLog.objects, "create", broken)
    with pytest.raises(RuntimeError):
        api_for("street_tashan").post("/api/projects/", {"community": community.pk, "tier": "municipal",
                                                         "category": "renovation", "batch_year": 2026}, format="json")
    assert not CreationProject.objects.filter(community=community).exists()
    assert Community.objects.filter(pk=community.pk).exists()


@pytest.mark.django_db
def test_a_server_error_rolls_the_request_back_and_is_still_logged(api_for, community_in, monkeypatch):
    from rest_framework.test import APIClient

    from projects import services

    community = community_in("shaoxing")
    real = services.create_project

    def half_done(*args, **kwargs):
        real(*args, **kwargs)  # the write happens …
        raise RuntimeError("crash after the write")  # … then the request fails

    monkeypatch.setattr(services, "create_project", half_done)
    api = api_for("street_tashan")
    assert isinstance(api, APIClient)
    api.raise_request_exception = False
    response = api.post("/api/projects/", {"community": community.pk, "tier": "municipal", "category": "renovation",
                                           "batch_year": 2026}, format="json")
    assert response.status_code == 500
    assert not CreationProject.objects.filter(community=community).exists()
    assert OperationLog.objects.get(path="/api/projects/").status_code == 500
