"""List pages: sortable, paginated, filterable and exportable (.xlsx / .csv) within scope.

A page declares its columns once (`ListSpec`) and, next to them, its rows: ONE function
`rows(user, params) -> QuerySet` (`Model.objects.visible_to(user)` + `Filtering` by `params`,
a QueryDict or a job's saved dict of lists) and, when the list is not for everyone who can
log in, `can_export(user) -> (allowed, reason)` (the logs: administrators only; the page
checks it too). The page's view (handing the rows to `sorted_page`), the direct export
(`export_response`) and the background job (`ListJob.write`) all call that same function, so an export holds exactly the
rows the user's filters show — every page of them, in the same order — and never anything
outside the user's data scope. Sort keys come only from the spec: any other `sort` value
means the default order (never an error).

Templates: `listing/_head.html` (序号, sortable column headers, optional select-all and 操作
columns), `listing/_exports.html` (export links), `listing/_pages.html` (pagination, page size
10/20/50/100 and page jump), `listing/_unit.html` (元 / 万元 of a `money` list) and
`listing/_regions.html` (the 区县 → 街道 filter of communities.regions), all fed by the
`Listing` that `sorted_page` returns. A list with `totals` shows a 合计 row computed over the
whole filtered set by one aggregate query (portal.pagecontrols); `?ids=` narrows the page and
its exports to the selected rows (export of the selection). Exports are written by portal.tabular (streamed workbook,
formula-like text kept as text, CSV with BOM) and capped at `ListSpec.export_limit` rows,
the file saying so in Chinese when it is cut.

Large exports follow the rule of the subsidy reports (portal.exports): up to `SYNC_MAX_ROWS`
rows the file is the response; above it an `ExportJob` (kind `ListSpec.job_kind`, the request's
query parameters saved) is started and the user is sent to its progress page. Every exportable
list is an export kind (`ListJob`): the worker (`portal.exports.run_job` → `ListJob.write`)
checks again that the requester is active and passes `can_export`, then calls the list's `rows`
for the requester *as of run time* with the saved parameters and writes them in the page's
order — no request, view or middleware involved; bogus parameters are ignored as on the page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from portal import exports
from portal.filters import query_params
from portal.formatting import YUAN, Unit, in_unit, unit_of
from portal.pagecontrols import PAGE_SIZES, kept, only_selected, page_size
from portal.tabular import CSV_TYPE, XLSX_TYPE, Column, ReportWorkbook, csv_lines, export_filename, maker_of

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
    An exportable list gives its `rows(user, params) -> QuerySet` (the user's rows, filtered),
    which the page, the direct export and the background job all call; `can_export(user) ->
    (allowed, reason)`, if given, says who may see and export it (checked again when a job
    runs); `export_title(user)` names the file (default: the user's place and the title).
    """

    title: str
    columns: tuple[Col, ...]
    default: str
    export: str = ""
    prefix: str = ""
    tiebreak: str = "-pk"
    per_page: int = PER_PAGE
    export_limit: int = EXPORT_LIMIT
    rows: Callable[..., QuerySet] | None = None
    can_export: Callable[..., tuple[bool, str]] | None = None
    export_title: Callable[..., str] | None = None
    # 合计 over the whole filtered set: one aggregate query, {column key: value} (amounts in 元)
    totals: Callable[[QuerySet], dict] | None = None
    money: bool = False  # amounts listed: the page and its exports offer 元 / 万元 (`?unit=wan`)

    def __post_init__(self):
        if self.sort_key(self.default) is None:
            raise ValueError(f"default sort {self.default!r} is not a column key of {self.title}")
        if self.export:
            if self.rows is None:
                raise ValueError(f"exportable list {self.title} declares no rows(user, params)")
            _register(self)

    def allows(self, user) -> tuple[bool, str]:
        """(allowed, reason): may `user` see and export this list, as of now."""
        if not user.is_active:
            return False, "账号已停用，不能导出"
        return self.can_export(user) if self.can_export else (True, "")

    def check(self, user) -> None:
        """The page's and the direct export's check: a list the user may not see does not exist."""
        if not self.allows(user)[0]:
            raise Http404("页面不存在")

    def file_title(self, user) -> str:
        return self.export_title(user) if self.export_title else f"{place_name(user)}{self.title}"

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

    @property
    def size_param(self) -> str:
        return f"{self.prefix}size"

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
        """The rows in the page's order; only the selected ones when `ids` are given."""
        column, descending = self.sort_key(self.sort_value(params))
        return only_selected(queryset, params).order_by(*column.ordering(descending), self.tiebreak)

    def unit(self, params) -> Unit:
        return unit_of(params) if self.money else YUAN

    @property
    def export_columns(self) -> list[Col]:
        return [c for c in self.columns if c.value is not None]


