"""The few raw SQL pieces the set-based jobs need, for PostgreSQL and SQLite alike.

`INSERT … SELECT … ON CONFLICT DO NOTHING` is one statement whatever the row count (the
ORM's bulk_create splits into batches on SQLite), and with the unique constraints of the
models it makes every insert idempotent.
"""

import datetime as dt

from django.db import connection


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def date_param(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


def datetime_param(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def days_since(column: str) -> str:
    """SQL for the whole days from `column` (a date) to the %s date parameter that follows."""
    if connection.vendor == "postgresql":
        return f"(CAST(%s AS date) - {column})"
    return f"CAST(julianday(%s) - julianday({column}) AS INTEGER)"


def execute(sql: str, params=()) -> int:
    """Run one statement; the number of rows it inserted or changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def values_cte(name: str, columns: list[str], rows: list[tuple]) -> tuple[str, list]:
    """`name(columns) AS (VALUES (…), …)` with parameters, for a WITH clause."""
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = f"{name}({', '.join(columns)}) AS (VALUES {', '.join([placeholder] * len(rows))})"
    return sql, [value for row in rows for value in row]
