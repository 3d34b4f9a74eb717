"""bench_nation.py part 1: the list API through Django's test Client, against the raw SQL of the
queries it issues (part 3, the dashboards, is bench_boards.py)."""

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
    print("   target: p95 ≤ 5× raw SQL p95 (same page + count), constant query count (page 2 = page 1)")
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
            project_sql = [(s, p) for s, p in statements.sql if _reads_the_list(s)]
            timings = []
            for _ in range(args.runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            # Every statement on the projects table: COUNT, and the page itself, which since the
            # deferred join (portal.paging) is two statements (its keys, then its rows); and a name
            # search's one read of the matching communities (projects.api.ProjectFilter.filter_text).
            floor_sql = mogrified(raw, project_sql)
            floor = time_raw(raw, floor_sql, args.runs)
            p95, floor95 = percentile(timings, 95), percentile(floor, 95)
            if total > 50:  # a second page: does the count of statements grow with the rows?
                later = Statements()
                with connection.execute_wrapper(later):
                    client.get(url + "&page=2")
                counts.add((case, len(statements.sql), len(later.sql)))
            record("list", case, username, p95, floor95, target="≤5×", met=p95 <= 5 * floor95,
                   p50=round(statistics.median(timings), 1), floor_p50=round(statistics.median(floor), 1),
                   queries=len(statements.sql), rows=total)
            if args.explain:
                explain(raw, floor_sql)
        grows = [case for case, first, second in counts if first != second]
        print(f"  queries per request for {username}, page 1 and page 2 of each case: "
              f"{', '.join(f'{case} {first}/{second}' for case, first, second in sorted(counts))} "
              f"({'constant' if not grows else 'NOT constant: ' + ', '.join(grows)})")


def _reads_the_list(sql: str) -> bool:
    return '"projects_creationproject"' in sql or ('"communities_community"' in sql and " LIKE " in sql)


def explain(raw, sqls) -> None:
    with raw.cursor() as cursor:
        for sql in sqls:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))
