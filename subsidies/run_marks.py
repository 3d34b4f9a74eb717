"""The mark of the last complete subsidy run: what it read, so that a rerun on the same day
with nothing changed recomputes nothing (issue 19 item 8).

A run is a fixed point: run again on the same `today` over the same rows, it writes nothing
(it converges, see subsidies.services). So compute_subsidies may skip a whole run when the
mark says a complete run on this `today` ended on exactly these inputs:

- `facts`: every row the rules read that the run never writes — the project columns
  (services.FACT_FIELDS), spending rows and their corrections, 一事一议 overrides, policy
  versions, regions (the district code) — digested as stored, whatever their dates;
- `ledger`: the rows the run writes and reads back — approved subsidies and payments;
- `code`: the source of the rules, so that a deploy on the same day reruns everything.

The digests cover whole tables (no signals to forget, no bulk write that can go unnoticed):
on PostgreSQL an order-independent sum of row hashes (hash_record_extended, no text
conversion) in one statement, elsewhere (SQLite in
the tests) a SHA-256 over the rows in primary-key order. The mark is recorded only when the
facts did not change while the run was reading them (same digest before and after); a
concurrent 核定 or 拨付 changes only a payment's state and keeps the ledger a fixed point.
Any other date, any changed row or source file, or no mark: the full run, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from pathlib import Path

from django.db import connection
from django.utils import timezone

from subsidies.models import SubsidyRunMark

KEY = "compute_subsidies"


def _fact_tables():
    from communities.models import Region
    from projects.models import CreationProject, PolicyVersion, SpendingCorrection, SpendingRecord
    from subsidies.models import SubsidyOverride
    from subsidies.services import FACT_FIELDS

    return [(CreationProject, FACT_FIELDS), (SpendingRecord, None), (SpendingCorrection, None),
            (SubsidyOverride, None), (PolicyVersion, None), (Region, None)]


def _ledger_tables():
    from subsidies.models import ApprovedSubsidy, Payment

    return [(ApprovedSubsidy, None), (Payment, None)]


def _pg_part(model, fields) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    if fields:
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
        row = f"ROW({columns})"
    else:
        row = "t"
    total = f"coalesce(sum(hash_record_extended({row}, 0)::numeric), 0)::text"
    return f"SELECT count(*)::text || ':' || {total} FROM {table} t"


def _digest(tables) -> str:
    if connection.vendor == "postgresql":
        sql = " UNION ALL ".join(f"({_pg_part(model, fields)})" for model, fields in tables)
        with connection.cursor() as cursor:
            cursor.execute(sql)
            parts = [row[0] for row in cursor.fetchall()]
        return hashlib.sha256(repr(parts).encode()).hexdigest()
    sha = hashlib.sha256()
    for model, fields in tables:
        rows = model._default_manager.order_by("pk").values_list(*(fields or []))
        for row in rows.iterator(chunk_size=5000):
            sha.update(repr(row).encode())
        sha.update(b"|")
    return sha.hexdigest()


def facts_digest() -> str:
    return _digest(_fact_tables())


def ledger_digest() -> str:
    return _digest(_ledger_tables())


@cache
def code_digest() -> str:
    """The source of the rules: the policies package and the modules that apply them."""
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "policies").glob("*.py")) + [
        root / "subsidies" / name for name in ("computation.py", "services.py", "bulk.py")] + [
        root / "projects" / name for name in ("facts.py", "spending.py")]
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.name.encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def unchanged_since_run(today: dt.date, facts: str, ledger: str) -> bool:
    """Whether a complete run on `today` ended on exactly these inputs (and this code)."""
    mark = SubsidyRunMark.objects.filter(key=KEY).first()
    return (mark is not None and mark.day == today and mark.facts == facts and mark.ledger == ledger
            and mark.code == code_digest())


def record(today: dt.date, facts: str, ledger: str) -> None:
    """Replace the mark in one upsert (two runs ending together: the last one wins, no error)."""
    mark = SubsidyRunMark(key=KEY, day=today, facts=facts, ledger=ledger, code=code_digest(),
                          recorded_at=timezone.now())
    SubsidyRunMark.objects.bulk_create([mark], update_conflicts=True, unique_fields=["key"],
                                       update_fields=["day", "facts", "ledger", "code", "recorded_at"])


def forget() -> None:
    SubsidyRunMark.objects.filter(key=KEY).delete()
