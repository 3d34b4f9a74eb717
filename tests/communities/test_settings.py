"""Settings come from the environment and fail loudly on values they cannot read."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw, expected", [("true", True), ("False", False), ("1", True),
                                           ("off", False), ("", True)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", True) is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "banana")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def run_check(**env):
    full = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=120)


def test_bad_debug_value_fails_at_startup():
    result = run_check(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_production_without_secret_key_fails_at_startup():
    result = run_check(DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_time_zone_and_language_are_fixed():
    from django.conf import settings

    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.LANGUAGE_CODE == "zh-hans"


@pytest.mark.parametrize("raw, expected", [("", "1.1"), ("2", "2"), (" 1.25 ", "1.25"), ("server", None),
                                           ("SERVER", None)])
def test_planner_cost_reads_a_decimal_or_server(monkeypatch, raw, expected):
    from config.env import env_planner_cost

    monkeypatch.setenv("PG_RANDOM_PAGE_COST", raw)
    assert env_planner_cost("PG_RANDOM_PAGE_COST", "1.1") == expected


@pytest.mark.parametrize("raw", ["0", "-1", "1.1; DROP", "１.１", "1e3", "abc", "1.1 -c work_mem=1GB"])
def test_planner_cost_refuses_anything_else(monkeypatch, raw):
    """It goes into the connection's start-up options, so only a plain decimal is taken."""
    from config.env import env_planner_cost

    monkeypatch.setenv("PG_RANDOM_PAGE_COST", raw)
    with pytest.raises(ImproperlyConfigured, match="PG_RANDOM_PAGE_COST"):
        env_planner_cost("PG_RANDOM_PAGE_COST", "1.1")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_plan_with_the_configured_random_page_cost():
    """Issue #19: the page's 50 rows are joined by index, not by hashing every region."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
