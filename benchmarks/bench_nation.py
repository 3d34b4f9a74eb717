#!/usr/bin/env python
"""Nation-scale benchmarks (issue #9): every figure next to its floor measured in the same run.

    .venv/bin/python benchmarks/bench_nation.py [--scale nation] [--db bench_nation]

Creates, migrates and seeds the database when it is empty (seed_demo's demo data, then
demo.scale_seed at the scale), then prints, each the median of several runs (part 1 in
bench_pages.py, 2 in bench_http.py, 3 in bench_boards.py, 4 and 5 in bench_jobs.py; shared measuring in measure.py):

1. list: GET /api/projects/ (page of 50) for the filter combinations users use, as a city user
   and as the administrator, through Django's test Client; vs the same page SQL + COUNT SQL
   executed raw on psycopg2. p50, p95, queries per request.
2. http: the same API through gunicorn (2 workers, loopback) under wrk (or a small threaded
   loader when wrk is missing): requests/s and p95.
3. dashboards: every board page (and the assessment API) vs the raw SQL of the queries it
   issues, computed and cached; a cached board's requests/s (client loop; gunicorn + wrk).
4. jobs: the deadline sweep and the subsidy computation over all projects (the daily run the
   day after the seed's anchor, then a same-day rerun): seconds and statements.
5. exports: the subsidy ledger as Excel and CSV vs XlsxWriter writing the same layout from memory
   / COPY of the same statement (openpyxl write-only bare and the csv module as references):
   seconds, peak memory (a subprocess's maxrss), file size.
6. pages (bench_scope.py): a city user's pages vs a district user's of the same kind, and deep
   pages vs page 1 of the same list (with --explain: the slowest statement's plan).
7. residents (bench_residents.py): issue #18's 500 residents answering a survey while staff page
   the list API, in a throw-away database: staff p95 vs idle, answers lost or duplicated.

Targets (issue #9) are printed with each line. Figures depend on the machine's load: the
ratios, measured against floors in the same run, are what the targets are about.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository (this file is benchmarks/bench_nation.py)
PG = "postgres://postgres@127.0.0.1:5432"
ALL_PARTS = "list,pages,dashboards,http,jobs,exports,residents"


# ---------------------------------------------------------------- set-up


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="nation", choices=["tiny", "province", "nation"])
    parser.add_argument("--db", help="database name (default bench_<scale>)")
    parser.add_argument("--pg", default=PG, help="server URL without the database name")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per case")
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--only", default=ALL_PARTS,
                        help="comma-separated parts to run")
    parser.add_argument("--no-boards-http", action="store_true", help="skip the cached boards under gunicorn")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN ANALYZE of the list queries and of the pages' slowest statements")
    parser.add_argument("--jobs", default="sweep_deadlines,compute_subsidies",
                        help="which daily jobs the jobs part times")
    parser.add_argument("--jobs-db", help="name of the jobs' throw-away database (default <db>_jobs)")
    parser.add_argument("--export-rows", type=int, default=0,
                        help="export only the first N rows of the report (0: all, i.e. every project)")
    parser.add_argument("--export-formats", default="xlsx,csv", help="xlsx, csv or both")
    parser.add_argument("--traced", action="store_true",
                        help="also run the Excel export under tracemalloc (Python-heap peak; slow)")
    parser.add_argument("--json", help="write the results to this file (default when every part runs: "
                                        "benchmarks/results/nation.json, which README's tables are made from)")
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

    from benchmarks.bench_jobs import ensure_snapshot
    from communities.models import Community
    from demo.scale_seed import COMMUNITY_NOTE, seed_scale

    call_command("migrate", verbosity=0)
    if not Community.objects.filter(notes=COMMUNITY_NOTE).exists():
        started = time.monotonic()
        call_command("seed_demo", scale="demo", force=True, stdout=open(os.devnull, "w"))
        seed_scale(args.scale, args.seed, OutputWrapper(sys.stdout))
        print(f"seeded {args.db} in {time.monotonic() - started:.0f}s")
    ensure_snapshot(args)  # the jobs part starts each job from it



# ---------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    configure(args)
    ensure_database(args)
    ensure_seeded(args)
    # Only now is ROOT on sys.path (run as a script, only benchmarks/ is).
    from django.db import connection

    from benchmarks.bench_boards import bench_dashboards
    from benchmarks.bench_http import bench_http
    from benchmarks.bench_jobs import bench_exports, bench_jobs
    from benchmarks.bench_pages import bench_list
    from benchmarks.bench_scope import bench_scope_pages
    from benchmarks.measure import RESULTS, raw_connection
    from projects.models import CreationProject, Transition

    load = os.getloadavg()
    meta = run_meta(args, load, CreationProject.objects.count(), Transition.objects.count())
    print(f"\nbench_nation {meta['started']} db={args.db} {meta['scale_note']} cpus={meta['cpus']} "
          f"load={meta['load_before']} runs={args.runs} commit={meta['commit']}\n  PostgreSQL {meta['pg_settings']}")
    parts = set(args.only.split(","))
    if args.json is None and parts >= set(ALL_PARTS.split(",")):
        from benchmarks.report import DEFAULT_JSON

        args.json = str(DEFAULT_JSON)
    raw = raw_connection()
    try:
        if "list" in parts:
            bench_list(args, raw)
        if "dashboards" in parts:
            bench_dashboards(args, raw)
        if "pages" in parts:
            bench_scope_pages(args, raw)
        if "http" in parts:
            connection.close()
            bench_http(args)
        if "jobs" in parts:
            bench_jobs(args)
        if "exports" in parts:
            connection.close()
            bench_exports(args)
        if "residents" in parts:
            from benchmarks.bench_residents import bench_residents

            bench_residents(args)
    finally:
        raw.close()
    print("\n== summary")
    for row in RESULTS:
        if row["met"] is not None:
            print(f"  {'MET    ' if row['met'] else 'NOT MET'} {row['part']:<10} {row['case']:<24} "
                  f"{row['user']:<13} {row['target']}")
    if args.json:
        after = os.getloadavg()
        meta["load_after"] = f"{after[0]:.1f}/{after[1]:.1f}/{after[2]:.1f}"
        meta["cpu_probe_after_ms"] = cpu_probe()
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"meta": meta, "results": RESULTS}, ensure_ascii=False, indent=1) + "\n")
        print(f"results kept in {args.json}; README's tables: python -m benchmarks.report --json {args.json}")
    return 0


def run_meta(args, load, projects: int, transitions: int) -> dict:
    """What the figures depend on, kept with them: time, commit, machine load, PostgreSQL settings."""
    import subprocess

    from django.db import connection

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    with connection.cursor() as cursor:
        settings = []
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers_per_gather",
                     "random_page_cost"):
            cursor.execute(f"SHOW {name}")
            settings.append(f"{name}={cursor.fetchone()[0]}")
    return {"started": time.strftime("%Y-%m-%d %H:%M %Z"), "commit": commit.stdout.strip() or "?",
            "cpus": os.cpu_count(), "load_before": f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}",
            "scale_note": f"{args.scale} scale ({projects:,} projects, {transitions:,} transitions)",
            "runs": args.runs, "pg_settings": ", ".join(settings), "cpu_probe_ms": cpu_probe()}


def cpu_probe() -> float:
    """Milliseconds of one fixed pure-Python loop (best of 5): how fast this machine runs Python
    now. The machines these runs get differ (and drift within a run): throughput figures are
    read against it and against the /healthz calibration rows, not across machines."""
    import timeit

    return round(min(timeit.repeat("sum(i * i for i in range(100000))", number=20, repeat=5)) / 20 * 1000, 2)


if __name__ == "__main__":
    sys.exit(main())
