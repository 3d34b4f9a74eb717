"""Which communities the daily subsidy run must compute (issue 19 item 8): the marks.

The run is a fixed point (subsidies.services): over the same rows and on the same `today` it
writes nothing. A community is computed on its own (its projects ruled together under the
community cap, computation.community_rulings) from rows that all belong to it. So a community
need not be computed again while

1. every row its computation reads is as its last computation left it — its projects' columns
   (services.FACT_FIELDS), their spending rows and corrections, 一事一议 overrides, approved
   subsidies and payments (`Inputs`: rows and an order-independent hash of each part, as stored,
   whatever their dates);
2. the rows the whole run reads are unchanged — policy versions and regions (the district code)
   (`shared_digest`) — and so is the code of the rules (`code_digest`);
3. `today` gives the same answers as on the day it was computed. The whole reading of `today`
   is (each place names this module):
   - services.candidates: listed on or before today;
   - projects.spending.spent_subquery: spending rows spent on or before today;
   - computation.subsidy_facts and computation.precedence (the community cap's order, for the
     approvals on file too): acceptance and naming dates on or before today;
   - computation.is_due: a tranche of the ruling due on or before today
     (computation.next_due gives the first such day after today);
   - computation._insert: the fiscal year of a new undated row is today's year — at a fixed
     point nothing is inserted, and the run computes every community in a new year anyway.
   So a community's result moves with the date alone on the first day after its computation
   that is one of those dates (`valid_until`: the SQL below takes its projects' and spending
   rows' dates, services the rulings' due dates); before it, nothing does.
   The policies (policies/*) never read the date: only Facts.

The hashes cover whole tables (no signals to forget, no bulk write that can go unnoticed): on
PostgreSQL `hash_record_extended` per row (no text conversion), a different seed per table,
XOR-ed and counted per community in one statement; elsewhere (SQLite in the tests) the same in
Python over the rows. The XOR of all communities' hashes is the XOR of all rows, so on
PostgreSQL a day on which nothing changed is told by one ungrouped scan (`unchanged`).

A community is marked after its computation with its facts as read before it (a fact changed
meanwhile: the next run computes it again) and, where the run wrote, its ledger as read after
the write; a chunk whose compare-and-set missed a row leaves its communities unmarked.
Any other date before the last one, a new year, changed code or shared rows, or no mark at all:
every community is computed (as a forced `full` run does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import connection
from django.utils import timezone

from subsidies import bulk
from subsidies.models import SubsidyCommunityMark, SubsidyRunMark

KEY = "compute_subsidies"


@dataclass(frozen=True)
class Inputs:
    """One community's rows as stored now, and the first day after `today` on which one of its
    projects is listed, accepted or named or one of their spending rows is spent (or None)."""

    facts_rows: int
    facts_hash: int
    ledger_rows: int
    ledger_hash: int
    next_date: dt.date | None = None

    @property
    def facts(self):
        return (self.facts_rows, self.facts_hash)

    @property
    def ledger(self):
        return (self.ledger_rows, self.ledger_hash)


# ---------------------------------------------------------------- the rows, per community


def _sources():
    """(seed, model, its project, is ledger, date column for next_date) of every row a community's
    computation reads besides its projects' columns."""
    from projects.models import SpendingCorrection, SpendingRecord
    from subsidies.models import ApprovedSubsidy, Payment, SubsidyOverride

    return [(2, SpendingRecord, "project", False, "spent_on"),
            (3, SpendingCorrection, "record__project", False, None),
            (4, SubsidyOverride, "project", False, None),
            (5, ApprovedSubsidy, "project", True, None),
            (6, Payment, "project", True, None)]


PROJECT_DATES = ("listed_on", "accepted_on", "named_on")


def _fact_fields():
    from subsidies.services import FACT_FIELDS

    return FACT_FIELDS


