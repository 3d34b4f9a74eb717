"""The export cases of bench_nation.py, run one per subprocess (peak memory is per process).

app: the 创建项目台账 (subsidies.reports "ledger") of every project (or its first --export-rows
rows), as the administrator would download it (Excel via subsidies.reports.write_xlsx, CSV via csv_rows, as the export
job writes them). floor: the same rows, read into memory first (the report's own query and
row generator; that read is timed apart as read_seconds), written by openpyxl write-only into
one sheet / by the csv module; only the writing is the floor.
"""

from __future__ import annotations

import copy
import csv
import time

REPORT = "ledger"


def why_not() -> str | None:
    try:
        from portal.exports import get_kind
        from subsidies.reports import Report, csv_rows, write_xlsx  # noqa: F401

        if not isinstance(get_kind(REPORT), Report):
            return f"export kind {REPORT!r} is not a subsidies report"
    except Exception as exc:  # the subsidies app is optional for this benchmark
        return f"{type(exc).__name__}: {exc}"
    return None


def available() -> bool:
    return why_not() is None


def _admin():
    from communities.models import User

    return User.objects.select_related("office__region").get(username="admin")


def run(mode: str, path: str, limit: int | None = None) -> dict:
    """One case; `limit` keeps the first rows of the report (the same rows for app and floor)."""
    import itertools

    from portal.exports import get_kind
    from subsidies.reports import csv_rows, write_xlsx

    report, user = get_kind(REPORT), _admin()
    if limit:
        every_row = report.rows
        report = copy.copy(report)
        report.rows = lambda u, p: itertools.islice(every_row(u, p), limit)
    if mode == "xlsx":
        started = time.perf_counter()
        with open(path, "wb") as fh:
            rows = write_xlsx(report, user, {}, fh)
        return {"rows": rows, "seconds": time.perf_counter() - started}
    if mode == "csv":
        started = time.perf_counter()
        rows = -1  # the header line
        with open(path, "wb") as fh:
            for line in csv_rows(report, user, {}):
                fh.write(line.encode("utf-8"))
                rows += 1
        return {"rows": rows, "seconds": time.perf_counter() - started}
    started = time.perf_counter()
    data = [[index, *values] for index, (_, _, values) in enumerate(report.rows(user, {}), start=1)]
    read_seconds = time.perf_counter() - started
    header = ["序号", *(c.header for c in report.columns)]
    started = time.perf_counter()
    if mode == "xlsx_floor":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("rows")
        sheet.append(header)
        for row in data:
            sheet.append(row)
        book.save(path)
    elif mode == "csv_floor":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(data)
    else:
        raise ValueError(mode)
    return {"rows": len(data), "seconds": time.perf_counter() - started, "read_seconds": read_seconds}
