"""The controls every list page has beside its rows (portal.listing): the page size
(10/20/50/100), the page jump, 序号 numbering across pages, the selection of rows by id
(export of the selection), the 元/万元 unit of money lists and the 合计 over the whole
filtered set (one aggregate query, not the sum of the page)."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.validators import ascii_int

PAGE_SIZES = (10, 20, 50, 100)
IDS_PARAM = "ids"
MAX_SELECTED = 1000


def page_size(params, name: str, default: int) -> int:
    """The page size asked for, if it is one of PAGE_SIZES; else the list's default."""
    value = params.get(name, "")
    number = ascii_int(value)
    return number if number in PAGE_SIZES else default


def selected_ids(params) -> list[int]:
    """The row ids of a selection (`?ids=1&ids=2`); anything not a plain positive number is
    ignored, and at most MAX_SELECTED are kept."""
    values = params.getlist(IDS_PARAM) if hasattr(params, "getlist") else params.get(IDS_PARAM, [])
    if isinstance(values, str):
        values = [values]
    ids = [number for number in (ascii_int(v, 1) for v in values) if number is not None]
    return ids[:MAX_SELECTED]


def only_selected(queryset: QuerySet, params) -> QuerySet:
    """The rows of the selection when one is given (within `queryset`, i.e. the user's scope and
    filters), else every row."""
    has = (IDS_PARAM in params) if params is not None else False
    if not has:
        return queryset
    return queryset.filter(pk__in=selected_ids(params))


def kept(params, *dropped: str) -> list[tuple[str, str]]:
    """The query parameters to carry in a GET form (page jump, page size) as hidden inputs."""
    if params is None:
        return []
    pairs = params.lists() if hasattr(params, "lists") else ((k, v if isinstance(v, list) else [v])
                                                              for k, v in params.items())
    return [(key, value) for key, values in pairs if key not in dropped for value in values]
