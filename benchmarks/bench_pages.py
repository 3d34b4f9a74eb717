"""bench_nation.py parts 1 and 3: the list API and the dashboard pages through Django's test
Client, each against the raw SQL of the queries it issues."""

from __future__ import annotations

import statistics
import time
import urllib.parse

from benchmarks.measure import ADMIN, CITY_USER, Statements, client_for, mogrified, percentile, record, time_raw

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
