"""Deep pages by a deferred join: the page's primary keys first, then the page's rows.

`queryset[offset:offset + size]` with its joins (select_related, values() of related columns)
makes the database join every skipped row only to throw it away: at nation scale page 5,000 of
the projects joined 250,000 rows (1.6–2.2 s, issue 19). Here the page is read in two steps:

1. `SELECT pk … WHERE <filters> ORDER BY <the page's order> OFFSET … LIMIT …`: only the joins
   the filters and the ordering need, mostly an index scan;
2. the queryset itself (its select_related, annotations, prefetches, values()) restricted to
   those keys, with no ORDER BY, put back into the order of step 1.

Same rows in the same order as the plain slice (ties included: the ordering is the one of
step 1), in a constant two statements per page (one when the page is empty).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter

from django.db.models import QuerySet

import portal.idlist  # noqa: F401  (registers `__in_ids`)
from portal import compiled

_PK = attrgetter("pk")


def page_keys(queryset: QuerySet | Callable[[], QuerySet], index: slice, total: int | None = None,
              key: tuple | None = None, ends_with_pk: bool | None = None) -> list:
    """The primary keys of `queryset[index]`, in the queryset's order.

    Past the middle of a list whose size is known (`total`) and whose ordering ends with its
    primary key (a total order, so the reversed ordering is exactly the list read backwards), the
    keys are read from the far end: page 5,000 of 6,002 skips 50,000 keys instead of 250,000
    (the API's page 5,000 at nation scale, issue #19).

    With `key` (a tuple naming everything the queryset depends on: the scope, the filters'
    values), the statement is compiled once per key and window (portal.compiled.rows) instead of
    built from the queryset on every request; then `queryset` may be a function building it and
    `ends_with_pk` say whether its ordering ends with its primary key: it is built only for a
    statement not kept yet."""
    start, stop = index.start or 0, index.stop
    if key is None or ends_with_pk is None:
        queryset = _built(queryset)
    backwards = (total is not None and stop is not None and index.step is None and start > total - stop
                 and (ordered_by_pk(queryset) if ends_with_pk is None else ends_with_pk))
    if backwards:
        if start >= total:
            return []
        index = slice(max(total - stop, 0), total - start)
    if key is None:
        keys = queryset.values_list("pk", flat=True)
        found = list((keys.reverse() if backwards else keys)[index])
    else:
        def build():
            keys = _built(queryset).values("pk")
            return (keys.reverse() if backwards else keys)[index]
        found = [row["pk"] for row in compiled.rows((*key, "page keys", backwards, index.start, index.stop), build)]
    return found[::-1] if backwards else found


def _built(queryset):
    return queryset if isinstance(queryset, QuerySet) else queryset()


def ordered_by_pk(queryset: QuerySet) -> bool:
    """Whether the queryset's ordering ends with its primary key (a total order)."""
    order = queryset.query.order_by
    pk = queryset.model._meta.pk
    return (bool(order) and not queryset.query.extra_order_by and all(isinstance(o, str) for o in order)
            and order[-1].lstrip("-") in ("pk", pk.name, pk.attname))


def deferred_slice(queryset: QuerySet, index: slice, fetch: Callable[[QuerySet], Iterable] | None = None,
                   key: Callable = _PK, total: int | None = None) -> list:
    """`list(fetch(queryset)[index])`, read as keys first (`page_keys`: `total` is the queryset's
    size when known), then rows.

    `fetch` turns the (key-restricted, unordered) queryset into what the page shows
    (default: the queryset itself, i.e. model instances); `key` reads a fetched row's primary
    key (default: `.pk`; `itemgetter("id")` for values() rows)."""
    if queryset.query.combinator:  # union() and the like cannot be filtered: the plain slice
        return list((fetch(queryset) if fetch else queryset)[index])
    ids = page_keys(queryset, index, total)
    if not ids:
        return []
    in_ids = "in_ids" if queryset.model._meta.pk.get_lookup("in_ids") else "in"  # an integer key or not
    page = queryset.filter(**{f"pk__{in_ids}": ids}).order_by()
    rows = {key(row): row for row in (fetch(page) if fetch else page)}
    return [rows[pk] for pk in ids if pk in rows]  # a row deleted in between is simply gone


class DeferredRows:
    """What a Paginator pages through: COUNT on the queryset, each page by `deferred_slice`."""

    def __init__(self, queryset: QuerySet, fetch: Callable[[QuerySet], Iterable] | None = None,
                 key: Callable = _PK, known_count: int | None = None):
        self.queryset, self.fetch, self.key, self.known_count = queryset, fetch, key, known_count

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def count(self) -> int:
        if self.known_count is None:
            self.known_count = self.queryset.count()
        return self.known_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return deferred_slice(self.queryset, index, self.fetch, self.key, self.known_count)
        rows = deferred_slice(self.queryset, slice(index, index + 1), self.fetch, self.key)
        if not rows:
            raise IndexError(index)
        return rows[0]
