"""A real Celery worker and beat against the test database: the beat fires the sweep, the
worker runs it, the alert is in the database. Needs PostgreSQL and a broker (CI has both)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from acceptance.models import Alert
from portal.models import Heartbeat
from tests.acceptance.conftest import bulk_listed

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = settings.DATABASES["default"]["ENGINE"] == "portal.postgresql"
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL") or not POSTGRES,
                       reason="needs CELERY_BROKER_URL (Redis) and DATABASE_URL pointing at PostgreSQL"),
]


def test_database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def start(args, env, log: Path):
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", *args], cwd=ROOT, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def test_beat_fires_the_sweep_and_the_worker_raises_the_alert(transactional_db, users, tmp_path):
    today = timezone.localdate()
    assert not connection.in_atomic_block  # the worker must see committed data
    project = bulk_listed("330602001", 1, listed_on=today - dt.timedelta(days=3),
                          deadline=today + dt.timedelta(days=5))[0]
    env = {**os.environ, "DATABASE_URL": test_database_url(), "PORTAL_TEST_BEAT_SWEEP_SECONDS": "5",
           "DEBUG": "true"}
    worker = start(["worker", "--pool", "solo", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                    "--queues", "celery,alerts,exports,subsidies"],  # as the compose worker (settings route)
                   env, tmp_path / "worker.log")
    beat = start(["beat", "--loglevel", "INFO", "-s", str(tmp_path / "beat-schedule")], env, tmp_path / "beat.log")
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if Alert.objects.filter(deadline__project=project, level="d7").exists():
                break
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            assert beat.poll() is None, (tmp_path / "beat.log").read_text()[-3000:]
            time.sleep(1)
    finally:
        stop(beat)
        stop(worker)
    logs = (tmp_path / "worker.log").read_text()[-3000:] + (tmp_path / "beat.log").read_text()[-2000:]
    alert = Alert.objects.filter(deadline__project=project, level="d7").first()
    assert alert is not None, logs
    assert alert.office.name == "塔山街道"
    assert Heartbeat.objects.filter(name="sweep").exists()
