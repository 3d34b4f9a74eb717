"""The docker-compose topology, proven natively: gunicorn, a Celery worker and beat on a
fresh PostgreSQL database and a Redis broker, driven over real HTTP.

Steps (every wait bounded in time and count; timings printed, run with -s to see them):
 1. create database portal_topology_<pid>; flush Redis db 9 (the broker of this test only);
 2. migrate, load_reference_data, seed_demo --scale demo (subprocesses, as config/deploy/entrypoint.sh);
 3. start gunicorn (config/deploy/gunicorn.conf.py, 2 workers), `celery -A config worker` and
    `celery -A config beat` with PORTAL_TEST_BEAT_SWEEP_SECONDS=5 (a 5-second deadline sweep);
 4. the compose health checks pass against these processes; /healthz reports the database,
    the broker and a fresh worker heartbeat;
 5. a session login with CSRF; a token; street_tashan creates and submits a project,
    district_yuecheng approves, city_shaoxing records the listing dated a year and a few days
    ago, so the construction deadline (shaoxing-2023: listed_on + 1 year) is overdue;
 6. beat runs the sweep, the worker raises the alert, street_tashan sees it at GET /api/alerts/.
Finally every process started here is stopped by its pid, the database dropped, Redis db flushed.

One deviation from production: DEBUG=true, because the plain-HTTP loopback cannot carry the
Secure cookies of DEBUG=false and seed_demo refuses to run in production. The production
static build is checked in test_compose.py; production settings in tests/security.
"""

import datetime as dt
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROKER_DB = 9
PASSWORD = "Topology@2026"
TASHAN_STREET = "330602001"
SWEEP_SECONDS = 5
ALERT_WAIT_SECONDS = 60

DATABASE_URL = os.environ.get("DATABASE_URL", "")
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (DATABASE_URL.startswith(("postgres://", "postgresql://")) and BROKER_URL.startswith("redis://")),
        reason="starts gunicorn, a Celery worker and beat: needs DATABASE_URL=postgres://… and "
               "CELERY_BROKER_URL=redis://… (CI sets both; plain `make test` on SQLite skips this)",
    ),
]


def log(message: str) -> None:
    print(f"[topology] {message}", flush=True)


def wait_until(what: str, predicate, timeout: float, interval: float = 0.5):
    """Call predicate until it returns something truthy; bounded in time and in tries."""
    started = time.monotonic()
    tries = int(timeout / interval) + 1
    last_error = result = None
    for _ in range(tries):
        try:
            result = predicate()
            if result:
                log(f"{what}: {time.monotonic() - started:.1f}s")
                return result
        except (OSError, ValueError, KeyError) as exc:
            last_error = exc
        if time.monotonic() - started > timeout:
            break
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout:.0f}s (last result: {result!r}, last error: {last_error!r})")


