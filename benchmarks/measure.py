"""What every part of bench_nation.py measures with: percentiles, the statements Django sends,
raw-SQL floors on psycopg2, logged-in clients, and the results table the summary prints."""

from __future__ import annotations

import os
import time

CITY_USER, ADMIN = "city_jiaxing", "admin"
RESULTS: list[dict] = []


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


class Statements:
    """Counts (and keeps, with their durations) the statements Django sends, via
    connection.execute_wrapper."""

    def __init__(self):
        self.sent: list[tuple[str, object]] = []
        self.seconds: list[float] = []

    @property
    def sql(self) -> list[tuple[str, object]]:
        """(SQL, parameters) of each statement; a prepared one (portal.prepared) as the SQL it
        stands for, so that a floor sends it plain (read after the statements ran: a statement's
        name is known once the server took it)."""
        from portal.prepared import statement_of

        return [(statement_of(sql), params) for sql, params in self.sent]

    def __call__(self, execute, sql, params, many, context):
        self.sent.append((sql, params))
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
    from django.conf import settings

    # The floors plan with the application's own start-up options (random_page_cost, issue #19).
    options = settings.DATABASES["default"].get("OPTIONS", {}).get("options")
    conn = psycopg2.connect(os.environ["DATABASE_URL"], **({"options": options} if options else {}))
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

