"""Issue #18 item 4: 500 residents answer one survey within a minute while staff use the list API.

    python -m benchmarks.run_residents_load [--residents 500] [--pg postgres://postgres@127.0.0.1:5432]

1. Create PostgreSQL database `residents_load` (dropped again at the end), migrate, load the
   reference data and the demo data set, open a QR 满意度调研 for a listed 嘉兴 project.
2. Start gunicorn with the deploy's settings (config/deploy/gunicorn.conf.py, DEBUG off; 2 × CPU + 1
   workers × 4 threads, or --workers/--threads) on 127.0.0.1, as behind the deployment's TLS proxy.
   The per-address rate limit is raised for this run only: every simulated phone comes from
   127.0.0.1.
3. Idle: STAFF_USERS staff page through GET /api/projects/ for 30 s (locust) → p95.
4. Load: the same staff plus `--residents` phones spawned over 60 s, each answering once → p95.
5. Count the answers in the database: lost = answers locust saw accepted but missing, or phones
   whose answer was refused; duplicates = devices with more than one row. Both must be 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "residents_load"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, stdin=None) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, check=True)
    return done.stdout


SETUP = """
import datetime as dt
from django.utils import timezone
from communities.models import User
from projects.models import CreationProject
from residents import services
from residents.models import SurveyTemplate
from rest_framework.authtoken.models import Token
services.load_default_templates()
street = User.objects.get(username="street_jianshe")
project = CreationProject.objects.filter(street=street.office.region, status="listed").order_by("pk").first()
template = SurveyTemplate.objects.get(kind="satisfaction")
today = timezone.localdate()
survey = services.create_qr_survey(street, project, template, opens_on=max(today, project.listed_on),
                                   closes_on=today + dt.timedelta(days=7))
token, _ = Token.objects.get_or_create(user=User.objects.get(username="city_jiaxing"))
print("JSON" + __import__("json").dumps({"survey": survey.pk, "token": survey.token, "staff": token.key}))
"""

COUNT = """
from django.db.models import Count
from residents.models import Response
rows = Response.objects.filter(survey_id={survey})
dupes = rows.values("device").annotate(n=Count("id")).filter(n__gt=1).count()
print("JSON" + __import__("json").dumps({{"rows": rows.count(), "devices": rows.values("device").distinct().count(),
                                         "duplicate_devices": dupes}}))
"""


def json_line(output: str) -> dict:
    return json.loads(next(line[4:] for line in output.splitlines() if line.startswith("JSON")))


def locust(env, host, users, rate, seconds, prefix) -> dict:
    subprocess.run([str(Path(sys.executable).with_name("locust")), "-f", str(ROOT / "benchmarks/locust_residents.py"),
                    "--headless", "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--host", host,
                    "--csv", prefix, "--only-summary", "--stop-timeout", "10"], cwd=ROOT, env=env, check=False,
                   capture_output=True, text=True)
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = row
    return stats


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=500)
    parser.add_argument("--staff", type=int, default=2)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    # the deploy's defaults (config/deploy/gunicorn.conf.py): 2 × CPU + 1 processes × 4 threads
    parser.add_argument("--workers", type=int, default=os.cpu_count() * 2 + 1)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn gthread threads per worker")
    args = parser.parse_args()
    import psycopg2

    admin = psycopg2.connect(f"{args.pg}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {DB}")
    admin.cursor().execute(f"CREATE DATABASE {DB}")
    # As deployed (DEBUG off, the deploy's gunicorn settings), behind the TLS proxy that the
    # deployment puts in front: plain HTTP on loopback, no redirect to HTTPS; the phones keep
    # the Secure cookies as a browser does behind that proxy (locust_residents.py).
    env = {"SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "EMAIL_URL": "dummymail://",
           **os.environ, "DATABASE_URL": f"{args.pg}/{DB}", "DEBUG": "false", "SECURE_SSL_REDIRECT": "false",
           "RESIDENTS_ANSWERS_PER_ADDRESS": "100000", "STAFF_USERS": str(args.staff)}
    env.pop("CELERY_BROKER_URL", None)
    server = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_reference_data")
        manage(env, "seed_demo", "--force")  # DEBUG off: the demo data on purpose, in a throw-away database
        manage(env, "collectstatic", "--noinput")  # the survey page names its assets from the manifest
        ids = json_line(manage(env, "shell", stdin=SETUP))
        env.update(SURVEY_TOKEN=ids["token"], STAFF_TOKEN=ids["staff"])
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        server = subprocess.Popen([gunicorn, "-c", "config/deploy/gunicorn.conf.py",
                                   "--workers", str(args.workers), "--threads", str(args.threads),
                                   "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
                                  cwd=ROOT, env=env, stdout=log, stderr=log)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{host}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        out = Path(tempfile.mkdtemp(prefix="residents_load_"))
        print(f"load average before: {os.getloadavg()}", file=sys.stderr)
        idle = locust({**env}, host, args.staff, args.staff, 30, str(out / "idle"))
        started = time.time()
        load = locust({**env}, host, args.staff + args.residents, round(args.residents / 60, 2) + args.staff, 75,
                      str(out / "load"))
        counted = json_line(manage(env, "shell", stdin=COUNT.format(survey=ids["survey"])))
        staff = "staff: GET /api/projects/"
        answers = load["resident: answer"]
        accepted = int(answers["Request Count"]) - int(answers["Failure Count"])
        result = {
            "residents": args.residents, "staff_users": args.staff, "gunicorn": f"{args.workers}x{args.threads}",
            "load_average_after": os.getloadavg()[0], "load_seconds": round(time.time() - started),
            "answers_posted": int(answers["Request Count"]), "answers_refused": int(answers["Failure Count"]),
            "answers_in_database": counted["rows"], "lost": args.residents - counted["rows"],
            "accepted_but_missing": accepted - counted["rows"], "duplicate_devices": counted["duplicate_devices"],
            "answer_p95_ms": float(answers["95%"]),
            "staff_requests_idle": int(idle[staff]["Request Count"]), "staff_p95_idle_ms": float(idle[staff]["95%"]),
            "staff_p50_idle_ms": float(idle[staff]["50%"]),
            "staff_requests_load": int(load[staff]["Request Count"]), "staff_p95_load_ms": float(load[staff]["95%"]),
            "staff_p50_load_ms": float(load[staff]["50%"]),
        }
        result["staff_p95_ratio"] = round(result["staff_p95_load_ms"] / max(result["staff_p95_idle_ms"], 1), 2)
        print(json.dumps(result, ensure_ascii=False, indent=2))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {DB}")
        admin.close()


if __name__ == "__main__":
    main()
