"""bench_nation.py parts 4 and 5, the work outside requests: the daily jobs over all projects,
and the exports (one subprocess per case, see bench_exports.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from benchmarks.measure import Statements, record


def bench_jobs(args) -> None:
    """Each job in a database made afresh from the seed's snapshot (`<db>_snap`, see
    ensure_snapshot): the daily run the day after the seed's anchor, then a same-day rerun."""
    import datetime as dt

    from demo.scale_seed import ANCHOR

    print("\n== daily jobs over all projects (the day after the seed's anchor, then a same-day rerun), "
          "each job in a fresh copy of the seeded snapshot")
    today = ANCHOR + dt.timedelta(days=1)
    jobs = [("sweep_deadlines", 10, 2), ("compute_subsidies", 5, 1)]
    wanted = set(args.jobs.split(","))
    for command, daily_target, rerun_target in (job for job in jobs if job[0] in wanted):
        if not _fresh_jobs_database(args):
            print(f"  {command}: no snapshot {args.db}_snap, skipped (jobs must start from the seeded state)")
            continue
        if command == "sweep_deadlines":
            # The seed's own sweep (at the anchor) may predate the sweep's watermarks: a rerun on
            # the anchor day records them as the deployed sweep would have (not timed).
            _call(command, ANCHOR, "--no-email")
        if command == "compute_subsidies":
            # Likewise the seed's run may predate the run's community marks (or their code): the
            # anchor day's run records them as the deployed nightly run would have (not timed).
            _call(command, ANCHOR)
        for label, target in (("daily", daily_target), ("rerun", rerun_target)):
            _timed("jobs", f"{command} {label}", target,
                   lambda c=command: _call(c, today, *(["--no-email"] if c == "sweep_deadlines" else [])))
        if command == "sweep_deadlines":
            _timed("jobs", "e-mail delivery (500)", None, _deliver_batch)
    _drop_jobs_database(args)


def _timed(part, case, target, job) -> None:
    from django.db import connection

    statements = Statements()
    started = time.perf_counter()
    with connection.execute_wrapper(statements):
        result = job()
    seconds = time.perf_counter() - started
    record(part, case, "-", seconds, unit="s", target=f"≤{target} s" if target else "-",
           met=seconds <= target if target else None, statements=len(statements.sql),
           result=str(result)[:120].replace(" ", "_"))
    for line in statements.slowest():
        print(f"      slowest: {line}")


def _deliver_batch():
    from portal.delivery import deliver_due

    return deliver_due()


def _admin(args):
    import psycopg2

    admin = psycopg2.connect(f"{args.pg}/postgres")
    admin.autocommit = True
    return admin


def ensure_snapshot(args) -> None:
    """`<db>_snap`: a template of the database as seeded (created once, right after seeding)."""
    from django.db import connection

    connection.close()  # a template is copied only while nobody is connected to it
    admin = _admin(args)
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{args.db}_snap"])
        if cursor.fetchone() is None:
            print(f"creating snapshot {args.db}_snap")
            cursor.execute(f'CREATE DATABASE "{args.db}_snap" TEMPLATE "{args.db}"')
    admin.close()


def _fresh_jobs_database(args) -> bool:
    """Point Django at a new `<db>_jobs` (or --jobs-db) copied from `<db>_snap`, migrated;
    False without a snapshot."""
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    admin = _admin(args)
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{args.db}_snap"])
        if cursor.fetchone() is None:
            admin.close()
            return False
        cursor.execute(f'DROP DATABASE IF EXISTS "{_jobs_name(args)}"')
        cursor.execute(f'CREATE DATABASE "{_jobs_name(args)}" TEMPLATE "{args.db}_snap"')
    admin.close()
    connection.settings_dict["NAME"] = _jobs_name(args)
    call_command("migrate", verbosity=0)
    return True


def _drop_jobs_database(args) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = args.db
    admin = _admin(args)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{_jobs_name(args)}"')
    admin.close()


def _jobs_name(args) -> str:
    """The throw-away copy the jobs run in (one per concurrent benchmark run: --jobs-db)."""
    return args.jobs_db or f"{args.db}_jobs"


def _call(command, today, *options):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command(command, "--today", today.isoformat(), *options, stdout=out)  # parsed as on the command line
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
# This process's own peak (VmHWM of its memory map): ru_maxrss would also count the parent's
# RSS at fork, which Linux carries across exec (the bench process is far larger than an export).
try:
    with open("/proc/self/status") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    result["maxrss_mb"] = int(hwm.split()[1]) / 1024
except (OSError, StopIteration):
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result["size_mb"] = os.path.getsize(path) / 2**20
print(json.dumps(result))
"""


def bench_exports(args) -> None:
    from benchmarks import bench_exports as exports

    print("\n== exports of the subsidy ledger / project list (subprocess each: seconds, peak memory, size)")
    print("   targets: Excel ≤ 1.2× XlsxWriter constant_memory writing the same layout from memory, ≤ 200 MB"
          " peak;\n   CSV ≤ 2× COPY (the same statement) TO STDOUT WITH CSV"
          " (references: openpyxl write-only bare, the csv module from memory)")
    if not exports.available():
        print(f"  exports not available: {exports.why_not()}")
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        # Untraced runs give the times and maxrss; --traced adds a run of the app's export under
        # tracemalloc for the Python-heap peak (it slows the run down: its time is not used).
        formats = args.export_formats.split(",")
        cases = [(mode, False) for fmt in formats for mode in (fmt, *exports.FLOORS[fmt])]
        for mode, traced in cases + ([("xlsx", True)] if args.traced and "xlsx" in formats else []):
            path = os.path.join(tmp, f"{mode}.{mode.split('_')[0]}")
            out = subprocess.run([sys.executable, "-c", EXPORT_CHILD, mode, path,
                                  "traced" if traced else "-", str(args.export_rows)], capture_output=True,
                                 text=True, env=dict(os.environ), cwd=os.getcwd(), timeout=3600)
            if out.returncode:
                print(f"  {mode}: failed\n{out.stderr[-2000:]}")
                return
            result = json.loads(out.stdout.strip().splitlines()[-1])
            if traced:
                results[mode]["traced_peak_mb"] = result["traced_peak_mb"]
            else:
                results[mode] = result
    for fmt, limit in (("xlsx", 1.2), ("csv", 2.0)):
        if fmt not in results:
            continue
        app = results[fmt]
        floor, reference = (results[mode] for mode in exports.FLOORS[fmt])
        met = app["seconds"] <= limit * floor["seconds"] and (fmt == "csv" or app["maxrss_mb"] <= 200)
        record("exports", f"{fmt} ({app['rows']} rows)", "-", app["seconds"], floor["seconds"], unit="s",
               target=f"≤{limit}×" + (" ≤200MB" if fmt == "xlsx" else ""), met=met,
               maxrss_mb=round(app["maxrss_mb"]), floor_maxrss_mb=round(floor["maxrss_mb"]),
               traced_mb=round(app.get("traced_peak_mb") or 0), size_mb=round(app["size_mb"], 1),
               floor_size_mb=round(floor["size_mb"], 1), read_s=round(reference["read_seconds"], 1),
               reference=exports.FLOORS[fmt][1], reference_s=round(reference["seconds"], 2),
               vs_reference=f"{app['seconds'] / reference['seconds']:.2f}x")
