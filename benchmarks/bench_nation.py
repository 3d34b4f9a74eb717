#!/usr/bin/env python
"""Nation-scale benchmarks (issue #9): every figure next to its floor measured in the same run.

    .venv/bin/python benchmarks/bench_nation.py [--scale nation] [--db bench_nation]

Creates, migrates and seeds the database when it is empty (seed_demo's demo data, then
demo.scale_seed at the scale), then prints, each the median of several runs:

1. list: GET /api/projects/ (page of 50) for the filter combinations users use, as a city user
   and as the administrator, through Django's test Client; vs the same page SQL + COUNT SQL
   executed raw on psycopg2. p50, p95, queries per request.
2. http: the same API through gunicorn (2 workers, loopback) under wrk (or a small threaded
   loader when wrk is missing): requests/s and p95.
3. dashboards: every board page vs the raw SQL of the queries it issues.
4. jobs: the deadline sweep and the subsidy computation over all projects (the daily run the
   day after the seed's anchor, then a same-day rerun): seconds and statements.
5. exports: the subsidy ledger as Excel and CSV vs openpyxl write-only / the csv module writing
   the same rows from memory: seconds, peak memory (a subprocess's maxrss), file size.

Targets (issue #9) are printed with each line. Figures depend on the machine's load: the
ratios, measured against floors in the same run, are what the targets are about.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432"
CITY_USER, ADMIN = "city_jiaxing", "admin"
DISTRICT, STREET = "330402", "330402007"  # 南湖区, 建设街道 (CONTRACTS §5)
LIST_CASES = [
    ("none", {}),
    ("district", {"district": DISTRICT}),
    ("street", {"street": STREET}),
    ("status", {"status": "listed"}),
    ("tier+status", {"tier": "provincial", "status": "listed"}),
    ("batch_year", {"batch_year": "2025"}),
    ("overdue", {"overdue": "true"}),
    ("q text", {"q": "和平"}),
]
HTTP_CASES = [(CITY_USER, "none", {}), (CITY_USER, "status", {"status": "listed"}), (ADMIN, "none", {}),
              (ADMIN, "q text", {"q": "和平"})]
RESULTS: list[dict] = []


# ---------------------------------------------------------------- set-up


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="nation", choices=["tiny", "province", "nation"])
    parser.add_argument("--db", help="database name (default bench_<scale>)")
    parser.add_argument("--pg", default=PG, help="server URL without the database name")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per case")
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--only", default="list,http,dashboards,jobs,exports",
                        help="comma-separated parts to run")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the list queries")
    parser.add_argument("--export-rows", type=int, default=0,
                        help="export only the first N rows of the report (0: all, i.e. every project)")
    parser.add_argument("--export-formats", default="xlsx,csv", help="xlsx, csv or both")
    parser.add_argument("--traced", action="store_true",
                        help="also run the Excel export under tracemalloc (Python-heap peak; slow)")
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args()


def configure(args) -> None:
    args.db = args.db or f"bench_{args.scale}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"{args.pg}/{args.db}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["CELERY_BROKER_URL"] = ""  # tasks in-process
    os.environ["EMAIL_URL"] = "dummymail://"  # alerts notify demo users: send nothing
    os.environ["SECURE_SSL_REDIRECT"] = "false"  # plain HTTP on loopback (TLS ends at the proxy)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)


def ensure_database(args) -> None:
    import psycopg2

    admin = psycopg2.connect(f"{args.pg}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db])
        if cursor.fetchone() is None:
            print(f"creating database {args.db}")
            cursor.execute(f'CREATE DATABASE "{args.db}"')
    admin.close()


def ensure_seeded(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import OutputWrapper

    from communities.models import Community
    from demo.scale_seed import COMMUNITY_NOTE, seed_scale

    call_command("migrate", verbosity=0)
    if Community.objects.filter(notes=COMMUNITY_NOTE).exists():
        return
    started = time.monotonic()
    call_command("seed_demo", scale="demo", force=True, stdout=open(os.devnull, "w"))
    seed_scale(args.scale, args.seed, OutputWrapper(sys.stdout))
    print(f"seeded {args.db} in {time.monotonic() - started:.0f}s")


# ---------------------------------------------------------------- measuring


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


class Statements:
    """Counts (and keeps, with their durations) the statements Django sends, via
    connection.execute_wrapper."""

    def __init__(self):
        self.sql: list[tuple[str, object]] = []
        self.seconds: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append((sql, params))
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds.append(time.perf_counter() - started)

    def slowest(self, count=3) -> list[str]:
        ranked = sorted(zip(self.seconds, (s for s, _ in self.sql), strict=True), reverse=True)[:count]
        return [f"{seconds:.1f}s {' '.join(sql.split())[:150]}" for seconds, sql in ranked]


def raw_connection():
    import psycopg2

    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    conn.autocommit = True
    return conn


def record(part, case, user, value, floor=None, unit="ms", target=None, met=None, **extra):
    row = {"part": part, "case": case, "user": user, "value": value, "floor": floor, "unit": unit,
           "ratio": (value / floor) if floor else None, "target": target, "met": met, **extra}
    RESULTS.append(row)
    ratio = f"{row['ratio']:.2f}×" if row["ratio"] else ""
    floor_text = f"{floor:.1f}" if floor is not None else ""
    extra_text = " ".join(f"{k}={v}" for k, v in extra.items())
    verdict = "" if met is None else ("MET" if met else "NOT MET")
    print(f"  {case:<24} {user:<13} {value:>9.1f} {unit:<4} floor {floor_text:>8} {ratio:>7}  "
          f"{extra_text}  {target or ''} {verdict}", flush=True)


def mogrified(raw, statements) -> list[str]:
    with raw.cursor() as cursor:
        return [cursor.mogrify(sql, params).decode() for sql, params in statements]


def time_raw(raw, sqls: list[str], runs: int) -> list[float]:
    timings = []
    with raw.cursor() as cursor:
        for index in range(runs + 2):
            started = time.perf_counter()
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()
            if index >= 2:
                timings.append((time.perf_counter() - started) * 1000)
    return timings


def client_for(username):
    from django.test import Client

    from communities.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def bench_list(args, raw) -> None:
    from django.db import connection

    print("\n== list API: GET /api/projects/ page of 50 (test Client vs raw page SQL + COUNT SQL)")
    print("   target: p95 ≤ 5× raw SQL p95 (same page + count), constant query count")
    for username in (CITY_USER, ADMIN):
        client = client_for(username)
        counts = set()
        for case, params in LIST_CASES:
            url = "/api/projects/?" + urllib.parse.urlencode(params)
            for _ in range(2):
                assert client.get(url).status_code == 200
            statements = Statements()
            with connection.execute_wrapper(statements):
                response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            total = response.json()["count"]
            project_sql = [(s, p) for s, p in statements.sql if '"projects_creationproject"' in s]
            timings = []
            for _ in range(args.runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            floor_sql = mogrified(raw, project_sql[:2])
            floor = time_raw(raw, floor_sql, args.runs)
            p95, floor95 = percentile(timings, 95), percentile(floor, 95)
            if total:  # an empty page has no page query (DRF stops at COUNT = 0)
                counts.add(len(statements.sql))
            record("list", case, username, p95, floor95, target="≤5×", met=p95 <= 5 * floor95,
                   p50=round(statistics.median(timings), 1), floor_p50=round(statistics.median(floor), 1),
                   queries=len(statements.sql), rows=total)
            if args.explain:
                explain(raw, floor_sql)
        print(f"  queries per request for {username} (non-empty pages): {sorted(counts)} "
              f"({'constant' if len(counts) == 1 else 'NOT constant'})")


def explain(raw, sqls) -> None:
    with raw.cursor() as cursor:
        for sql in sqls:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))


def bench_dashboards(args, raw) -> None:
    try:
        from dashboards.boards import BOARDS
    except ImportError:
        print("\n== dashboards: dashboards not available, skipped")
        return
    from django.conf import settings
    from django.test.utils import override_settings

    print("\n== dashboards: each board page vs the raw SQL of the queries it issues")
    print("   target: p50 ≤ 2× raw SQL")
    # DEBUG is off: plain static storage, so the pages render without a collectstatic manifest.
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        _bench_boards(args, raw, BOARDS)


def _bench_boards(args, raw, boards) -> None:
    from django.db import connection

    runs = max(3, args.runs // 3)
    for username in (CITY_USER, ADMIN):
        client = client_for(username)
        for key in boards:
            url = f"/dashboards/{key}/"
            if client.get(url).status_code != 200:
                print(f"  {key:<24} {username:<13} not shown to this user")
                continue
            statements = Statements()
            with connection.execute_wrapper(statements):
                client.get(url)
            selects = [(s, p) for s, p in statements.sql if s.lstrip().upper().startswith(("SELECT", "WITH"))]
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            floor = time_raw(raw, mogrified(raw, selects), runs)
            p50, floor50 = statistics.median(timings), statistics.median(floor)
            record("dashboards", key, username, p50, floor50, target="≤2×", met=p50 <= 2 * floor50,
                   queries=len(statements.sql))


# ---------------------------------------------------------------- gunicorn under load


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
                         latency:percentile(50), latency:percentile(95), errors))
end
"""


