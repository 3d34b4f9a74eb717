"""Security settings: deploy checks, CSP without 'unsafe-inline', cookies, lockout, logs."""

import datetime as dt
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from communities.models import LoginEvent, OperationLog

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/projects/", "/communities/", "/communities/import/", "/projects/what-if/",
         "/projects/review/", "/acceptance/batches/", "/projects/new/"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


def test_production_profile_passes_check_deploy():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64),
           "ALLOWED_HOSTS": "portal.example.gov.cn", "DATABASE_URL": "sqlite:///:memory:"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest for Playwright
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_send_csp_without_unsafe_inline_and_have_no_inline_scripts(client_for, path):
    response = client_for("street_tashan" if path == "/projects/new/" else "district_yuecheng").get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert not INLINE_SCRIPT.search(response.content.decode())
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_api_docs_have_no_inline_script(client_for):
    body = client_for("admin").get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(body)
    assert "cdn" not in body.lower()


def test_cookie_settings():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert len(settings.AUTH_PASSWORD_VALIDATORS) >= 4


@pytest.mark.django_db
def test_login_lockout_after_repeated_failures(client, users):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "street_tashan", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "street_tashan", "password": "Demo@2026"})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert LoginEvent.objects.filter(username="street_tashan", event="failed").count() >= 5
    api = client.post("/api/auth/token/", {"username": "street_tashan", "password": "Demo@2026"})
    # a locked-out account gets the lock-out message, not the generic credentials error (#20 item 4)
    assert api.status_code == 429, (api.status_code, api.content)
    assert "锁定" in api.json()["detail"] and "token" not in api.json()


@pytest.mark.django_db
def test_login_and_operations_are_logged_with_ip(client, users):
    client.post("/accounts/login/", {"username": "district_nanhu", "password": "Demo@2026"},
                REMOTE_ADDR="10.1.2.3")
    assert LoginEvent.objects.filter(username="district_nanhu", event="login", ip="10.1.2.3").exists()
    client.post("/projects/what-if/")  # a POST by a signed-in user (405), still an operation attempt
    entry = OperationLog.objects.filter(user=users["district_nanhu"]).latest("at")
    assert entry.method == "POST" and entry.path == "/projects/what-if/"


@pytest.mark.django_db
def test_log_pages_are_for_administrators_only(client_for):
    assert client_for("admin").get("/logs/operations/").status_code == 200
    assert client_for("admin").get("/logs/logins/").status_code == 200
    assert client_for("city_jiaxing").get("/logs/operations/").status_code == 404


@pytest.mark.django_db
def test_purge_keeps_at_least_six_months(users, settings):
    from communities.tasks import purge_old_logs

    settings.LOG_RETENTION_DAYS = 183
    recent = LoginEvent.objects.create(username="a", event="login")
    old = LoginEvent.objects.create(username="b", event="login")
    LoginEvent.objects.filter(pk=recent.pk).update(at=timezone.now() - dt.timedelta(days=182))
    LoginEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=184))
    purge_old_logs()
    assert LoginEvent.objects.filter(pk=recent.pk).exists()
    assert not LoginEvent.objects.filter(pk=old.pk).exists()
