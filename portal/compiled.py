"""Counts and rows whose SQL is compiled once: the menu's to-do counts run on every page, the
dashboards' reads on every uncached board.

Building and compiling a queryset costs more Python than the database spends on a small
COUNT (the review queue's condition, an OR over every policy's chains, took ~3 ms a page to
build and compile). `count(key, build)` runs `build().count()` the first time it meets a key,
keeps the one statement it sent (SQL and parameters, exactly as Django sent them), and later
sends that statement again. Only the SQL text is kept, never a result: every call counts in
the database.

The key must determine the statement entirely: the caller names every input its queryset
depends on (the user's scope, office level, the day…); the database vendor is added here.

`rows(key, build)` does the same for a values() queryset: `list(build())`, its rows as dicts,
each value through the converters Django applies to that column (the statement's expressions are
kept with it; the converters are looked up on the connection of the call).

`aggregate(key, build)` does it for `queryset.aggregate(...)`.

Within `once()` (one page's header and menu), a key is counted once and its number shared:
the header's 消息 badge and the menu's 消息 item show the same unread count; `prefetch()`
sends several kept counts there as one statement.
"""

import contextlib
import contextvars
from collections import OrderedDict

from django.core.exceptions import FieldError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models.query import ValuesIterable

from portal import prepared

LIMIT = 512  # statements kept per process (the least recently used first out)
_NO_QUERY = object()  # Django answered 0 without asking the database (an empty condition)
_statements: OrderedDict = OrderedDict()
_shared: contextvars.ContextVar = contextvars.ContextVar("compiled_shared", default=None)