def run_wrk(url, token, seconds, connections) -> tuple[float, float, float, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT)
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", fh.name,
                              "-H", f"Authorization: Token {token}", url],
                             capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(fh.name)
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    requests, duration_us, p50_us, p95_us, errors = map(int, line.split()[1:])
    return requests / (duration_us / 1e6), p50_us / 1000, p95_us / 1000, errors


def run_loader(url, token, seconds, connections) -> tuple[float, float, float, int]:
    """A threaded http.client loader for machines without wrk (bounded in time and requests)."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        path = parts.path + ("?" + parts.query if parts.query else "")
        mine = []
        while time.monotonic() < stop and len(mine) < 100_000:
            started = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": f"Token {token}"})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, statistics.median(latencies), percentile(latencies, 95), errors[0]


def bench_http(args) -> None:
    import urllib.request

    from rest_framework.authtoken.models import Token

    from communities.models import User

    print("\n== list API through gunicorn (2 workers, 127.0.0.1) under load on loopback")
    print("   target: ≥ 300 requests/s")
    port = free_port()
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    process = subprocess.Popen([str(gunicorn), "config.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}",
                                "--timeout", "120"], env=dict(os.environ), stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            log.seek(0)
            raise RuntimeError("gunicorn did not start:\n" + log.read()[-2000:])
        tool = "wrk" if shutil.which("wrk") else "python loader"
        load = run_wrk if tool == "wrk" else run_loader
        # Calibration: the cheapest request the app serves (one SELECT 1), same workers and loader.
        load(base + "/healthz", "-", 2, 4)
        rate, p50, p95, errors = load(base + "/healthz", "-", args.http_seconds, 8)
        record("http", "/healthz (calibration)", "-", rate, unit="rq/s", p50_ms=round(p50, 1),
               p95_ms=round(p95, 1), errors=errors, tool=tool)
        for username, case, params in HTTP_CASES:
            token = Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
            url = f"{base}/api/projects/?" + urllib.parse.urlencode(params)
            load(url, token, 2, 4)  # warm both workers
            rate, p50, p95, errors = load(url, token, args.http_seconds, 8)
            record("http", case, username, rate, unit="rq/s", target="≥300 rq/s", met=rate >= 300,
                   p50_ms=round(p50, 1), p95_ms=round(p95, 1), errors=errors, tool=tool)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        os.unlink(log.name)


# ---------------------------------------------------------------- daily jobs


def bench_jobs(args) -> None:
    import datetime as dt

    from django.core.management import get_commands
    from django.db import connection

    from demo.scale_seed import ANCHOR

    print("\n== daily jobs over all projects (the day after the seed's anchor, then a same-day rerun)")
    print("   target: ≤ 10 s each")
    today = ANCHOR + dt.timedelta(days=1)
    jobs = []
    for command, module, function in (("sweep_deadlines", "acceptance.sweep", "sweep_deadlines"),
                                      ("compute_subsidies", "subsidies.services", "compute_subsidies")):
        if command in get_commands():
            jobs.append((command, lambda c=command: _call(c, today)))
            continue
        try:
            run = getattr(__import__(module, fromlist=[function]), function)
        except (ImportError, AttributeError):
            print(f"  {command}: not available, skipped")
            continue
        jobs.append((f"{module}.{function}", lambda r=run: r(today=today)))
    for name, job in jobs:
        for label in ("daily", "rerun"):
            statements = Statements()
            started = time.perf_counter()
            with connection.execute_wrapper(statements):
                result = job()
            seconds = time.perf_counter() - started
            record("jobs", f"{name.split('.')[-1]} {label}", "-", seconds, unit="s", target="≤10 s",
                   met=seconds <= 10, statements=len(statements.sql), result=str(result)[:120].replace(" ", "_"))
            for line in statements.slowest():
                print(f"      slowest: {line}")


def _call(command, today):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command(command, "--today", today.isoformat(), stdout=out)  # parsed as on the command line
    return out.getvalue().strip()


# ---------------------------------------------------------------- exports

EXPORT_CHILD = r"""
import json, os, resource, sys, tracemalloc
sys.path.insert(0, os.getcwd())
import django
django.setup()
mode, path, traced, limit = sys.argv[1], sys.argv[2], sys.argv[3] == "traced", int(sys.argv[4])
from benchmarks import bench_exports
if traced:
    tracemalloc.start()
