"""The database dropping every connection (a restart, a failover) → the running app
reconnects on the next request without a manual restart (CONN_HEALTH_CHECKS)."""

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from tests.reliability.helpers import ROOT, app_env, free_port, manage, pg_env, require_postgres, wait_for

pytestmark = [pytest.mark.integration]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


def test_app_reconnects_after_the_database_drops_all_connections():
    pg = require_postgres()
    env = pg_env(pg)
    dbname = f"portal_restart_{os.getpid()}"
    subprocess.run(["dropdb", "--if-exists", dbname], env=env, check=True)
    subprocess.run(["createdb", dbname], env=env, check=True)
    port = free_port()
    app = app_env(pg, dbname, CONN_MAX_AGE="600")
    server = None
    try:
        manage(app, "migrate", "--noinput")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "30"], cwd=ROOT, env=app,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/healthz"
        assert wait_for(lambda: get(url)[0] == 200, timeout=30)
        assert get(url)[1]["database"] == "ok"  # the worker now holds a persistent connection

        killed = subprocess.run(
            ["psql", "-At", "-d", "postgres", "-c",
             f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
             f"WHERE datname = '{dbname}' AND pid <> pg_backend_pid()"],
            env=env, check=True, capture_output=True, text=True)
        assert int(killed.stdout) >= 1

        status, body = get(url)
        assert status == 200 and body["database"] == "ok"
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        subprocess.run(["dropdb", "--if-exists", "--force", dbname], env=env, check=False)
