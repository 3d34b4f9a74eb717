"""Writing the scale data's rows (demo.scale_seed): COPY on PostgreSQL, with the big tables'
secondary indexes and foreign keys set aside and re-created inside the one transaction (the
PostgreSQL manual's "Populating a Database"); batched inserts on other databases."""

from __future__ import annotations

import io
import json
import queue
import threading

from django.core.management.color import no_style
from django.db import connection, models

from communities.models import Community
from demo.scale_plan import ANCHOR, _at
from projects.models import CreationProject, MonthlyReport, SpendingRecord, Transition


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    kind = type(value)
    if kind is str:
        pass
    elif value is None:
        return r"\N"
    elif kind is bool:
        return "t" if value else "f"
    elif kind is dict or kind is list:
        if not value:
            return "{}" if kind is dict else "[]"
        value = json.dumps(value, ensure_ascii=False)
    else:
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


class Writer:
    """Appends rows to tables: COPY on PostgreSQL, batched executemany elsewhere.

    `names` are the attnames a caller supplies; every other concrete column gets the field's
    default (auto_now fields: ANCHOR), so fields added later with a default need no change here.
    On PostgreSQL one background thread encodes and COPYs the batches in the order written, on
    the same connection and transaction, while the caller generates the next ones (2 cores:
    Python on one, the server on the other); `before_query` makes the caller's own queries wait
    for the pending batches.
    """

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}
        self.models: list[type[models.Model]] = []
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._restore: list[str] = []

    def _columns(self, model, names):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = []
        for attname, field in fields.items():
            if attname in names:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = _at(ANCHOR, 0)
            else:
                value = field.get_default()  # "" for text fields without a default
            if value is None and not field.null:
                raise ValueError(f"{model.__name__}.{attname}: no value and no default")
            rest.append((field, value))
        return [fields[n] for n in names] + [f for f, _ in rest], tuple(v for _, v in rest)

    def write(self, model, names: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if model not in self.models:
            self.models.append(model)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)
        fields, tail = self._columns(model, names)
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        if self.postgres:
            if self._thread is None:
                connection.ensure_connection()
                self._queue = queue.Queue(maxsize=12)
                self._thread = threading.Thread(target=self._copy_batches, args=(connection.connection,),
                                                daemon=True)
                self._thread.start()
            if self._error:
                raise self._error
            suffix = "".join("\t" + _copy_text(v) for v in tail) + "\n"
            self._queue.put((f"COPY {table} ({columns}) FROM STDIN", suffix, rows))
            return
        preparers = [f.get_db_prep_save if isinstance(f, (models.DateTimeField, models.JSONField))
                     else None for f in fields]
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                batch = []
                for row in rows[start:start + 5000]:
                    batch.append([p(v, connection) if p and v is not None else v
                                  for p, v in zip(preparers, row + tail, strict=True)])
                cursor.executemany(sql, batch)

    def _copy_batches(self, raw_connection) -> None:
        cursor = raw_connection.cursor()
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if self._error is None:
                    sql, suffix, rows = item
                    text = "".join("\t".join(map(_copy_text, row)) + suffix for row in rows)
                    cursor.copy_expert(sql, io.StringIO(text))
            except BaseException as exc:  # re-raised in the caller's thread
                self._error = exc
            finally:
                self._queue.task_done()

    def set_aside(self, tables: list[type[models.Model]]) -> None:
        """PostgreSQL: drop these tables' secondary indexes and foreign keys until `restore()`
        (inside the caller's transaction: no other session sees them missing)."""
        with connection.cursor() as cursor:
            for model in tables:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                               "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
                for name, definition in cursor.fetchall():
                    name = connection.ops.quote_name(name)
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
                    self._restore.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
                cursor.execute("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                               "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                               "AND NOT x.indisprimary AND NOT EXISTS "
                               "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
                               "ORDER BY i.relname", [table])
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                    self._restore.insert(0, definition)  # indexes before the constraints' validation

    def restore(self) -> None:
        """Re-create what `set_aside` dropped, exactly; adding a foreign key validates every row."""
        self.wait()
        if not self._restore:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for sql in self._restore:
                cursor.execute(sql)
        self._restore = []

    def before_query(self, execute, sql, params, many, context):
        """connection.execute_wrapper: a query of the caller's waits for the pending COPYs
        (two statements must never interleave on the one connection)."""
        if self._thread is not None and threading.current_thread() is not self._thread:
            self.wait()
        return execute(sql, params, many, context)

    def wait(self) -> None:
        """Every batch written so far is in the database (re-raises a COPY's error)."""
        if self._queue is not None:
            self._queue.join()
        if self._error:
            raise self._error

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def reset_sequences(self) -> None:
        """Sequences past the explicit ids."""
        self.wait()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)

    def analyze(self) -> None:
        """Fresh planner statistics; on PostgreSQL outside a transaction also VACUUM, which sets
        the hint bits and the visibility map once (index-only scans, steady read timings)."""
        _analyze([model._meta.db_table for model in self.models])


def _analyze(tables: list[str] | None = None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        if tables is None:
            cursor.execute(command)
        for table in tables or ():
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")


def _next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1



def _bulk_tables() -> list[type[models.Model]]:
    tables = [Community, CreationProject, Transition, MonthlyReport, SpendingRecord]
    orders = _optional_model("acceptance", "RectificationOrder")
    return tables + ([orders] if orders else [])


def _optional_model(app_label: str, name: str):
    from django.apps import apps

    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None

