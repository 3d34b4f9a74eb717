"""bench_nation.py part "pages" (issue 19 items 2 and 3): HTML pages through Django's test Client.

1. Scope: a city user's page vs a district user's page of the same kind (the district inside the
   city), p50 each; target city ≤ 2× district. With --explain, EXPLAIN (ANALYZE, BUFFERS) of the
   city page's slowest statement (the scope filter's plan: index use, no sequential scan).
2. Deep pages: page N vs page 1 of the same list for the administrator (HTML project list, the
   list API, the community dossiers); target page N ≤ 2× page 1. With --explain, the deep
   page's slowest statement.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.measure import ADMIN, CITY_USER, Statements, client_for, mogrified, record

DISTRICT_USER = "district_nanhu"  # 南湖区, inside 嘉兴市 (city_jiaxing)
SCOPE_PAGES = [
    ("project list", "/projects/"),
    ("ledger", "/subsidies/"),
    ("summary", "/subsidies/summary/"),
    ("workbench", "/"),
    ("review queue", "/projects/review/"),
    ("overdue board", "/dashboards/overdue/"),
]
DEEP_PAGES = [
    ("projects p5000", "/projects/", {"page": "5000"}),
    ("api p5000", "/api/projects/", {"page": "5000"}),
    ("communities p2000", "/communities/", {"page": "2000"}),
]


def bench_scope_pages(args, raw) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    # DEBUG is off: plain static storage, so the pages render without a collectstatic manifest.
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        _scope(args, raw)
        _deep(args, raw)


def _timed(client, url, data, runs) -> tuple[float, Statements]:
    from django.db import connection

    for _ in range(2):  # warm: caches, connection, the first compile of each template
        response = client.get(url, data)
        assert response.status_code == 200, (url, response.status_code)
    statements = Statements()
    with connection.execute_wrapper(statements):
        client.get(url, data)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, data)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), statements


def _scope(args, raw) -> None:
    print(f"\n== pages: a city user's page ({CITY_USER}) vs a district user's ({DISTRICT_USER}), p50")
    print("   target: city ≤ 2× district (issue 19 item 2)")
    runs = max(3, args.runs)
    city, district = client_for(CITY_USER), client_for(DISTRICT_USER)
    for case, url in SCOPE_PAGES:
        floor, floor_statements = _timed(district, url, {}, runs)
        value, statements = _timed(city, url, {}, runs)
        record("pages", case, "city/district", value, floor, target="≤2× district", met=value <= 2 * floor,
               queries=len(statements.sql), district_queries=len(floor_statements.sql),
               sql_ms=round(sum(statements.seconds) * 1000, 1))
        if args.explain:
            _explain(raw, statements)


def _deep(args, raw) -> None:
    print(f"\n== pages: a deep page vs page 1 of the same list ({ADMIN}), p50")
    print("   target: page N ≤ 2× page 1 (issue 19 item 3)")
    runs = max(3, args.runs)
    admin = client_for(ADMIN)
    for case, url, data in DEEP_PAGES:
        floor, first = _timed(admin, url, {}, runs)
        value, statements = _timed(admin, url, data, runs)
        record("pages", case, ADMIN, value, floor, target="≤2× page 1", met=value <= 2 * floor,
               queries=len(statements.sql), page1_queries=len(first.sql),
               sql_ms=round(sum(statements.seconds) * 1000, 1))
        if args.explain:
            _explain(raw, statements)


def _explain(raw, statements: Statements) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the page's slowest SELECT."""
    ranked = sorted(zip(statements.seconds, statements.sql, strict=True), key=lambda item: -item[0])
    selects = [(sql, params) for _, (sql, params) in ranked if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    if not selects:
        return
    [sql] = mogrified(raw, selects[:1])
    with raw.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    print("    " + " ".join(sql.split())[:300])
    print("    " + "\n    ".join(plan))
