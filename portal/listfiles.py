"""A list's files (portal.listing): .xlsx / .csv of the rows the page shows, in its order, as
the response or, above portal.exports.SYNC_MAX_ROWS rows, as a background ExportJob."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from itertools import chain
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from portal import exports
from portal.formatting import YUAN, in_unit
from portal.tabular import CSV_TYPE, XLSX_TYPE, Column, ReportWorkbook, csv_lines, export_filename, maker_of

if TYPE_CHECKING:
    from portal.listing import Col, ListJob, ListSpec

CHUNK = 2000
FORMATS = ("xlsx", "csv")
PROGRESS_EVERY = 500


def place_name(user) -> str:
    if getattr(user, "is_portal_admin", False) or user.scope_region is None:
        return ""
    return user.scope_region.name


def _rows(queryset: QuerySet, columns: list[Col]) -> Iterator[list]:
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield [column.value(obj) for column in columns]


def _note(total: int, spec: ListSpec) -> str:
    if total > spec.export_limit:
        return f"共 {total} 条，超过单次导出上限，仅导出前 {spec.export_limit} 条；请缩小筛选范围后分批导出。"
    return f"共 {total} 条"


def _counted(rows: Iterator[list], progress: Callable[[int], None] | None) -> Iterator[list]:
    """`rows`, calling `progress(n)` every PROGRESS_EVERY rows."""
    for index, row in enumerate(rows, start=1):
        yield row
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)


def _csv(ordered: QuerySet, total: int, spec: ListSpec, progress=None, params=None) -> Iterator[str]:
    columns = spec.export_columns
    rows = _counted(_rows(ordered[:spec.export_limit], columns), progress)
    unit = spec.unit(params or {})
    if unit is not YUAN:  # amounts in 万元, as the page shows them
        money = [i for i, c in enumerate(columns) if c.kind == "money"]
        rows = ([in_unit(v, unit) if i in money else v for i, v in enumerate(row)] for row in rows)
    numbered = ([index, *row] for index, row in enumerate(rows, start=1))
    tail = [[_note(total, spec)]] if total > spec.export_limit else []  # a cut file says so on its last line
    labels = [c.label.replace("（元）", f"（{unit.label}）") if c.kind == "money" else c.label for c in columns]
    return csv_lines(["序号", *labels], chain(numbered, tail))


def _xlsx(user, ordered: QuerySet, total: int, spec: ListSpec, title: str, now, target, progress=None,
          params=None) -> int:
    """Write the workbook into `target`; the number of data rows."""
    columns = spec.export_columns
    org = user.office.name if user.office_id else user.get_username()
    book = ReportWorkbook(unit=_note(total, spec), org=org, made_at=now, maker=maker_of(user),
                          money_unit=spec.unit(params or {}))
    sheet = book.sheet(spec.title, title, [Column(c.label, c.kind, c.width) for c in columns])
    for row in _counted(_rows(ordered[:spec.export_limit], columns), progress):
        sheet.add(row)
    sheet.close()
    book.save(target)
    return sheet.count


def export_response(request, spec: ListSpec, fmt: str):
    """The list's rows for the requesting user (`spec.rows` with the request's parameters), in
    the page's order, as .xlsx (XlsxWriter constant_memory, through portal.tabular) or .csv (UTF-8
    with BOM); 404 for a user the list is not for (`spec.check`).

    More than portal.exports.SYNC_MAX_ROWS rows: an ExportJob and a redirect to its
    progress page instead."""
    if fmt not in FORMATS:
        raise Http404("导出格式应为 xlsx 或 csv")
    user = request.user
    spec.check(user)
    ordered = spec.ordered(spec.rows(user, request.GET), request.GET)
    total = ordered.count()
    if total > exports.SYNC_MAX_ROWS:
        return _start_job(request, spec, fmt, total)
    title = spec.file_title(user)
    now = timezone.now()
    name = _filename(spec, user, fmt, now)
    if fmt == "csv":
        lines = _csv(ordered, total, spec, params=request.GET)
        response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type=CSV_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    handle = tempfile.TemporaryFile()
    _xlsx(user, ordered, total, spec, title, now, handle, params=request.GET)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def _write(user, ordered: QuerySet, spec: ListSpec, fmt: str, target, progress=None,
           params=None) -> tuple[str, int]:
    """Write the export of `ordered` into `target` (a background job's file): (file name, data rows)."""
    total = ordered.count()
    title = spec.file_title(user)
    now = timezone.now()
    if fmt == "csv":
        lines = -1  # the header
        for line in _csv(ordered, total, spec, progress=progress, params=params):
            target.write(line.encode("utf-8"))
            lines += 1
        rows = lines - (1 if total > spec.export_limit else 0)  # the note of a cut file
    else:
        rows = _xlsx(user, ordered, total, spec, title, now, target, progress=progress, params=params)
    return _filename(spec, user, fmt, now), rows


def _filename(spec: ListSpec, user, fmt: str, now) -> str:
    """`<title>_<scope>_<date>` (portal.tabular.export_filename); a list with its own
    `export_title` (the inbox: whose messages) keeps it as the title."""
    title = spec.export_title(user) if spec.export_title else spec.title
    return export_filename(title, place_name(user), fmt, now)



# ---------------------------------------------------------------- background exports


def job_params(params, spec: ListSpec) -> dict[str, list[str]]:
    """The query parameters a job keeps: all of them (the list's rows function ignores the ones
    it does not know, as on the page) but the page number."""
    return {key: params.getlist(key) for key in params if key != spec.page_param}


def _start_job(request, spec: ListSpec, fmt: str, total: int):
    from django.contrib import messages

    from portal.errors import TooMany

    try:
        job = exports.create_job(request.user, spec.job_kind, fmt, job_params(request.GET, spec),
                                 total_rows=min(total, spec.export_limit))
    except TooMany as exc:
        messages.error(request, exc.message)
        return redirect(page_url(exports.get_kind(spec.job_kind), job_params(request.GET, spec)))
    messages.info(request, f"数据共 {total} 行，超过 {exports.SYNC_MAX_ROWS} 行，已转为后台生成，"
                           "完成后可在此下载（24小时内有效）。")
    return redirect("portal:export_job", job.pk)


def page_url(entry: ListJob, params) -> str:
    """The list page a job came from (with its filters), for the progress page's back link."""
    try:
        url = reverse(entry.export)
    except NoReverseMatch:  # two lists share a page (batches): the page is next to their exports
        url = reverse(f"{entry.export}_xlsx").rsplit("/", 1)[0] + "/"
    query = urlencode(params or {}, doseq=True)
    return f"{url}?{query}" if query else url
