"""Set-based writes for the subsidy computation: one statement per kind of change,
whatever the number of rows.

The rows travel as ONE JSON parameter, read back as a table by the database
(PostgreSQL `jsonb_to_recordset`, SQLite `json_each`), so a run over 10 or 100,000
projects issues the same statements: insert new payments (ON CONFLICT DO NOTHING on the
unique key, so a rerun or a concurrent run never duplicates a tranche), compare-and-set
updates of unpaid rows (`WHERE id = … AND state = <the state we read>`), deletes of unpaid
rows that no longer apply, and the upsert of the approved subsidy A. Paid rows are never
touched here: every UPDATE and DELETE is restricted to planned/approved rows, and
PostgreSQL refuses the rest (migration 0002).
"""

import json
from datetime import date, datetime
from decimal import Decimal

from django.db import connection


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _recordset(columns: list[tuple[str, str]]) -> str:
    """FROM-clause reading the JSON parameter as a table `r` with these columns."""
    q = connection.ops.quote_name
    if connection.vendor == "postgresql":
        cols = ", ".join(f"{q(name)} {sql_type}" for name, sql_type in columns)
        return f"jsonb_to_recordset(%s::jsonb) AS r({cols})"
    cols = ", ".join(f"json_extract(value, '$.{name}') AS {q(name)}" for name, _ in columns)
    return f"(SELECT {cols} FROM json_each(%s)) AS r"


def _execute(sql: str, rows: list[dict], *params) -> int:
    if not rows:
        return 0
    payload = json.dumps(rows, default=_json_default, ensure_ascii=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, payload])
        return cursor.rowcount


def _now(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


PAYMENT_COLUMNS = [
    ("project_id", "bigint"), ("kind", "text"), ("payer", "text"), ("trigger", "text"),
    ("amount", "numeric"), ("due_on", "date"), ("fiscal_year", "integer"), ("basis", "text"),
    ("reason", "text"), ("policy_version_id", "bigint"),
]


def insert_payments(rows: list[dict], computed_at: datetime) -> int:
    """New planned payments; a row whose (project, kind, payer, trigger) exists is skipped."""
    q = connection.ops.quote_name
    names = [name for name, _ in PAYMENT_COLUMNS]
    target = ", ".join(q(n) for n in [*names, "state", "voucher_no", "computed_at"])
    values = ", ".join(f"r.{q(n)}" for n in names)
    sql = (f"INSERT INTO subsidies_payment ({target}) "
           f"SELECT {values}, 'planned', '', %s FROM {_recordset(PAYMENT_COLUMNS)} WHERE 1 = 1 "
           f"ON CONFLICT (project_id, kind, payer, {q('trigger')}) DO NOTHING")
    return _execute(sql, rows, _now(computed_at))


UPDATE_COLUMNS = [
    ("id", "bigint"), ("expected_state", "text"), ("state", "text"), ("amount", "numeric"),
    ("due_on", "date"), ("fiscal_year", "integer"), ("basis", "text"), ("reason", "text"),
    ("policy_version_id", "bigint"),
]


def update_unpaid_payments(rows: list[dict], computed_at: datetime) -> int:
    """Recompute unpaid rows in place, compare-and-set on the state read before.

    A row whose amount changed goes back to planned (its 核定 no longer holds); the caller
    sends state and clears the approval in that case by sending state "planned".
    """
    q = connection.ops.quote_name
    p = "subsidies_payment"
    sql = (f"UPDATE {p} SET amount = r.amount, due_on = r.due_on, fiscal_year = r.fiscal_year, "
           f"basis = r.basis, reason = r.reason, policy_version_id = r.policy_version_id, "
           f"state = r.state, "
           f"approved_by_id = CASE WHEN r.state = 'planned' THEN NULL ELSE {p}.approved_by_id END, "
           f"approved_at = CASE WHEN r.state = 'planned' THEN NULL ELSE {p}.approved_at END, "
           f"computed_at = %s "
           f"FROM {_recordset(UPDATE_COLUMNS)} "
           f"WHERE {p}.id = r.{q('id')} AND {p}.state = r.expected_state "
           f"AND {p}.state IN ('planned', 'approved')")
    return _execute(sql, rows, _now(computed_at))


def delete_unpaid_payments(rows: list[dict]) -> int:
    """Remove unpaid rows that no longer apply, compare-and-set on the state read before."""
    columns = [("id", "bigint"), ("expected_state", "text")]
    sql = ("DELETE FROM subsidies_payment WHERE state IN ('planned', 'approved') AND EXISTS ("
           f"SELECT 1 FROM {_recordset(columns)} "
           "WHERE r.id = subsidies_payment.id AND r.expected_state = subsidies_payment.state)")
    return _execute(sql, rows)


APPROVED_COLUMNS = [("project_id", "bigint"), ("amount", "numeric"), ("basis", "text"),
                    ("policy_version_id", "bigint")]


def upsert_approved(rows: list[dict], computed_at: datetime) -> int:
    q = connection.ops.quote_name
    names = [name for name, _ in APPROVED_COLUMNS]
    values = ", ".join(f"r.{q(n)}" for n in names)
    sql = (f"INSERT INTO subsidies_approvedsubsidy ({', '.join(map(q, names))}, computed_at) "
           f"SELECT {values}, %s FROM {_recordset(APPROVED_COLUMNS)} WHERE 1 = 1 "
           "ON CONFLICT (project_id) DO UPDATE SET amount = excluded.amount, "
           "basis = excluded.basis, policy_version_id = excluded.policy_version_id, "
           "computed_at = excluded.computed_at")
    return _execute(sql, rows, _now(computed_at))


def delete_approved(project_ids: list[int]) -> int:
    rows = [{"project_id": pk} for pk in project_ids]
    sql = ("DELETE FROM subsidies_approvedsubsidy WHERE project_id IN ("
           f"SELECT r.project_id FROM {_recordset([('project_id', 'bigint')])})")
    return _execute(sql, rows)


MARK_COLUMNS = [("community_id", "bigint"), ("facts_rows", "integer"), ("facts_hash", "bigint"),
                ("ledger_rows", "integer"), ("ledger_hash", "bigint"), ("valid_until", "date"),
                ("computed_on", "date")]


def upsert_community_marks(rows: list[dict]) -> int:
    """Write the marks of communities just computed (subsidies.run_marks), replacing old ones."""
    q = connection.ops.quote_name
    names = [name for name, _ in MARK_COLUMNS]
    values = ", ".join(f"r.{q(n)}" for n in names)
    updates = ", ".join(f"{q(n)} = excluded.{q(n)}" for n in names[1:])
    sql = (f"INSERT INTO subsidies_subsidycommunitymark ({', '.join(map(q, names))}) "
           f"SELECT {values} FROM {_recordset(MARK_COLUMNS)} WHERE 1 = 1 "
           f"ON CONFLICT (community_id) DO UPDATE SET {updates}")
    return _execute(sql, rows)


def delete_community_marks(community_ids: list[int]) -> int:
    rows = [{"community_id": pk} for pk in community_ids]
    sql = ("DELETE FROM subsidies_subsidycommunitymark WHERE community_id IN ("
           f"SELECT r.community_id FROM {_recordset([('community_id', 'bigint')])})")
    return _execute(sql, rows)
