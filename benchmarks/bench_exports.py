"""The export cases of bench_nation.py, run one per subprocess (peak memory is per process).

app: the 创建项目台账 (subsidies.reports "ledger") of every project (or its first --export-rows
rows), as the administrator would download it: the file the export job writes (Report.write:
Excel through portal.tabular, CSV through csv_rows).

Floors (only the writing is timed, except COPY):
- xlsx_floor: XlsxWriter constant_memory writing the same layout (a summary sheet and a sheet per
  district: merged title, unit line, header, 序号, borders, number formats, formula-like text
  as text, 合计, footer, print setup) from the report's rows already in memory (the report's own
  query and row generator; that read is timed apart as read_seconds).
- xlsx_bare: openpyxl write-only writing those rows bare into one sheet (the old floor, a
  second reference).
- csv_floor: PostgreSQL's `COPY (the report's statement) TO STDOUT WITH CSV` into the file
  (psycopg2 copy_expert, the export's work_mem): the query and the text it writes.
- csv_module: the csv module writing the rows from memory (the old floor, a second reference).
"""

from __future__ import annotations

import copy
import csv
import time

REPORT = "ledger"
FLOORS = {"xlsx": ("xlsx_floor", "xlsx_bare"), "csv": ("csv_floor", "csv_module")}


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
    report, user = get_kind(REPORT), _admin()
    if mode == "csv_floor":
        return _copy(report, user, path, limit)
    if limit:
        every_row = report.rows
        report = copy.copy(report)
        report.rows = lambda u, p: itertools.islice(every_row(u, p), limit)
    if mode in ("xlsx", "csv"):  # as the export job writes the file (Report.write)
        started = time.perf_counter()
        with open(path, "wb") as fh:
            _, rows = report.write(user, {}, mode, fh)
        return {"rows": rows, "seconds": time.perf_counter() - started}
    started = time.perf_counter()
    data = list(report.rows(user, {}))
    read_seconds = time.perf_counter() - started
    header = ["序号", *(c.header for c in report.columns)]
    started = time.perf_counter()
    if mode == "xlsx_floor":
        _xlsxwriter_layout(report, data, path)
    elif mode == "xlsx_bare":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("rows")
        sheet.append(header)
        for index, (_, _, values) in enumerate(data, start=1):
            sheet.append([index, *values])
        book.save(path)
    elif mode == "csv_module":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([index, *values] for index, (_, _, values) in enumerate(data, start=1))
    else:
        raise ValueError(mode)
    return {"rows": len(data), "seconds": time.perf_counter() - started, "read_seconds": read_seconds}


def _copy(report, user, path: str, limit: int | None) -> dict:
    """COPY of the report's own statement (subsidies.reports.joined_sums) into the file."""
    from django.db import connection

    from subsidies.reports import export_work_mem, joined_sums

    statement, params, _, _ = joined_sums(*report.query(user, {}))
    if limit:
        statement += f" LIMIT {int(limit)}"
    started = time.perf_counter()
    with export_work_mem(connection), connection.cursor() as cursor, open(path, "wb") as fh:
        sql = cursor.mogrify(statement, params).decode()
        cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH CSV HEADER", fh)
        rows = cursor.rowcount
    return {"rows": rows, "seconds": time.perf_counter() - started, "read_seconds": 0.0}


def _xlsxwriter_layout(report, data: list, path: str) -> None:
    """The app's layout written straight with XlsxWriter: formats built once per column kind,
    widths as declared, one sheet per district then the summary."""
    from itertools import groupby

    import xlsxwriter

    from portal.tabular import FORMATS, FORMULA_PREFIXES

    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                      "strings_to_numbers": False, "strings_to_urls": False})
    border = {"border": 1, "border_color": "#999999"}
    kinds = ["int", *(c.kind for c in report.columns)]
    plain = [book.add_format({**border, **({"num_format": FORMATS[k]} if k in FORMATS else {})}) for k in kinds]
    quoted = book.add_format({**border, "quote_prefix": True})
    bold = book.add_format({**border, "bold": True})
    title_format = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    right = book.add_format({"align": "right", "valign": "vcenter"})
    header_format = book.add_format({**border, "bold": True, "bg_color": "#DDEBF7", "pattern": 1,
                                     "align": "center", "valign": "vcenter"})
    headers = ["序号", *(c.header for c in report.columns)]
    money = [i for i, k in enumerate(kinds) if k == "money"]
    last = len(headers) - 1
    summary = book.add_worksheet("汇总")

    def sheet(name, title, heads):
        ws = book.add_worksheet(name) if name else summary
        ws.freeze_panes(3, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.repeat_rows(0, 2)
        ws.merge_range(0, 0, 0, len(heads) - 1, title, title_format)
        ws.write_string(1, len(heads) - 1, "单位：元", right)
        for col, head in enumerate(heads):
            ws.write_string(2, col, head, header_format)
            ws.set_column(col, col, 14)
        return ws

    def footer(ws, row, width):
        ws.write_string(row + 2, 0, "制表人：管理员")
        ws.write_string(row + 2, max(1, width // 2 - 1), "审核人：")
        ws.write_string(row + 2, width - 1, "负责人：")
        ws.write_string(row + 3, 0, "制表单位：平台")
        ws.write_string(row + 3, width - 2, "制表时间：2026-01-01 00:00")

    totals = []
    for (_, district), rows in groupby(data, key=lambda r: (r[0], r[1])):
        ws = sheet(f"{district}{len(totals)}"[:28], f"{district}未来社区创建项目台账", headers)
        sums = [0] * len(headers)
        row = 3
        for row, (_, _, values) in enumerate(rows, start=3):
            ws.write_number(row, 0, row - 2, plain[0])
            for col, value in enumerate(values, start=1):
                if value is None:
                    ws.write_blank(row, col, None, plain[col])
                elif type(value) is str:
                    ws.write_string(row, col, value, quoted if value.startswith(FORMULA_PREFIXES) else plain[col])
                elif hasattr(value, "year"):
                    ws.write_datetime(row, col, value, plain[col])
                else:
                    ws.write_number(row, col, value, plain[col])
            for col in money:
                sums[col] += values[col - 1] or 0
        row += 1
        ws.write_string(row, 0, "合计", bold)
        for col in range(1, last + 1):
            ws.write_number(row, col, sums[col], bold) if col in money else ws.write_blank(row, col, None, bold)
        ws.autofilter(2, 0, row - 1, last)
        footer(ws, row, last + 1)
        ws._opt_close()
        totals.append((district, row - 3, [sums[c] for c in money]))
    heads = ["区县", "项目数", *(headers[c] for c in money)]
    sheet(None, "未来社区创建项目台账（汇总）", heads)
    for row, (district, count, sums) in enumerate(totals, start=3):
        summary.write_string(row, 0, district, plain[1])
        summary.write_number(row, 1, count, plain[0])
        for col, value in enumerate(sums, start=2):
            summary.write_number(row, col, value, plain[money[0]])
    footer(summary, 3 + len(totals), len(heads))
    book.close()