def _pg_rows(today: dt.date, communities=None, *, by_community: bool = True) -> tuple[str, list]:
    """SQL of (community_id, ledger, h, next) for every row of the communities (all when None);
    not `by_community`: of (ledger, h) for every row (the totals need no join)."""
    from projects.models import CreationProject, SpendingRecord

    q = connection.ops.quote_name
    projects = q(CreationProject._meta.db_table)
    columns = ", ".join(f"p.{q(CreationProject._meta.get_field(f).column)}" for f in _fact_fields())
    dates = ", ".join(f"CASE WHEN p.{q(f)} > %s THEN p.{q(f)} END" for f in PROJECT_DATES)
    where, ids = ("true", []) if communities is None else ("p.community_id = ANY(%s)", [sorted(communities)])
    parts, part_params = [], []
    for seed, model, project, ledger, date_column in _sources():
        table = q(model._meta.db_table)
        next_date = "NULL::date"
        if date_column:
            next_date = f"CASE WHEN t.{q(date_column)} > %s THEN t.{q(date_column)} END"
            part_params.append(today)
        if project == "record__project":  # a correction belongs to its spending row's project
            source = f"{table} t JOIN {q(SpendingRecord._meta.db_table)} s ON s.id = t.record_id"
            project_id = "s.project_id"
        else:
            source, project_id = f"{table} t", "t.project_id"
        parts.append(f"SELECT {project_id} AS project_id, {ledger} AS ledger, "
                     f"hash_record_extended(t, {seed}) AS h, {next_date} AS next FROM {source}")
    if not by_community:
        sql = (f"SELECT false AS ledger, hash_record_extended(ROW({columns}), 1) AS h FROM {projects} p "
               f"UNION ALL SELECT x.ledger, x.h FROM ({' UNION ALL '.join(parts)}) x")
        return sql, part_params
    sql = (f"SELECT p.community_id, false AS ledger, hash_record_extended(ROW({columns}), 1) AS h, "
           f"least({dates}) AS next FROM {projects} p WHERE {where} "
           f"UNION ALL SELECT p.community_id, x.ledger, x.h, x.next FROM ({' UNION ALL '.join(parts)}) x "
           f"JOIN {projects} p ON p.id = x.project_id WHERE {where}")
    return sql, [*[today] * len(PROJECT_DATES), *ids, *part_params, *ids]


AGGREGATES = ("count(*) FILTER (WHERE NOT ledger) AS facts_rows, "
              "coalesce(bit_xor(h) FILTER (WHERE NOT ledger), 0) AS facts_hash, "
              "count(*) FILTER (WHERE ledger) AS ledger_rows, "
              "coalesce(bit_xor(h) FILTER (WHERE ledger), 0) AS ledger_hash")
HASHES = ("facts_rows", "facts_hash", "ledger_rows", "ledger_hash")


def _pg_inputs(today: dt.date, communities=None) -> dict[int, Inputs]:
    sql, params = _pg_rows(today, communities)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT community_id, {AGGREGATES}, min(next) FROM ({sql}) r GROUP BY community_id",
                       params)
        return {row[0]: Inputs(*row[1:]) for row in cursor.fetchall()}


def _pg_changed(today: dt.date) -> tuple[dict[int, Inputs], list[int]]:
    """The Inputs of the communities whose mark does not stand on `today` (_stands, in SQL), and
    the marks of communities that have no rows any more."""
    sql, params = _pg_rows(today)
    marks = connection.ops.quote_name(SubsidyCommunityMark._meta.db_table)
    current = ", ".join(f"g.{name}" for name in HASHES)
    marked = ", ".join(f"m.{name}" for name in HASHES)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH g AS (SELECT community_id, {AGGREGATES}, min(next) AS next FROM ({sql}) r "
                       f"GROUP BY community_id) "
                       f"SELECT coalesce(g.community_id, m.community_id), {current}, g.next FROM g "
                       f"FULL JOIN {marks} m ON m.community_id = g.community_id "
                       f"WHERE g.community_id IS NULL OR m.community_id IS NULL "
                       f"OR ({current}) IS DISTINCT FROM ({marked}) OR m.valid_until <= %s", [*params, today])
        rows = cursor.fetchall()
    return ({row[0]: Inputs(*row[1:]) for row in rows if row[1] is not None},
            [row[0] for row in rows if row[1] is None])


