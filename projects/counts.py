"""How many projects a scope holds, by status, without counting its rows (issue #19).

A list page shows "共 N 条" for the user's scope. COUNT(*) reads every project in it: the
administrator's 300,067 projects took 23 ms of PostgreSQL a request at nation scale, more than
everything else the request does. On PostgreSQL, statement-level triggers on the projects table
(migration projects/0010) append the change each INSERT, UPDATE, DELETE or TRUNCATE makes to the
number of projects per (street, status) to `ProjectCount`, and the same per status alone under
street 0 (the whole portal). Deltas are only ever appended, so concurrent writers never wait on
one another. A count is the sum of its keys' rows, read in the reader's own snapshot, so it is
exactly COUNT(*) of what that reader sees, committed or its own uncommitted writes alike.

`recount()` (hourly, beat "recount-project-counts"; after the scale seed) replaces every row by
a fresh count of the projects, in one statement: it keeps the rows few (one per key), and it
repairs the counts should anything ever write projects without the triggers firing (a restore
with triggers disabled, `session_replication_role = replica`). About 0.4 s at nation scale
with its VACUUM.

Elsewhere (SQLite: a newcomer's machine and the second CI pass) there are no triggers and
`scope_count` returns None: the caller counts rows, which is cheap at that size.
tests/projects/test_counts.py compares both after every kind of write.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from communities.scope import ALL, scope_of
from portal import prepared

PORTAL = 0  # the street key of the whole portal's rows (no region has the primary key 0)

# The trigger function: the net change of one statement, per (street, status) and per status.
TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION projects_count_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM projects_projectcount;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO projects_projectcount (street_id, status, n)
        SELECT COALESCE(street_id, 0), status, COUNT(*) FROM new_rows
        GROUP BY GROUPING SETS ((street_id, status), (status));
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO projects_projectcount (street_id, status, n)
        SELECT COALESCE(street_id, 0), status, -COUNT(*) FROM old_rows
        GROUP BY GROUPING SETS ((street_id, status), (status));
    ELSE  -- UPDATE: rows whose street and status did not change cancel out
        INSERT INTO projects_projectcount (street_id, status, n)
        SELECT COALESCE(street_id, 0), status, SUM(n) FROM (
            SELECT street_id, status, 1 AS n FROM new_rows
            UNION ALL SELECT street_id, status, -1 FROM old_rows) AS changes
        GROUP BY GROUPING SETS ((street_id, status), (status)) HAVING SUM(n) <> 0;
    END IF;
    RETURN NULL;
END $$;
"""
TRIGGERS = {
    "projects_count_insert": "AFTER INSERT ON projects_creationproject REFERENCING NEW TABLE AS new_rows",
    "projects_count_update": ("AFTER UPDATE ON projects_creationproject "
                              "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "projects_count_delete": "AFTER DELETE ON projects_creationproject REFERENCING OLD TABLE AS old_rows",
    "projects_count_truncate": "AFTER TRUNCATE ON projects_creationproject",
}
# Rows written in key order: a scope's rows lie together.
# One statement, one snapshot: the deltas it deletes are exactly those of the projects it counts
# (a writer's delta committed later is not deleted, nor its project counted). Rows in key order:
# a scope's rows lie together.
RECOUNT = """
WITH gone AS (DELETE FROM projects_projectcount)
INSERT INTO projects_projectcount (street_id, status, n)
SELECT COALESCE(street_id, 0), status, COUNT(*) FROM projects_creationproject
GROUP BY GROUPING SETS ((street_id, status), (status)) ORDER BY 1, 2
"""
LOCK = 190_100  # pg_advisory_xact_lock key: one recount at a time (two would each keep their rows)


def install(schema_editor) -> None:
    """Create the triggers and the rows for the projects already there (migration 0010)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("LOCK TABLE projects_creationproject IN SHARE ROW EXCLUSIVE MODE")
    schema_editor.execute(TRIGGER_FUNCTION)
    for name, event in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {name} {event} "
                              f"FOR EACH STATEMENT EXECUTE FUNCTION projects_count_delta()")
    schema_editor.execute(RECOUNT)
    schema_editor.execute("ANALYZE projects_projectcount")


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON projects_creationproject")
    schema_editor.execute("DROP FUNCTION IF EXISTS projects_count_delta()")


def kept() -> bool:
    return connection.vendor == "postgresql"


def recount() -> int:
    """Replace the kept rows by a fresh count of the projects; returns the rows now kept. Safe
    beside writers (see RECOUNT) and beside another recount (they take turns). Outside a
    transaction, VACUUM (ANALYZE) follows: the visibility map lets a count read the index alone,
    and the statistics keep the planner on that index."""
    if not kept():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        cursor.execute(RECOUNT)  # a statement after the lock: its snapshot sees the previous recount
        rows = cursor.rowcount
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) projects_projectcount")
    return rows


def scope_count(user, statuses: Iterable[str] = ()) -> int | None:
    """The number of projects in `user`'s data scope (communities.scope, the one definition),
    of any of `statuses` (all when empty); None where the counts are not kept."""
    if not kept():
        return None
    scope = scope_of(user)
    if scope is None:
        return 0
    statuses = sorted(set(statuses))
    sql = "SELECT COALESCE(SUM(n), 0) FROM projects_projectcount WHERE "
    if scope == ALL:
        sql, params = sql + "street_id = %s", [PORTAL]
    else:
        sql, params = sql + "street_id = ANY(%s)", [list(scope)]
    if statuses:
        sql, params = sql + " AND status = ANY(%s)", [*params, statuses]
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, params)
        return int(cursor.fetchone()[0])


def only_statuses(applied: dict | None) -> tuple[str, ...] | None:
    """The statuses a project list is narrowed to when no filter but the status narrows it (()
    for none: every status); None when another filter applies or the filters are unknown.
    `applied` is name → cleaned value (portal.api_filters.applied_filters), the status one value
    or several."""
    if applied is None or not set(applied) <= {"status"}:
        return None
    statuses = applied.get("status", ())
    return tuple(sorted({statuses} if isinstance(statuses, str) else set(statuses)))


def list_count(user, applied: dict | None) -> int | None:
    """The count of `user`'s project list under the filters `applied`, when no filter but the
    status narrows it (`only_statuses`); None otherwise (the caller counts rows). The page
    (projects.selectors.filter_projects) and the API (ProjectFilter) both ask here."""
    statuses = only_statuses(applied)
    return None if statuses is None else scope_count(user, statuses)
