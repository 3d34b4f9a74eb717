"""List pages: sortable, paginated, filterable and exportable (.xlsx / .csv) within scope.

A page declares its columns once (`ListSpec`). The view builds ONE scoped, filtered
queryset (`Model.objects.visible_to(user)` + `Filtering`) and hands it either to
`sorted_page` (the HTML page) or to `export_response` (the file), so an export holds
exactly the rows the user's filters show — every page of them, in the same order — and
never anything outside the user's data scope. Sort keys come only from the spec: any
other `sort` value means the default order (never an error).

Templates: `listing/_head.html` (sortable column headers), `listing/_exports.html`
(export links) and `listing/_pages.html` (pagination), all fed by the `Listing` that
`sorted_page` returns. Exports are written by portal.tabular (write-only workbook,
formula-like text kept as text, CSV with BOM) and capped at `ListSpec.export_limit` rows,
the file saying so in Chinese when it is cut.

Large exports follow the rule of the subsidy reports (portal.exports): up to `SYNC_MAX_ROWS`
rows the file is the response; above it an `ExportJob` (kind `ListSpec.job_kind`, the request's
query parameters saved) is started and the user is sent to its progress page. The worker
(`portal.exports.run_job` → `ListJob.write` → `write_job`) replays the list's own view for the
requester with the saved parameters, so the file holds the very rows the page shows — scoped to
the requester *at run time*, with the page's filters and order, bogus parameters ignored as on
the page — and the view's own permission checks run again (the log viewers' administrator check
included).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import reduce
from itertools import chain
from operator import or_
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from portal import exports
from portal.errors import InvalidInput
from portal.tabular import CSV_TYPE, XLSX_TYPE, Column, ReportWorkbook, csv_lines

PER_PAGE = 50
EXPORT_LIMIT = 100_000
CHUNK = 2000
FORMATS = ("xlsx", "csv")
PROGRESS_EVERY = 500


def attr(path: str) -> Callable:
    """A getter for a dotted attribute path ("street.parent.name"); None if a link is missing.
    A last name starting with get_ is called ("get_status_display")."""
    names = path.split(".")

    def get(obj):
        for name in names:
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj() if names[-1].startswith("get_") else obj  # get_status_display and the like

    return get


def seconds(path: str) -> Callable:
    """A getter for a datetime as local "YYYY-MM-DD HH:MM:SS" text (audit logs need the seconds,
    which the spreadsheets' date-time format would hide)."""
    get = attr(path)

    def text(obj):
        value = get(obj)
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else None

    return text


@dataclass(frozen=True)
class Col:
    """One column: its header, how an export reads it, and (if sortable) its sort key.

    `key` is the value of the `sort` parameter (`key` ascending, `-key` descending);
    `order` the ORM fields it sorts by (default: `key` itself). `value` None means a
    page-only column (buttons); `page` False an export-only column.
    """

    label: str
    value: Callable | None = None
    key: str = ""
    order: tuple[str, ...] = ()
    kind: str = "text"  # portal.tabular.Column kinds: text | int | money | date | datetime | rate
    width: int = 14
    page: bool = True

    def ordering(self, descending: bool) -> list[str]:
        fields = self.order or (self.key,)
        if not descending:
            return list(fields)
        return [f[1:] if f.startswith("-") else f"-{f}" for f in fields]


@dataclass(frozen=True)
class ListSpec:
    """A list page: its columns, default sort and where its exports live.

    `export` is the URL name stem of the exports (`<export>_xlsx`, `<export>_csv`);
    `prefix` prefixes the `sort` and `page` parameters when two lists share a page.
    Who may see a list (and so export it) is the view's own check, which a background
    export runs again (write_job replays the view).
    """

    title: str
    columns: tuple[Col, ...]
    default: str
    export: str = ""
    prefix: str = ""
    tiebreak: str = "-pk"
    per_page: int = PER_PAGE
    export_limit: int = EXPORT_LIMIT

    def __post_init__(self):
        if self.sort_key(self.default) is None:
            raise ValueError(f"default sort {self.default!r} is not a column key of {self.title}")
        if self.export:
            _register(self)

    @property
    def job_kind(self) -> str:
        """The ExportJob kind of this list's background exports: the export name without
        its URL namespace ("projects:review_queue" → "review_queue")."""
        return self.export.rsplit(":", 1)[-1]

    @property
    def sort_param(self) -> str:
        return f"{self.prefix}sort"

    @property
    def page_param(self) -> str:
        return f"{self.prefix}page"

    def sort_key(self, value) -> tuple[Col, bool] | None:
        """(column, descending) for a whitelisted sort value, else None."""
        if not isinstance(value, str):
            return None
        descending = value.startswith("-")
        key = value[1:] if descending else value
        column = next((c for c in self.columns if c.key and c.key == key), None)
        return (column, descending) if column else None

    def sort_value(self, params) -> str:
        value = params.get(self.sort_param, "")
        return value if self.sort_key(value) else self.default

    def ordered(self, queryset: QuerySet, params) -> QuerySet:
        column, descending = self.sort_key(self.sort_value(params))
        return queryset.order_by(*column.ordering(descending), self.tiebreak)

    @property
    def export_columns(self) -> list[Col]:
        return [c for c in self.columns if c.value is not None]


@dataclass(frozen=True)
class ListJob:
    """A list whose exports may run as background jobs, as a kind of portal.exports."""

    key: str
    export: str
    title: str
    startable = False

    @property
    def owner(self) -> str:
        return self.export

    def clean(self, data) -> dict:
        return dict(data)

    def count(self, user, params: dict) -> int:  # pragma: no cover - lists start jobs from the page
        raise NotImplementedError

    def write(self, user, params: dict, file_format: str, target, progress=None) -> tuple[str, int]:
        return write_job(self.key, user, params, file_format, target, progress=progress)

    def back_link(self, params: dict) -> tuple[str, str]:
        return page_url(self, params), f"返回{self.title}"


def _register(spec: ListSpec) -> None:
    """Each exportable ListSpec registers its job kind (a spec rebuilt with
    dataclasses.replace registers the same entry again)."""
    exports.register(ListJob(spec.job_kind, spec.export, spec.title))


def list_job(kind: str) -> ListJob | None:
    try:
        entry = exports.get_kind(kind)
    except InvalidInput:
        return None
    return entry if isinstance(entry, ListJob) else None


# ---------------------------------------------------------------- filters


class Filtering:
    """The common filters of a list page, chained; `active` is what the form shows again.

    Values that do not parse (a bad date, an unknown choice) are ignored, never an error.
    """

    def __init__(self, queryset: QuerySet, params):
        self.queryset, self.params, self.active = queryset, params, {}

    def _value(self, name) -> str:
        value = self.params.get(name, "")
        return value.strip()[:100] if isinstance(value, str) else ""

    def where(self, name: str, condition: Callable[[str], Q]) -> Filtering:
        """Any non-empty value: `condition(value)`."""
        value = self._value(name)
        if value:
            self.active[name] = value
            self.queryset = self.queryset.filter(condition(value))
        return self

    def text(self, name: str, *fields: str) -> Filtering:
        """Keyword: any of `fields` contains it."""
        return self.where(name, lambda value: reduce(or_, (Q(**{f"{f}__icontains": value}) for f in fields)))

    def exact(self, name: str, lookup: str, allowed=None) -> Filtering:
        value = self._value(name)
        if value and (allowed is None or value in allowed):
            self.active[name] = value
            self.queryset = self.queryset.filter(**{lookup: value})
        return self

    def choice(self, name: str, options: dict[str, Q]) -> Filtering:
        """A named condition: `options[value]` when the parameter is one of its keys."""
        value = self._value(name)
        if value in options:
            self.active[name] = value
            self.queryset = self.queryset.filter(options[value])
        return self

    def dates(self, lookup: str, start: str = "start", end: str = "end") -> Filtering:
        """A date range (inclusive) on `lookup` (a DateField, or "<datetime field>__date")."""
        for name, operator in ((start, "gte"), (end, "lte")):
            try:
                day = dt.date.fromisoformat(self._value(name))
            except ValueError:
                continue
            self.active[name] = day.isoformat()
            self.queryset = self.queryset.filter(**{f"{lookup}__{operator}": day})
        return self

    def year(self, name: str, lookup: str) -> Filtering:
        value = self._value(name)
        if value.isdigit() and 1900 <= int(value) <= 2100:
            self.active[name] = value
            self.queryset = self.queryset.filter(**{f"{lookup}__year": int(value)})
        return self


# ---------------------------------------------------------------- the page


@dataclass
class Listing:
    """What the templates need: the page, its headers and the export and page links."""

    spec: ListSpec
    page: Page
    sort: str
    headers: list[dict] = field(default_factory=list)
    xlsx_url: str = ""
    csv_url: str = ""
    previous_url: str = ""
    next_url: str = ""


def _query(params, **changes) -> str:
    """The current query string with `changes` (None removes a parameter)."""
    data = {k: params.getlist(k) for k in params} if hasattr(params, "getlist") else dict(params)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = [value]
    return urlencode(data, doseq=True)


def sorted_page(request, queryset: QuerySet, spec: ListSpec) -> Listing:
    """Sort by the (whitelisted) `sort` parameter and paginate; links keep the filters."""
    params = request.GET
    sort = spec.sort_value(params)
    page = Paginator(spec.ordered(queryset, params), spec.per_page).get_page(params.get(spec.page_param))
    listing = Listing(spec=spec, page=page, sort=sort)
    for column in spec.columns:
        if not column.page:
            continue
        header = {"label": column.label, "url": "", "arrow": "", "numeric": column.kind in ("int", "money")}
        if column.key:
            header["url"] = "?" + _query(params, **{spec.page_param: None,
                                                    spec.sort_param: f"-{column.key}" if sort == column.key
                                                    else column.key})
            header["arrow"] = {column.key: "▲", f"-{column.key}": "▼"}.get(sort, "")
        listing.headers.append(header)
    if spec.export:
        query = _query(params, **{spec.page_param: None})
        query = f"?{query}" if query else ""
        listing.xlsx_url = reverse(spec.export + "_xlsx") + query
        listing.csv_url = reverse(spec.export + "_csv") + query
    if page.has_previous():
        listing.previous_url = "?" + _query(params, **{spec.page_param: str(page.previous_page_number())})
    if page.has_next():
        listing.next_url = "?" + _query(params, **{spec.page_param: str(page.next_page_number())})
    return listing


# ---------------------------------------------------------------- the file


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


def _csv(ordered: QuerySet, total: int, spec: ListSpec, progress=None) -> Iterator[str]:
    columns = spec.export_columns
    rows = _counted(_rows(ordered[:spec.export_limit], columns), progress)
    numbered = ([index, *row] for index, row in enumerate(rows, start=1))
    tail = [[_note(total, spec)]] if total > spec.export_limit else []  # a cut file says so on its last line
    return csv_lines(["序号", *(c.label for c in columns)], chain(numbered, tail))


def _xlsx(user, ordered: QuerySet, total: int, spec: ListSpec, title: str, now, target, progress=None) -> int:
    """Write the workbook into `target`; the number of data rows."""
    columns = spec.export_columns
    org = user.office.name if user.office_id else user.get_username()
    book = ReportWorkbook(unit=_note(total, spec), org=org, made_at=now)
    sheet = book.sheet(spec.title, title, [Column(c.label, c.kind, c.width) for c in columns])
    for row in _counted(_rows(ordered[:spec.export_limit], columns), progress):
        sheet.add(row)
    sheet.close()
    book.save(target)
    return sheet.count


def export_response(request, queryset: QuerySet, spec: ListSpec, fmt: str, title: str | None = None):
    """The rows of `queryset` (already scoped and filtered by the view), in the page's order,
    as .xlsx (openpyxl write-only, through portal.tabular) or .csv (UTF-8 with BOM).

    More than portal.exports.SYNC_MAX_ROWS rows: an ExportJob and a redirect to its
    progress page instead. Inside a job (`write_job` replaying the view) the file is written
    into the job's file and the `JobFile` returned."""
    if fmt not in FORMATS:
        raise Http404("导出格式应为 xlsx 或 csv")
    user = request.user
    title = title or f"{place_name(user)}{spec.title}"
    ordered = spec.ordered(queryset, request.GET)
    job_file = getattr(request, "list_export_job", None)
    if job_file is not None:
        return job_file.write(user, ordered, spec, fmt, title)
    total = ordered.count()
    if spec.export and total > exports.SYNC_MAX_ROWS:
        return _start_job(request, spec, fmt, total)
    now = timezone.now()
    name = _filename(title, fmt, now)
    if fmt == "csv":
        lines = _csv(ordered, total, spec)
        response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type=CSV_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    handle = tempfile.TemporaryFile()
    _xlsx(user, ordered, total, spec, title, now, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def _filename(title: str, fmt: str, now) -> str:
    return f"{title}-{timezone.localtime(now):%Y%m%d%H%M}.{fmt}"


# ---------------------------------------------------------------- background exports


def job_params(params, spec: ListSpec) -> dict[str, list[str]]:
    """The query parameters a job replays: all of them (each list's view ignores the ones it
    does not know, as on the page) but the page number."""
    return {key: params.getlist(key) for key in params if key != spec.page_param}


def _start_job(request, spec: ListSpec, fmt: str, total: int):
    from django.contrib import messages


    job = exports.create_job(request.user, spec.job_kind, fmt, job_params(request.GET, spec),
                             total_rows=min(total, spec.export_limit))
    messages.info(request, f"数据共 {total} 行，超过 {exports.SYNC_MAX_ROWS} 行，已转为后台生成，"
                           "完成后可在此下载（24小时内有效）。")
    return redirect("portal:export_job", job.pk)


class JobFile:
    """Where `export_response` writes when a background job replays a list's view."""

    def __init__(self, entry: ListJob, target, progress=None):
        self.entry, self.target, self.progress = entry, target, progress
        self.name, self.rows = "", 0

    def write(self, user, ordered: QuerySet, spec: ListSpec, fmt: str, title: str) -> JobFile:
        if spec.export != self.entry.export:
            raise RuntimeError(f"列表 {self.entry.export} 的视图导出了 {spec.export}")
        total = ordered.count()
        now = timezone.now()
        self.name = _filename(title, fmt, now)
        if fmt == "csv":
            lines = -1  # the header
            for line in _csv(ordered, total, spec, progress=self.progress):
                self.target.write(line.encode("utf-8"))
                lines += 1
            self.rows = lines - (1 if total > spec.export_limit else 0)  # the note of a cut file
        else:
            self.rows = _xlsx(user, ordered, total, spec, title, now, self.target, progress=self.progress)
        return self


def page_url(entry: ListJob, params) -> str:
    """The list page a job came from (with its filters), for the progress page's back link."""
    try:
        url = reverse(entry.export)
    except NoReverseMatch:  # two lists share a page (batches): the page is next to their exports
        url = reverse(f"{entry.export}_xlsx").rsplit("/", 1)[0] + "/"
    query = urlencode(params or {}, doseq=True)
    return f"{url}?{query}" if query else url


def write_job(kind: str, user, params: dict, fmt: str, target, progress=None) -> tuple[str, int]:
    """Write the export of list `kind` into `target` for `user`, as of now: the list's own view
    is called with the saved `params` and the user, so its scope, filters, sort and
    permission checks all apply again. (file name, data rows); PermissionDenied if the user
    may no longer export it (deactivated, no longer an administrator, view answers 404/403)."""
    entry = list_job(kind)
    if entry is None or fmt not in FORMATS:
        raise ValueError(f"未知列表导出“{kind}”")
    if not user.is_active:
        raise PermissionDenied("账号已停用，不能导出")
    url = reverse(f"{entry.export}_{fmt}")
    match = resolve(url)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = url
    request.META = {"REQUEST_METHOD": "GET", "SERVER_NAME": "export-job", "SERVER_PORT": "80"}
    query = QueryDict(mutable=True)
    for key, values in (params or {}).items():
        query.setlist(key, [str(v) for v in (values if isinstance(values, list) else [values])])
    query._mutable = False
    request.GET = query
    request.user = user
    request.list_export_job = job_file = JobFile(entry, target, progress)
    try:
        result = match.func(request, *match.args, **match.kwargs)
    except (Http404, PermissionDenied):
        raise PermissionDenied("无权导出该列表，您的权限已变更") from None
    if result is not job_file:
        raise PermissionDenied("无权导出该列表，您的权限已变更")
    return job_file.name, job_file.rows