class Stack:
    """The processes and stores of one topology run; everything it starts, it stops."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.node = socket.gethostname()
        self.suffix = f"topology-{os.getpid()}"
        self.db_name = f"portal_topology_{os.getpid()}"
        admin = urllib.parse.urlsplit(DATABASE_URL)
        self.pg = {"host": admin.hostname or "127.0.0.1", "port": admin.port or 5432,
                   "user": urllib.parse.unquote(admin.username or "postgres"),
                   "password": urllib.parse.unquote(admin.password or "")}
        self.database_url = urllib.parse.urlunsplit(admin._replace(path=f"/{self.db_name}", query=""))
        broker = urllib.parse.urlsplit(BROKER_URL)
        self.broker_url = urllib.parse.urlunsplit(broker._replace(path=f"/{BROKER_DB}", query=""))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}  # running, by name
        self.logs: list[str] = []
        self.env = {**os.environ, "DATABASE_URL": self.database_url, "CELERY_BROKER_URL": self.broker_url,
                    "DEBUG": "true", "DEMO_PASSWORD": PASSWORD, "MEDIA_ROOT": str(workdir / "media"),
                    "PORTAL_TEST_BEAT_SWEEP_SECONDS": str(SWEEP_SECONDS), "PYTHONUNBUFFERED": "1",
                    "LOG_LEVEL": "INFO"}
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    # --- stores ---------------------------------------------------------------------------
    def admin_connection(self):
        import psycopg2

        connection = psycopg2.connect(dbname="postgres", connect_timeout=5, **self.pg)
        connection.autocommit = True
        return connection

    def execute(self, *statements: str):
        connection = self.admin_connection()
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    def create_database(self):
        self.execute(*[f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.leftover_databases()],
                     f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)', f'CREATE DATABASE "{self.db_name}"')

    def leftover_databases(self) -> list[str]:
        """Databases of earlier runs on this machine whose pytest process is gone (killed mid-run)."""
        connection = self.admin_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT datname FROM pg_database WHERE datname ~ '^portal_topology_[0-9]+$'")
                names = [row[0] for row in cursor.fetchall()]
        finally:
            connection.close()
        return [name for name in names if not pid_alive(int(name.rsplit("_", 1)[1]))]

    def drop_database(self):
        self.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def flush_broker(self):
        import redis

        client = redis.Redis.from_url(self.broker_url, socket_timeout=5)
        try:
            client.flushdb()
        finally:
            client.close()

    # --- processes ------------------------------------------------------------------------
    def manage(self, *args, timeout=300):
        started = time.monotonic()
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr[-3000:]}"
        log(f"manage.py {' '.join(args)}: {time.monotonic() - started:.1f}s")
        return result.stdout

    def start(self, name: str, *args: str, **env: str):
        logfile = open(self.workdir / f"{name}.log", "wb")  # the child keeps its own descriptor
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", *args], cwd=ROOT, env={**self.env, **env}, stdout=logfile,
            stderr=subprocess.STDOUT, start_new_session=True)
        logfile.close()
        self.logs.append(name)
        log(f"started {name} pid={self.processes[name].pid}")

    def start_all(self):
        self.start("gunicorn", "gunicorn", "-c", "config/deploy/gunicorn.conf.py", "--workers", "2",
                   "--bind", f"127.0.0.1:{self.port}")
        self.start("worker", "celery", "-A", "config", "worker", "--loglevel", "INFO", "--concurrency", "2",
                   "--hostname", f"worker-{self.suffix}@%h", "--queues", "celery,alerts,exports,subsidies")
        self.start("beat", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                   "--schedule", str(self.workdir / "celerybeat-schedule"),
                   "--enable-remote-control", "--hostname", f"beat-{self.suffix}@%h")

    def assert_running(self):
        for name, process in self.processes.items():
            assert process.poll() is None, f"{name} exited with {process.returncode}:\n{self.tail(name)}"

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.workdir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, name: str):
        """SIGTERM the process by its pid, wait, then SIGKILL its own process group (its children)."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        if process.poll() is not None:
            log(f"{name} pid={process.pid} had already exited rc={process.returncode}")
            return
        started = time.monotonic()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the session this test created for it
            process.wait(timeout=10)
        log(f"stopped {name} pid={process.pid} rc={process.returncode}: {time.monotonic() - started:.1f}s")

    def stop_all(self):
        for name in [n for n in self.processes if n not in ("beat", "worker", "gunicorn")]:
            self.stop(name)
        for name in ("beat", "worker", "gunicorn"):
            self.stop(name)

    def celery(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "celery", "-A", "config", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects (urllib only)."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.token = token
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, method: str, path: str, *, form: dict | None = None, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        headers = dict(headers or {})
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        headers.setdefault("Accept", "application/json" if path.startswith("/api/") else "text/html")
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def json(self, method: str, path: str, body: dict | None = None, expect: int = 200):
        status, _, content = self.request(method, path, body=body)
        assert status == expect, f"{method} {path} → {status}: {content[:1000].decode('utf-8', 'replace')}"
        return json.loads(content)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)


def get_health(base: str) -> dict:
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        return json.loads(response.read())


def worker_heartbeat_fresh(health: dict) -> bool:
    worker = health.get("worker")
    if isinstance(worker, dict):
        return worker.get("stale") is False and bool(worker.get("last_seen"))
    return worker in ("ok", "fresh")