@contextlib.contextmanager
def once():
    """Counts made inside the block are made once per key (the block's own numbers, dropped at
    its end; nested blocks share the outer one's)."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def count(key: tuple, build) -> int:
    """`build().count()`, the statement compiled once per key."""
    full = (connection.vendor, *key)
    shared = _shared.get()
    if shared is None:
        return _count(full, build)
    if full not in shared:
        shared[full] = _count(full, build)
    return shared[full]


def prefetch(entries) -> None:
    """Within `once()`: the counts of these (key, build) whose statements are kept, sent as one
    statement (`SELECT (a), (b)`: one round trip instead of one each); the block's `count()`
    calls then read them. Statements not kept yet are left to their `count()`."""
    shared = _shared.get()
    if shared is None:
        return
    pending, seen = [], set()
    for key, _build in entries:
        full = (connection.vendor, *key)
        if full in seen:
            continue
        seen.add(full)
        statement = None if full in shared else _statement(full)
        if statement is not None and statement is not _NO_QUERY and statement[1] is not None:
            pending.append((full, statement))
    if len(pending) < 2:
        return
    sql = "SELECT " + ", ".join(f"({statement[0]})" for _, statement in pending)
    params = [value for _, statement in pending for value in statement[1]]
    with connection.cursor() as cursor:
        prepared.execute_fixed(cursor, sql, params)
        row = cursor.fetchone()
    for (full, _), value in zip(pending, row, strict=True):
        shared[full] = value or 0


def _statement(full: tuple):
    """The kept statement for `full` (None if none), now the most recently used."""
    statement = _statements.get(full)
    if statement is not None:
        try:
            _statements.move_to_end(full)
        except KeyError:  # another thread dropped it meanwhile: the statement in hand still serves
            pass
    return statement


def _count(full: tuple, build) -> int:
    statement = _statement(full)
    if statement is None:
        return _first(full, build)
    if statement is _NO_QUERY:
        return 0
    sql, params = statement
    with connection.cursor() as cursor:
        prepared.execute_fixed(cursor, sql, params)
        return cursor.fetchone()[0] or 0


def _first(full: tuple, build) -> int:
    sent = []

    def capture(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        number = build().count()
    if len(sent) <= 1:  # anything else is not one COUNT: never replayed
        _keep(full, sent[0] if sent else _NO_QUERY)
    return number


def rows(key: tuple, build) -> list[dict]:
    """`list(build())` of a values() queryset, the statement compiled once per key."""
    return _kept_rows(key, build, first_column=False)


def column(key: tuple, build) -> list:
    """`[row[name] for row in rows(key, build)]` of a values() queryset of one column `name`,
    without a dict a row (a city user's scope: 243 region ids on every request). Same key space
    and statement as `rows`."""
    return _kept_rows(key, build, first_column=True)


def _kept_rows(key: tuple, build, first_column: bool) -> list:
    full = (connection.vendor, "rows", *key)
    statement = _statement(full)
    if statement is None:
        found = _first_rows(full, build)
        if not first_column:
            return found
        if found and len(found[0]) != 1:
            raise TypeError("compiled.column() needs a values() queryset of one column")
        return [next(iter(row.values())) for row in found]
    if statement is _NO_QUERY:
        return []
    sql, params, names, fields = statement
    return _replay(sql, params, names, fields, prepared.execute_fixed, first_column=first_column)


def _replay(sql: str, params, names: list, fields: list, execute, first_column: bool = False) -> list:
    """A kept values() statement sent again (by `execute`, one of portal.prepared's), its rows
    converted as Django converts them: dicts, or the first column's values alone."""
    with connection.cursor() as cursor:
        execute(cursor, sql, params)
        fetched = cursor.fetchall()
    compiler = _compiler()
    converters = compiler.get_converters(fields)
    if converters:
        fetched = compiler.apply_converters(fetched, converters)
    if first_column:
        if len(names) != 1:
            raise TypeError("compiled.column() needs a values() queryset of one column")
        return [row[0] for row in fetched]
    width = len(names)  # columns past it only serve a DISTINCT's ORDER BY (Django drops them too)
    return [dict(zip(names, row[:width], strict=True)) for row in fetched]


def _compiler():
    """A compiler to convert kept rows with. It holds the connection itself, not the
    `django.db.connection` proxy: each converter reads the connection it is given, and through the
    proxy every read was a thread-local lookup (50 a list page; issue #19)."""
    real = connections[DEFAULT_DB_ALIAS]
    return real.ops.compiler("SQLCompiler")(None, real, None)


def _first_rows(full: tuple, build) -> list[dict]:
    queryset = build()
    if not issubclass(queryset._iterable_class, ValuesIterable):
        raise TypeError("compiled.rows() needs a values() queryset")
    sent = []

    def capture(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        result = list(queryset)
    query = queryset.query
    names = list(query.selected) if query.selected else [
        *query.extra_select, *query.values_select, *query.annotation_select]
    if not sent:
        _keep(full, _NO_QUERY)
    elif len(sent) == 1:  # anything else is not one SELECT: never replayed
        compiler = query.get_compiler(queryset.db)
        compiler.setup_query()
        fields = [column[0] for column in compiler.select[:compiler.col_count]]
        if len(fields) == len(names):
            _keep(full, (*sent[0], names, fields))
    return result


def aggregate(key: tuple, build) -> dict:
    """`queryset.aggregate(**aggregates)` for `queryset, aggregates = build()`, the statement
    compiled once per key. Aggregates whose output field is known before resolving (Count) are
    converted as Django does; any other is aggregated by Django every time."""
    full = (connection.vendor, "aggregate", *key)
    statement = _statement(full)
    if statement is None or statement is _NO_QUERY:
        return _first_aggregate(full, build)
    sql, params, names, expressions = statement
    with connection.cursor() as cursor:
        prepared.execute_fixed(cursor, sql, params)
        row = cursor.fetchone()
    compiler = _compiler()
    converted = next(compiler.apply_converters([row], compiler.get_converters(expressions)))
    return dict(zip(names, converted, strict=True))


def _first_aggregate(full: tuple, build) -> dict:
    queryset, aggregates = build()
    sent = []

    def capture(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        result = queryset.aggregate(**aggregates)
    expressions = list(aggregates.values())
    try:
        compiler = _compiler()
        compiler.get_converters(expressions)  # the output fields are known without resolving
    except (FieldError, AttributeError):  # e.g. Sum(F(...)): its output field comes from resolving
        return result
    if len(sent) == 1 and list(result) == list(aggregates):
        _keep(full, (*sent[0], list(aggregates), expressions))
    elif not sent:  # an empty condition: Django answers without the database, each time
        _keep(full, _NO_QUERY)
    return result


def _keep(full: tuple, statement) -> None:
    if full not in _statements and len(_statements) >= LIMIT:
        _statements.popitem(last=False)
    _statements[full] = statement


def forget() -> None:
    """Drop every kept statement (tests that change what a key stands for)."""
    _statements.clear()


# ---------------------------------------------------------------- rows of a page, by their keys


def values_by_ids(key: tuple, build, ids: list[int]) -> list[dict]:
    """`list(build(ids))` (in no particular order), where `build` gives a values() queryset whose
    only parameter is the list of integer keys (`pk__in_ids`: one array on PostgreSQL). Kept as
    `rows` keeps its statements, and sent again with other keys (a page of the project list:
    ~0.8 ms of compiling 30 columns and 4 joins, nation scale). Elsewhere (an IN list of as many
    parameters as keys), or when the statement's parameters are anything but the keys, it is
    `list(build(ids))` every time."""
    ids = sorted(set(ids))
    if not ids:
        return []
    full = (connection.vendor, "rows by ids", *key)
    statement = _statement(full) if connection.vendor == "postgresql" else None
    if statement is None:
        if connection.vendor != "postgresql":
            return list(build(ids))
        result = _first_rows(full, lambda: build(ids))
        kept = _statement(full)
        if kept is _NO_QUERY or (kept is not None and list(kept[1]) != [ids]):
            _statements.pop(full, None)  # not a statement of the keys alone: never replayed
        return result
    if statement is _NO_QUERY:
        return []
    sql, _params, names, fields = statement
    return _replay(sql, [ids], names, fields, prepared.execute)