def _row_hash(seed: int, row) -> int:
    digest = hashlib.blake2b(repr((seed, row)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _python_inputs(today: dt.date, communities=None) -> dict[int, Inputs]:
    from projects.models import CreationProject

    fields = _fact_fields()
    rows = CreationProject.objects.order_by("pk")
    if communities is not None:
        rows = rows.filter(community_id__in=communities)
    parts: dict[int, list] = {}  # community → [facts rows, facts hash, ledger rows, ledger hash, next]
    community_of = {}

    def add(community, ledger, h, when):
        part = parts.setdefault(community, [0, 0, 0, 0, None])
        part[2 * ledger] += 1
        part[2 * ledger + 1] ^= h
        if when is not None and when > today and (part[4] is None or when < part[4]):
            part[4] = when

    for row in rows.values(*fields):
        community_of[row["id"]] = row["community_id"]
        dates = [row[f] for f in PROJECT_DATES if row[f] is not None and row[f] > today]
        add(row["community_id"], False, _row_hash(1, tuple(row[f] for f in fields)), min(dates, default=None))
    for seed, model, project, ledger, date_column in _sources():
        names = [f.attname for f in model._meta.concrete_fields]
        queryset = model._default_manager.order_by("pk")
        if communities is not None:
            queryset = queryset.filter(**{f"{project}__community_id__in": communities})
        for values in queryset.values_list(project, *names):
            if values[0] in community_of:  # else its project came after the projects were read
                add(community_of[values[0]], ledger, _row_hash(seed, values[1:]),
                    values[1 + names.index(date_column)] if date_column else None)
    return {community: Inputs(*part) for community, part in parts.items()}


def community_inputs(today: dt.date, communities=None) -> dict[int, Inputs]:
    """Every community's Inputs (of `communities` only, when given)."""
    if connection.vendor == "postgresql":
        return _pg_inputs(today, communities)
    return _python_inputs(today, communities)


def _pg_totals(today: dt.date):
    """(facts rows, facts hash, ledger rows, ledger hash) of all rows (the XOR of every community's)."""
    sql, params = _pg_rows(today, by_community=False)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {AGGREGATES} FROM ({sql}) r", params)
        return tuple(cursor.fetchone())


def _pg_marked_totals():
    """The same totals over the marks."""
    table = connection.ops.quote_name(SubsidyCommunityMark._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(facts_rows), 0), coalesce(bit_xor(facts_hash), 0), "
                       f"coalesce(sum(ledger_rows), 0), coalesce(bit_xor(ledger_hash), 0) FROM {table}")
        return tuple(cursor.fetchone())


# ---------------------------------------------------------------- the whole run


def shared_digest() -> str:
    """Policy versions and regions, as stored (SHA-256 of their rows in primary-key order)."""
    from communities.models import Region
    from projects.models import PolicyVersion

    sha = hashlib.sha256()
    for model in (PolicyVersion, Region):
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model._default_manager.order_by("pk").values_list(*names).iterator(chunk_size=5000):
            sha.update(repr(row).encode())
        sha.update(b"|")
    return sha.hexdigest()


@cache
def code_digest() -> str:
    """The source of the rules: the policies package and the modules that apply them."""
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "policies").glob("*.py")) + [
        root / "subsidies" / name for name in ("computation.py", "services.py", "bulk.py", "run_marks.py")] + [
        root / "projects" / name for name in ("facts.py", "spending.py")]
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.name.encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


@dataclass
class Plan:
    """What a run computes: `communities` (sorted), their `inputs` as read before, and whether it
    is a full run (`full`) or nothing at all (`unchanged`)."""

    today: dt.date
    communities: list[int]
    inputs: dict[int, Inputs]
    full: bool
    shared: str = ""
    unchanged: bool = False