@dataclass(frozen=True)
class ListJob:
    """An exportable list as a kind of portal.exports: its background jobs (and anyone
    calling `write`) get the list's own rows for the user, with no request involved."""

    spec: ListSpec
    startable = False

    @property
    def key(self) -> str:
        return self.spec.job_kind

    @property
    def export(self) -> str:
        return self.spec.export

    @property
    def owner(self) -> str:
        return self.spec.export

    @property
    def title(self) -> str:
        return self.spec.title

    def clean(self, data) -> dict:
        return dict(data)

    def ordered_rows(self, user, params) -> QuerySet:
        """The list's rows for `user` as of now, filtered by `params` and in the page's order;
        PermissionDenied (with the reason) if the user may no longer export the list."""
        allowed, reason = self.spec.allows(user)
        if not allowed:
            raise PermissionDenied(f"无导出权限：{reason}")
        params = query_params(params)
        return self.spec.ordered(self.spec.rows(user, params), params)

    def count(self, user, params: dict) -> int:
        return self.ordered_rows(user, params).count()

    def write(self, user, params: dict, file_format: str, target, progress=None) -> tuple[str, int]:
        """Write the export into `target`: (file name, data rows)."""
        if file_format not in FORMATS:
            raise ValueError(f"导出格式应为 xlsx 或 csv，不是“{file_format}”")
        return _write(user, self.ordered_rows(user, params), self.spec, file_format, target, progress,
                      params=query_params(params))

    def back_link(self, params: dict) -> tuple[str, str]:
        return page_url(self, params), f"返回{self.title}"


def _register(spec: ListSpec) -> None:
    """Each exportable ListSpec registers its job kind (a spec rebuilt with
    dataclasses.replace registers the rebuilt one under the same key)."""
    exports.register(ListJob(spec))


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
    sizes: tuple[int, ...] = PAGE_SIZES
    keep: list[tuple[str, str]] = field(default_factory=list)  # hidden inputs of the jump/size form
    totals: dict | None = None
    unit: Unit = YUAN
    unit_urls: dict[str, str] = field(default_factory=dict)  # 元 / 万元 switch

    @property
    def offset(self) -> int:
        """序号 of the page's first row, minus one (numbers run on across pages)."""
        return self.page.start_index() - 1 if self.page.paginator.count else 0


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
    size = page_size(params, spec.size_param, spec.per_page)
    page = Paginator(spec.ordered(queryset, params), size).get_page(params.get(spec.page_param))
    listing = Listing(spec=spec, page=page, sort=sort, keep=kept(params, spec.page_param, spec.size_param),
                      unit=spec.unit(params))
    if spec.totals:
        listing.totals = spec.totals(only_selected(queryset, params))
    if spec.money:
        listing.unit_urls = {label: "?" + _query(params, unit=value)
                             for label, value in (("元", None), ("万元", "wan"))}
    for column in spec.columns:
        if not column.page:
            continue
        label = column.label.replace("（元）", f"（{listing.unit.label}）") if column.kind == "money" else column.label
        header = {"label": label, "url": "", "arrow": "", "numeric": column.kind in ("int", "money")}
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
