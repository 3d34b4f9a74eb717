"""The filters of list pages (`Filtering`) and the one reading of a list's parameters
(`query_params`): a request's GET and a background job's saved parameters are read alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import QueryDict

from portal.validators import ascii_int


def query_params(params) -> QueryDict:
    """A list's parameters as a QueryDict: a request's GET as it is, a job's saved parameters
    (a dict of lists, as QueryDict.lists() gives; a lone value counts as a list of one)
    wrapped, so the rows functions read both the same way."""
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, values in (params or {}).items():
        query.setlist(key, [str(v) for v in (values if isinstance(values, list | tuple) else [values])])
    query._mutable = False
    return query


class Filtering:
    """The common filters of a list page, chained; `active` is what the form shows again.

    Values that do not parse (a bad date, an unknown choice) are ignored, never an error.
    `params` is a QueryDict or a job's dict of lists; `active`, when given, is the dict to
    fill (a rows function hands the page's dict through).
    """

    def __init__(self, queryset: QuerySet, params, active: dict | None = None):
        self.queryset, self.params = queryset, query_params(params)
        self.active = active if active is not None else {}

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
        year = ascii_int(value, 1900, 2100)
        if year is not None:
            self.active[name] = value
            self.queryset = self.queryset.filter(**{f"{lookup}__year": year})
        return self