def _marks_hold(today: dt.date, shared: str) -> bool:
    """Whether the community marks may be trusted on `today` (point 2 and the whole-run dates)."""
    mark = SubsidyRunMark.objects.filter(key=KEY).first()
    return (mark is not None and mark.code == code_digest() and mark.shared == shared
            and mark.day <= today and mark.day.year == today.year)


def plan(today: dt.date, *, full: bool = False) -> Plan:
    """The communities to compute on `today`: every one (full), or those whose inputs changed
    since their mark or whose valid_until has come; records that the run starts."""
    shared = shared_digest()
    full = full or not _marks_hold(today, shared)
    if full:
        SubsidyCommunityMark.objects.all().delete()  # each is written again as its chunk completes
        inputs = community_inputs(today)
    elif connection.vendor == "postgresql" and _pg_marked_totals() == _pg_totals(today):
        # No row changed since the marks (the XOR of theirs is the XOR of all rows): only dates.
        due = list(SubsidyCommunityMark.objects.filter(valid_until__lte=today).values_list("community_id", flat=True))
        inputs = community_inputs(today, due) if due else {}
    elif connection.vendor == "postgresql":
        inputs, gone = _pg_changed(today)
        bulk.delete_community_marks(gone)
    else:
        inputs = community_inputs(today)
        marks = {m[0]: m[1:] for m in SubsidyCommunityMark.objects.values_list(
            "community_id", *HASHES, "valid_until")}
        bulk.delete_community_marks([c for c in marks if c not in inputs])
        inputs = {c: now for c, now in inputs.items() if not _stands(marks.get(c), now, today)}
    if not inputs and not full:
        return Plan(today, [], {}, False, shared, unchanged=True)
    _start(today, full)
    return Plan(today, sorted(inputs), inputs, full, shared)


def _stands(mark, now: Inputs, today: dt.date) -> bool:
    """A community mark stands on `today`: same rows, and no date of its own come since."""
    if mark is None:
        return False
    *hashes, valid_until = mark
    return tuple(hashes) == (*now.facts, *now.ledger) and (valid_until is None or valid_until > today)


def _start(today: dt.date, full: bool) -> None:
    """Before computing: the mark's day becomes the latest day a community may be marked on; a full
    run voids the mark (code "") until it completes, so a crash leaves the next run full too."""
    mark = SubsidyRunMark.objects.filter(key=KEY).first()
    day = today if mark is None or full else max(mark.day, today)
    _record_run(day, "" if full or mark is None else mark.shared, "" if full or mark is None else mark.code)


def finish(run: Plan) -> None:
    """After a run that computed every community it planned: a full run's mark now holds."""
    if run.full:
        _record_run(run.today, run.shared, code_digest())


def _record_run(day: dt.date, shared: str, code: str) -> None:
    mark = SubsidyRunMark(key=KEY, day=day, shared=shared, code=code, recorded_at=timezone.now())
    SubsidyRunMark.objects.bulk_create([mark], update_conflicts=True, unique_fields=["key"],
                                       update_fields=["day", "shared", "code", "recorded_at"])


def mark_chunk(run: Plan, communities: list[int], written: set[int], due: dict[int, dt.date],
               missed: bool) -> None:
    """Mark the communities just computed (see the module's docstring)."""
    if missed:
        bulk.delete_community_marks(communities)
        return
    after = community_inputs(run.today, written) if written else {}
    rows, unmarked = [], []
    for community in communities:
        before = run.inputs[community]
        ledger = before.ledger
        if community in written:
            now = after.get(community)
            if now is None or now.facts != before.facts:
                unmarked.append(community)
                continue
            ledger = now.ledger
        until = [d for d in (before.next_date, due.get(community)) if d is not None]
        rows.append({"community_id": community, "facts_rows": before.facts_rows, "facts_hash": before.facts_hash,
                     "ledger_rows": ledger[0], "ledger_hash": ledger[1],
                     "valid_until": min(until) if until else None, "computed_on": run.today})
    bulk.upsert_community_marks(rows)
    bulk.delete_community_marks(unmarked)


def forget() -> None:
    """The next run computes every community."""
    SubsidyRunMark.objects.filter(key=KEY).delete()