result = bench_exports.run(mode, path, limit or None)
result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result["size_mb"] = os.path.getsize(path) / 2**20
print(json.dumps(result))
"""


def bench_exports(args) -> None:
    from benchmarks import bench_exports as exports

    print("\n== exports of the subsidy ledger / project list (subprocess each: seconds, peak memory, size)")
    print("   targets: Excel ≤ 1.3× openpyxl write-only floor and ≤ 200 MB peak; CSV ≤ 2× csv floor")
    if not exports.available():
        print(f"  exports not available: {exports.why_not()}")
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        # Untraced runs give the times and maxrss; --traced adds a run of the app's export under
        # tracemalloc for the Python-heap peak (it slows the run down: its time is not used).
        formats = args.export_formats.split(",")
        cases = [(mode, False) for fmt in formats for mode in (fmt, f"{fmt}_floor")]
        for mode, traced in cases + ([("xlsx", True)] if args.traced and "xlsx" in formats else []):
            path = os.path.join(tmp, f"{mode}.{mode.split('_')[0]}")
            out = subprocess.run([sys.executable, "-c", EXPORT_CHILD, mode, path,
                                  "traced" if traced else "-", str(args.export_rows)], capture_output=True,
                                 text=True, env=dict(os.environ), cwd=ROOT, timeout=3600)
            if out.returncode:
                print(f"  {mode}: failed\n{out.stderr[-2000:]}")
                return
            result = json.loads(out.stdout.strip().splitlines()[-1])
            if traced:
                results[mode]["traced_peak_mb"] = result["traced_peak_mb"]
            else:
                results[mode] = result
    for fmt, limit in (("xlsx", 1.3), ("csv", 2.0)):
        if fmt not in results:
            continue
        app, floor = results[fmt], results[f"{fmt}_floor"]
        met = app["seconds"] <= limit * floor["seconds"] and (fmt == "csv" or app["maxrss_mb"] <= 200)
        record("exports", f"{fmt} ({app['rows']} rows)", "-", app["seconds"], floor["seconds"], unit="s",
               target=f"≤{limit}×" + (" ≤200MB" if fmt == "xlsx" else ""), met=met,
               maxrss_mb=round(app["maxrss_mb"]), floor_maxrss_mb=round(floor["maxrss_mb"]),
               traced_mb=round(app.get("traced_peak_mb") or 0), size_mb=round(app["size_mb"], 1),
               floor_size_mb=round(floor["size_mb"], 1), read_s=round(floor["read_seconds"], 1),
               app_minus_read=f"{app['seconds'] - floor['read_seconds']:.1f}s")


# ---------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    configure(args)
    ensure_database(args)
    ensure_seeded(args)
    from django.db import connection

    from projects.models import CreationProject, Transition

    load = os.getloadavg()
    print(f"\nbench_nation {time.strftime('%Y-%m-%d %H:%M %Z')} db={args.db} "
          f"projects={CreationProject.objects.count()} transitions={Transition.objects.count()} cpus={os.cpu_count()} "
          f"load={load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} runs={args.runs}")
    parts = set(args.only.split(","))
    raw = raw_connection()
    try:
        if "list" in parts:
            bench_list(args, raw)
        if "dashboards" in parts:
            bench_dashboards(args, raw)
        if "http" in parts:
            connection.close()
            bench_http(args)
        if "jobs" in parts:
            bench_jobs(args)
        if "exports" in parts:
            connection.close()
            bench_exports(args)
    finally:
        raw.close()
    print("\n== summary")
    for row in RESULTS:
        if row["met"] is not None:
            print(f"  {'MET    ' if row['met'] else 'NOT MET'} {row['part']:<10} {row['case']:<24} "
                  f"{row['user']:<13} {row['target']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"load": load, "results": RESULTS}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
