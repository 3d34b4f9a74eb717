"""Helpers for reliability tests that run the real app in subprocesses against PostgreSQL."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}


def require_postgres():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
    parsed = urlparse(url)
    return {"host": parsed.hostname or "127.0.0.1", "port": str(parsed.port or 5432),
            "user": parsed.username or "postgres"}


def pg_env(pg):
    return {**os.environ, "PGHOST": pg["host"], "PGPORT": pg["port"], "PGUSER": pg["user"]}


def database_url(pg, name):
    return f"postgres://{pg['user']}@{pg['host']}:{pg['port']}/{name}"


def manage(env, *args, stdin=None, timeout=300):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(interval)
    return False


def app_env(pg, dbname, **extra):
    env = {**os.environ, "DATABASE_URL": database_url(pg, dbname), "DEBUG": "true"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env
