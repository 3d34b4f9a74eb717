"""bench_nation.py part 3: every dashboard page (and the assessment API) through Django's test
Client, uncomputed and cached (dashboards.cache), against the raw SQL of the queries it issues;
then a cached board's throughput: a test-Client loop, and gunicorn under wrk (the deploy's
config, config/deploy/gunicorn.conf.py) when wrk is installed — the assessment API and one
HTML board page (static files collected first, as deployed).

Per board and user: uncached p50 (the cache emptied before each request) vs the raw SQL floor
(the same statements on psycopg2, p50), cached p50, and cached requests/s of one client loop.
"""

from __future__ import annotations

import shutil
import statistics
import time
import urllib.request

from benchmarks.bench_http import deploy_gunicorn, run_wrk
from benchmarks.measure import ADMIN, CITY_USER, Statements, client_for, mogrified, record, time_raw

API = "/api/assessments/?year=2025"
HTML_BOARD = "/dashboards/plan/"  # a cached board page as users open it (header, menu, tabs, body)
BENCH_CACHE = "redis://127.0.0.1:6379/9"  # the gunicorn run's shared cache (a Redis database of its own)


def bench_dashboards(args, raw) -> None:
    try:
        from dashboards.boards import BOARDS
    except ImportError:
        print("\n== dashboards: dashboards not available, skipped")
        return
    print("\n== dashboards: each board page, uncached and cached, vs the raw SQL of the queries it issues")
    print("   target: uncached p50 ≤ 2× raw SQL p50; cached ≥ 1,000 requests/s")
    # DEBUG is off: the pages name their assets from the deploy's manifest storage
    # (portal.static_storage), as deployed: collectstatic writes it first.
    _collectstatic()
    urls = [f"/dashboards/{key}/" for key in BOARDS] + [API]
    _bench_boards(args, raw, urls)
    if not getattr(args, "no_boards_http", False) and shutil.which("wrk"):
        _bench_gunicorn(args, [API, HTML_BOARD])


def _collectstatic() -> None:
    """The deploy's static files and manifest in STATIC_ROOT (git-ignored `staticfiles/`), as
    `collectstatic` in the deployment writes them."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _timed(client, url, runs, before=None) -> list[float]:
    timings = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def _rate(client, url, seconds=2.0, limit=20_000) -> float:
    """Cached requests/s of one client loop in this process (bounded in time and count)."""
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds and count < limit:
        client.get(url)
        count += 1
    return count / (time.perf_counter() - started)


def _read_rate(user, key, seconds=1.0, limit=50_000) -> float:
    """dashboards.cache.board() calls/s once cached: what a cached board adds to a request."""
    from django.utils import timezone

    from dashboards import cache as boards_cache

    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds and count < limit:
        boards_cache.board(key, user, {}, timezone.localdate())
        count += 1
    return count / (time.perf_counter() - started)


def _bench_boards(args, raw, urls) -> None:
    from django.core.cache import cache
    from django.db import connection

    from communities.models import User

    runs = max(3, args.runs // 3)
    for username in (CITY_USER, ADMIN):
        client = client_for(username)
        user = User.objects.select_related("office__region").get(username=username)
        client.get("/dashboards/")
        if username == CITY_USER:  # what this machine's client loop gives for one SELECT 1 and no page
            record("boards-cached", "/healthz (calibration)", "-", _rate(client, "/healthz"), unit="rq/s")
        chrome = _rate(client, "/dashboards/")  # the board index, cached: every page's own cost (session, menu)
        record("boards-cached", "index (page chrome)", username, chrome, unit="rq/s")
        for url in urls:
            case = url.split("/")[2] if url.startswith("/dashboards/") else "api:assessments"
            cache.clear()
            if client.get(url).status_code != 200:
                print(f"  {case:<24} {username:<13} not shown to this user")
                continue
            cache.clear()
            statements = Statements()
            with connection.execute_wrapper(statements):
                size = len(client.get(url).content)
            selects = [(s, p) for s, p in statements.sql if s.lstrip().upper().startswith(("SELECT", "WITH"))]
            uncached = _timed(client, url, runs, before=cache.clear)
            floor = time_raw(raw, mogrified(raw, selects), runs)
            cached = _timed(client, url, max(runs, 20))
            cached_statements = Statements()
            with connection.execute_wrapper(cached_statements):
                client.get(url)
            rate = _rate(client, url)
            extra = {"read_rps": round(_read_rate(user, case))} if case != "api:assessments" else {}
            p50, floor50 = statistics.median(uncached), statistics.median(floor)
            record("dashboards", case, username, p50, floor50, target="≤2×", met=p50 <= 2 * floor50,
                   queries=len(statements.sql), kb=round(size / 1024))
            record("boards-cached", case, username, statistics.median(cached), unit="ms",
                   queries=len(cached_statements.sql), rps=round(rate), **extra,
                   target="≥1000 rq/s (client loop)", met=rate >= 1000)


def _bench_gunicorn(args, urls) -> None:
    """A cached board through gunicorn with the deploy's config (gthread, 2×CPU+1 workers × 4
    threads), the cache in Redis (CACHE_URL, as deployed), wrk on loopback with a session cookie."""
    from django.conf import settings
    from django.test import Client

    from communities.models import User

    print("\n== cached boards through gunicorn (config/deploy/gunicorn.conf.py, CACHE_URL=redis db 9) under wrk")
    client = Client()
    client.force_login(User.objects.get(username=ADMIN))  # a session row in the benchmark's database
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    with deploy_gunicorn(CACHE_URL=BENCH_CACHE, LOG_LEVEL="WARNING", DEBUG="false") as (base, _):
        rate, p50, p95, errors = _wrk(base + "/healthz", "", args.http_seconds)
        record("boards-http", "/healthz (calibration)", "-", rate, unit="rq/s", p50_ms=round(p50, 1),
               p95_ms=round(p95, 1), errors=errors)
        for url in urls:
            request = urllib.request.Request(base + url, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=60) as response:  # signed in, not sent to log in
                assert response.status == 200 and response.url == base + url, response.url
            _wrk(base + url, cookie, 2)  # every worker computes once, then reads the shared cache
            rate, p50, p95, errors = _wrk(base + url, cookie, args.http_seconds)
            record("boards-http", url, ADMIN, rate, unit="rq/s", target="≥1000 rq/s", met=rate >= 1000,
                   p50_ms=round(p50, 1), p95_ms=round(p95, 1), errors=errors)


def _wrk(url, cookie, seconds, connections=8) -> tuple[float, float, float, int]:
    rate, p50, p95, _p99, errors, _requests = run_wrk(url, None, seconds, connections,
                                                      header=f"Cookie: {cookie}" if cookie else "")
    return rate, p50, p95, errors