def is_construction_alert_of(alert: dict, project_id: int) -> bool:
    """The alert names the project, and its deadline (where the API nests it) is the construction one."""
    project = alert.get("project")
    if isinstance(project, dict):
        project = project.get("id")
    deadline = alert.get("deadline")
    kind_ok = not isinstance(deadline, dict) or deadline.get("kind", "construction") == "construction"
    return project_id in (project, alert.get("project_id")) and kind_ok


def shanghai_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("topology"))
    started = time.monotonic()
    try:
        stack.create_database()
        stack.flush_broker()
        log(f"database {stack.db_name}, broker {stack.broker_url}, web {stack.base}")
        stack.manage("migrate", "--noinput")
        stack.manage("load_reference_data")
        stack.manage("seed_demo", "--scale", "demo")
        stack.start_all()
        wait_until("gunicorn answers /healthz", lambda: get_health(stack.base)["database"] == "ok", timeout=60)
        wait_until("worker and beat answer pings",
                   lambda: stack.assert_running() or stack.celery(
                       "inspect", "ping", "--timeout", "3", "--destination",
                       f"worker-{stack.suffix}@{stack.node},beat-{stack.suffix}@{stack.node}",
                   ).stdout.count("pong") == 2, timeout=60, interval=1)
        log(f"topology up: {time.monotonic() - started:.1f}s")
        yield stack
    finally:
        try:
            stack.stop_all()
            for name in stack.logs:
                print(f"--- {name}.log (tail) ---\n{stack.tail(name, 15)}")
        finally:
            stack.flush_broker()
            stack.drop_database()
            log(f"torn down; whole module {time.monotonic() - started:.1f}s")


def test_compose_healthchecks_pass_against_the_native_processes(stack):
    """The same commands docker-compose.yml uses as health checks (hosts and names native)."""
    web = subprocess.run([sys.executable, "config/deploy/healthcheck.py", f"{stack.base}/healthz"], cwd=ROOT,
                         env=stack.env, capture_output=True, text=True, timeout=30)
    assert web.returncode == 0, web.stdout + web.stderr
    for node in ("worker", "beat"):
        ping = stack.celery("inspect", "ping", "--destination", f"{node}-{stack.suffix}@{stack.node}",
                            "--timeout", "10")
        assert ping.returncode == 0, f"{node}: {ping.stdout}{ping.stderr}"
    missing = stack.celery("inspect", "ping", "--destination", f"nobody-{stack.suffix}@{stack.node}",
                           "--timeout", "2")
    assert missing.returncode != 0  # a dead node fails its health check


