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

Modules: this one declares lists (`Col`, `ListSpec`, `ListJob`); portal.listpage renders a page
(`sorted_page`, reading deep pages by a deferred join, portal.paging); portal.listfiles writes
the files and starts the background exports. Their public names are importable from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from portal import exports
from portal.filters import query_params
from portal.formatting import YUAN, Unit, unit_of
from portal.listfiles import FORMATS, _write, export_response, job_params, page_url, place_name
from portal.listpage import Listing, sorted_page
from portal.pagecontrols import only_selected

__all__ = ["Col", "ListJob", "ListSpec", "Listing", "attr", "export_response", "job_params", "page_url",
           "place_name", "seconds", "sorted_page"]

PER_PAGE = 50
EXPORT_LIMIT = 100_000


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

