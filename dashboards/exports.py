"""A dashboard's tables as .xlsx (one sheet per table) or CSV (UTF-8 with BOM), written
through portal.tabular so the report conventions and the formula-injection guard are the
portal's one implementation."""

import io
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from dashboards.selectors import CITY_NAMES
from dashboards.tables import Board, Percent, Table, plain
from portal.tabular import CSV_TYPE, XLSX_TYPE, Column, ReportWorkbook, csv_lines, export_filename, maker_of

PLACES = (*CITY_NAMES.values(), "富阳区")


def _kind(header: str, values) -> str:
    if header.endswith("年度"):
        return "year"  # a number, but a year, not a quantity: no thousands separator
    for value in values:
        value = plain(value)
        if value is None or value == "":
            continue
        if isinstance(value, Percent):
            return "rate"
        if isinstance(value, bool) or not isinstance(value, int | Decimal | date):
            return "text"
        return "date" if isinstance(value, date) else "int"
    return "text"


def _excel_value(value):
    value = plain(value)
    return Decimal(value) if isinstance(value, Percent) else value


def _title(user, table: Table) -> str:
    """The report title names the user's area: 越城区年度创建计划完成情况表, or for a title that
    already names a place, 嘉兴市未来社区覆盖率统计表（南湖区）."""
    region = user.scope_region if not user.is_portal_admin else None
    if region is None or table.title.startswith(region.name):
        return table.title
    if table.title.startswith(PLACES):
        return f"{table.title}（{region.name}）"
    return f"{region.name}{table.title}"


def _scope(user) -> str:
    region = user.scope_region if not user.is_portal_admin else None
    return region.name if region else ""


def xlsx_response(board: Board, user) -> HttpResponse:
    org = user.office.name if user.office_id else user.get_username()
    book = ReportWorkbook(unit="单位：个", org=org, made_at=timezone.now(), maker=maker_of(user))
    if not board.tables:  # a workbook needs a sheet: say why it is empty
        sheet = book.sheet(board.title, board.title, [Column("说明", width=60)])
        sheet.add([board.empty_message or "暂无数据"])
        sheet.close()
    for table in board.tables:
        columns = []
        for index, header in enumerate(table.columns):
            values = [row[index] for row in table.rows]
            kind = _kind(header, values)
            columns.append(Column(header, kind, width=10 if kind != "text" else 16, total=True))
        sheet = book.sheet(table.title, _title(user, table), columns)
        sheet.totals = [None] * len(columns)  # the 合计 row is the Table's own, not running sums
        for row in table.rows:
            sheet.add([_excel_value(value) for value in row])
        sheet.close([_excel_value(value) for value in table.total] if table.total else [None] * len(columns))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    name = export_filename(board.title, _scope(user), "xlsx")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _csv_value(value):
    value = plain(value)
    return str(value) if isinstance(value, Percent) else value


def csv_response(board: Board, table: Table, user) -> HttpResponse:
    rows = [[index, *map(_csv_value, row)] for index, row in enumerate(table.rows, start=1)]
    if table.total is not None:
        rows.append(["合计", *map(_csv_value, table.total)])
    response = HttpResponse("".join(csv_lines(["序号", *table.columns], rows)).encode("utf-8"),
                            content_type=CSV_TYPE)
    name = export_filename(table.title, _scope(user), "csv")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