def test_web_healthcheck_passes_under_production_settings(stack):
    """DEBUG=false behind the proxy: HTTPS redirect and a real host name; the probe still gets 200."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    production = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "portal.example.test"}
    stack.start("gunicorn-production", "gunicorn", "-c", "config/deploy/gunicorn.conf.py", "--workers", "1",
                "--bind", f"127.0.0.1:{port}", **production)
    env = {**stack.env, **production}
    try:
        def probe():
            stack.assert_running()
            return subprocess.run([sys.executable, "config/deploy/healthcheck.py", url], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=30).returncode == 0

        wait_until("config/deploy/healthcheck.py against DEBUG=false gunicorn", probe, timeout=60)
        plain = Browser(f"http://127.0.0.1:{port}")
        status, headers, _ = plain.request("GET", "/healthz", headers={"Host": "portal.example.test"})
        assert status == 301 and headers["Location"].startswith("https://"), (status, headers)
    finally:
        stack.stop("gunicorn-production")


def test_healthz_reports_database_broker_and_a_fresh_worker_heartbeat(stack):
    # Beat sends the heartbeat every 60 s; send one now through the broker, as beat would.
    sent = stack.celery("call", "portal.tasks.heartbeat")
    assert sent.returncode == 0, sent.stderr
    health = wait_until("worker heartbeat fresh in /healthz",
                        lambda: worker_heartbeat_fresh(h := get_health(stack.base)) and h, timeout=30)
    log(f"/healthz: {json.dumps(health, ensure_ascii=False)}")
    assert health["status"] == "ok" and health["database"] == "ok" and health["broker"] == "ok"


def test_session_login_with_csrf_reaches_the_portal(stack):
    browser = Browser(stack.base)
    status, _, page = browser.request("GET", "/accounts/login/")
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token and browser.cookie("csrftoken"), "login page sets no CSRF token"
    refused, _, _ = browser.request("POST", "/accounts/login/",
                                    form={"username": "street_tashan", "password": PASSWORD})
    assert refused == 403  # no CSRF token, no login
    status, headers, _ = browser.request(
        "POST", "/accounts/login/", headers={"Referer": f"{stack.base}/accounts/login/"},
        form={"username": "street_tashan", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()})
    assert status == 302 and not headers["Location"].startswith("/accounts/login"), (status, headers)
    assert browser.cookie("sessionid")
    status, _, home = browser.request("GET", "/")
    assert status == 200, home[:500]
    status, _, body = browser.request("GET", "/api/projects/")
    assert status == 200 and json.loads(body)["count"] > 0  # the API accepts the session too


def test_listed_project_past_its_deadline_raises_an_alert_through_beat_and_worker(stack):
    started = time.monotonic()
    anonymous = Browser(stack.base)
    clients = {}
    for username in ("street_tashan", "district_yuecheng", "city_shaoxing"):
        token = anonymous.json("POST", "/api/auth/token/", {"username": username, "password": PASSWORD})["token"]
        clients[username] = Browser(stack.base, token=token)
    street, district, city = clients["street_tashan"], clients["district_yuecheng"], clients["city_shaoxing"]

    communities = street.json("GET", f"/api/communities/?street={TASHAN_STREET}")["results"]
    assert communities, "塔山街道 has no community"
    community = communities[0]
    today = shanghai_today()
    project = street.json("POST", "/api/projects/", {"community": community["id"], "tier": "municipal",
                                                     "category": "renovation", "batch_year": today.year},
                          expect=201)
    pid = project["id"]
    assert project["status"] == "draft" and project["policy"].startswith("shaoxing")

    def act(client, action, **data):
        return client.json("POST", f"/api/projects/{pid}/actions/", {"action": action, **data})

    assert act(street, "submit")["status"] == "submitted"
    assert act(district, "approve")["status"] == "in_review"
    deadline = today - dt.timedelta(days=3)
    listed_on = one_year_before(deadline)
    listed = act(city, "record_listing", listed_on=listed_on.isoformat(), document_no="绍风貌办〔2025〕9号")
    assert listed["status"] == "listed" and listed["policy"] == "shaoxing-2023"
    expected = deadline if (deadline.month, deadline.day) != (2, 29) else deadline.replace(day=28)
    assert listed["construction_deadline"]["date"] == expected.isoformat(), listed["construction_deadline"]
    in_list = street.json("GET", f"/api/projects/?status=listed&community={community['id']}")["results"]
    assert pid in [p["id"] for p in in_list]
    log(f"journey to listed over HTTP: {time.monotonic() - started:.1f}s (deadline {expected}, overdue)")

    def alert_seen():
        stack.assert_running()
        status, _, content = street.request("GET", f"/api/alerts/?project={pid}")
        if status == 404:
            raise ValueError("GET /api/alerts/ is 404: the acceptance app's alerts API is not there yet")
        assert status == 200, content[:500]
        return [a for a in json.loads(content)["results"] if is_construction_alert_of(a, pid)]

    alerts = wait_until(f"alert raised by the beat sweep (every {SWEEP_SECONDS}s)", alert_seen,
                        timeout=ALERT_WAIT_SECONDS, interval=1)
    log(f"alerts for project {pid}: {json.dumps(alerts, ensure_ascii=False)[:500]}")
    health = get_health(stack.base)
    sweep = health.get("sweep")
    if isinstance(sweep, dict):
        assert sweep.get("stale") is False, health
