"""A list page (portal.listing): sorted by the whitelisted `sort` parameter, paginated (deep
pages by a deferred join, portal.paging), its header, export and page links keeping the filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import reverse

from portal.formatting import YUAN, Unit
from portal.pagecontrols import PAGE_SIZES, kept, only_selected, page_size
from portal.paging import DeferredRows

if TYPE_CHECKING:
    from portal.listing import ListSpec


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
    page = Paginator(DeferredRows(spec.ordered(queryset, params)), size).get_page(params.get(spec.page_param))
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

