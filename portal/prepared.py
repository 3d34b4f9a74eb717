"""Server-side prepared statements for the statements every request sends (PostgreSQL).

A list request spends about half of PostgreSQL's time planning its small statements: the
token, the scope's regions, the kept count and the page's rows by their keys (nation scale:
3.1 ms of database CPU a request planned each time, 1.6 ms prepared; issue #19). Here such a
statement is prepared once per connection and executed by name afterwards.

Two forms, both sent as one round trip (`PREPARE …; EXECUTE …` the first time on a
connection, `EXECUTE …` afterwards), so a request counts the same statements either way:

- `execute_fixed(cursor, sql, params)`: the statement with these very parameters, prepared as
  the exact text psycopg2 would send (a statement kept whole by portal.compiled, whose key
  fixes its parameters). It has no parameters, so PostgreSQL plans it once, and the result
  is that of the plain statement by construction.
- `execute(cursor, sql, params)`: the statement with its parameters as $1…$n, for statements
  whose parameters change between calls (a page's keys, a token). Only parameters whose
  literal PostgreSQL would read exactly as the prepared parameter's type are sent this way:
  integers of the integer type's range, text, dates, booleans, None and lists of such
  integers or of text. A datetime or a Decimal may
  be coerced to the column's type at EXECUTE (a timestamp to a date, a numeric to an
  integer) where the plain statement compared in the wider type; such a statement is sent
  plain.

Prepared statements live with the database session, not with a transaction (a ROLLBACK keeps
them); the names prepared on a connection are kept on Django's connection object together
with the driver connection they belong to, so a reconnect starts afresh. Off where
PORTAL_PREPARED_STATEMENTS is false (PG_PREPARED_STATEMENTS=off: behind PgBouncer in
transaction pooling, whose server sessions change between transactions) and on any other
database: then both functions are `cursor.execute(sql, params)`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from django.conf import settings
from django.db import connection

LIMIT = 256  # statements prepared per connection; past it the connection's are dropped and begun again
_names = itertools.count(1)  # a name is never reused in the process, so never met twice on a connection
_PLACEHOLDER = re.compile(r"%[s%]")


def enabled() -> bool:
    return connection.vendor == "postgresql" and getattr(settings, "PORTAL_PREPARED_STATEMENTS", False)


def _prepared() -> dict:
    """The statements prepared on the current driver connection: SQL text → name."""
    raw = connection.connection
    state = getattr(connection, "_portal_prepared", None)
    if state is None or state[0] is not raw:
        state = (raw, {})
        connection._portal_prepared = state
    return state[1]


_INT4 = range(-2**31, 2**31)  # psycopg2 writes these as literals PostgreSQL reads as integer


def _int4(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in _INT4


def _plain_parameter(value) -> bool:
    """Whether `value`, as a prepared parameter, means what its literal means in the plain
    statement. A larger integer is a bigint or numeric literal, compared in that type by the
    plain statement but cut to the column's type when prepared (an error there, never a
    different answer: still sent plain)."""
    if value is None or isinstance(value, (bool, str)) or _int4(value):
        return True
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return True
    if isinstance(value, (list, tuple)):
        return all(_int4(item) for item in value) or all(isinstance(item, str) for item in value)
    return False


def execute(cursor, sql: str, params) -> None:
    """`cursor.execute(sql, params)`, through a statement prepared with $1…$n (see above)."""
    if not params:
        execute_fixed(cursor, sql, params)
        return
    params = list(params)
    if not enabled() or "$" in sql or not all(_plain_parameter(value) for value in params):
        cursor.execute(sql, params)
        return
    arguments = f"({', '.join(['%s'] * len(params))})"
    prepared = _prepared()
    name = prepared.get(sql)
    if name is not None:
        cursor.execute(f"EXECUTE {name}{arguments}", params)
        return
    numbers = itertools.count(1)
    body = _PLACEHOLDER.sub(lambda match: "%" if match.group() == "%%" else f"${next(numbers)}", sql)
    if next(numbers) != len(params) + 1:  # not Django's placeholders: sent plain
        cursor.execute(sql, params)
        return
    # The statement's own text goes through psycopg2's interpolation too: its % signs doubled.
    _prepare_and_execute(cursor, prepared, sql, body.replace("%", "%%"), f"{arguments}", params)


def execute_fixed(cursor, sql: str, params) -> None:
    """`cursor.execute(sql, params)`, through a statement prepared with these parameters in it."""
    if not enabled() or "$" in sql:
        cursor.execute(sql, params)
        return
    text = cursor.mogrify(sql, params).decode() if params is not None else sql  # exactly what is sent
    prepared = _prepared()
    name = prepared.get(text)
    if name is not None:
        cursor.execute(f"EXECUTE {name}")
        return
    _prepare_and_execute(cursor, prepared, text, text, "", None)


def _prepare_and_execute(cursor, prepared: dict, key: str, body: str, arguments: str, params) -> None:
    """PREPARE and EXECUTE in one round trip; the name is recorded once the server took it (a
    failed batch leaves nothing recorded, and a name is never used twice, so nothing collides)."""
    drop = ""
    if len(prepared) >= LIMIT:
        drop = "DEALLOCATE ALL; "
    name = f"portal_{next(_names)}"
    cursor.execute(f"{drop}PREPARE {name} AS {body}; EXECUTE {name}{arguments}", params)
    if drop:
        prepared.clear()
    prepared[key] = name


_PREPARE = re.compile(r"(?:DEALLOCATE ALL; )?PREPARE (portal_\d+) AS (.*); EXECUTE \1(?:\(.*\))?", re.DOTALL)
_EXECUTE = re.compile(r"EXECUTE (portal_\d+)(?:\(.*\))?", re.DOTALL)


def statement_of(sent: str) -> str:
    """The statement a text sent on this connection stands for (a captured query, a log line):
    for `PREPARE …; EXECUTE …` and for `EXECUTE portal_N…`, the SQL as the caller gave it (with
    %s for its parameters where it has any; the prepared body, with $1…$n, for a name this
    connection no longer knows); any other text as it is."""
    found = _PREPARE.fullmatch(sent) or _EXECUTE.fullmatch(sent)
    if found is None:
        return sent
    if connection.connection is not None:
        for key, name in _prepared().items():
            if name == found.group(1):
                return key
    return found.group(2) if found.re is _PREPARE else sent
