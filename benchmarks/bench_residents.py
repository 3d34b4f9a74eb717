"""bench_nation.py part "residents": issue #18's load (500 residents answer a QR survey within a
minute while staff page the list API), run by benchmarks/run_residents_load.py in its own
throw-away database with the deploy's gunicorn settings; the floor is the staff's idle p95."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks.measure import record


def bench_residents(args) -> None:
    print("\n== residents: 500 answers to one survey within a minute while 2 staff page GET /api/projects/")
    print("   targets: staff p95 under load ≤ 2× idle; 0 answers lost, 0 duplicates")
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    out = subprocess.run([sys.executable, "-m", "benchmarks.run_residents_load", "--pg", args.pg],
                         capture_output=True, text=True, env=env, timeout=900)
    if out.returncode:
        print(f"  failed:\n{out.stderr[-2000:]}")
        return
    result = json.loads(out.stdout[out.stdout.index("{"):])
    ratio_met = result["staff_p95_load_ms"] <= 2 * result["staff_p95_idle_ms"]
    record("residents", "staff p95 under load", "city", result["staff_p95_load_ms"], result["staff_p95_idle_ms"],
           target="≤2× idle", met=ratio_met, gunicorn=result["gunicorn"],
           staff_requests=result["staff_requests_load"], answer_p95_ms=result["answer_p95_ms"])
    # lost: accepted but not in the database; refused: the phone saw an error (both count as #18's "lost")
    lost, refused = result["accepted_but_missing"], result["answers_refused"]
    met = lost == 0 and refused == 0 and result["duplicate_devices"] == 0
    record("residents", "answers stored", "-", result["answers_in_database"], unit="answers",
           target="0 lost, 0 refused, 0 duplicates", met=met,
           posted=result["answers_posted"], refused=refused, lost=lost, duplicates=result["duplicate_devices"])
