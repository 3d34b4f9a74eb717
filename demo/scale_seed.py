"""Scale data for `seed_demo --scale province|nation` (CONTRACTS §3), deterministic for a seed.

province: ≈ 5,000 communities and 10,000 projects on the real reference streets.
nation: the province data plus synthetic provinces, cities, districts and streets: ≈ 120,000
communities, 300,000 projects in every status, ≈ 1,000,000 transitions, monthly reports,
spending and rectification orders; then the real deadline sweep and subsidy computation run
once as of ANCHOR, so deadlines, alerts and payments are exactly what the app derives.

Synthetic units are marked twice: every name ends in （合成）, and every synthetic city code is
PP51–PP89 (two digits GB/T 2260 never gives a city), so everything below it is synthetic too;
other provinces keep their real two-digit codes with synthetic names. Real reference units are
never changed. Synthetic jurisdictions have no policy of their own: each synthetic city borrows
the rules of one real "model" district (MODEL_DISTRICTS) for binding, chains and deadlines.

Every date is fixed relative to ANCHOR (never today), every choice comes from one
random.Random(seed) consumed in a fixed order, and ids continue from the tables' maxima: the
same seed on the same starting database gives the same rows.

PostgreSQL: one transaction; the big tables are loaded the way the PostgreSQL manual's
"Populating a Database" advises — their secondary indexes and foreign keys are dropped, the
rows COPYed, then the very same indexes and constraints (pg_get_indexdef /
pg_get_constraintdef) re-created, which validates every row, before the commit: no other
session ever sees a table without them. Primary keys, unique constraints and triggers stay
on throughout (the transition trigger only refuses UPDATE/DELETE). The sequences are moved past
the explicit ids, and after the commit the tables are VACUUM ANALYZEd. Other databases (SQLite:
demo, province and the tests' tiny scale): batched inserts.

Measured (2 cores, PostgreSQL 15, other jobs running): nation load 121 s, then the sweep's first
run 247 s and the subsidy computation 42 s; province 9 s without them. After the query work of
issue #9: load 92 s, first sweep 161 s, first subsidy run 9 s (same row counts).
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import json
import queue
import random
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction

from communities.models import Community, Office, Region, User
from communities.offices import ensure_offices
from policies import policy_in_force
from projects import workflow
from projects.deadlines import store_construction_deadlines
from projects.models import CreationProject, MonthlyReport, PolicyVersion, SpendingRecord, Status, Transition

ANCHOR = dt.date(2026, 9, 30)
SYNTHETIC = "（合成）"
COMMUNITY_NOTE = "seed_scale 合成数据"
CHUNK_PROJECTS = 20_000

# Real provinces other than 33 (浙江); synthetic cities under them use codes PP51–PP89.
OTHER_PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "34", "35", "36", "37",
                   "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63",
                   "64", "65")
FIRST_SYNTHETIC_CITY = 51
# Real districts whose policy a synthetic city borrows, in turn: 越城, 南湖, 嘉善, 富阳, 诸暨.
MODEL_DISTRICTS = ("330602", "330402", "330421", "330111", "330681")
# The first listing date each model's policies allow for (a project is bound on creation too).
EARLIEST = {"3306": dt.date(2020, 3, 1), "3304": dt.date(2023, 3, 1), "330111": dt.date(2021, 3, 1)}


@dataclass(frozen=True)
class Scale:
    real_communities: int
    real_projects: int
    provinces: tuple[str, ...] = ()  # synthetic provinces (codes)
    zhejiang_cities: int = 0  # synthetic cities in province 33
    cities: int = 0  # per synthetic province
    districts: int = 0  # per synthetic city
    streets: int = 0  # per synthetic district
    synthetic_communities: int = 0
    synthetic_projects: int = 0


SCALES = {
    "tiny": Scale(40, 80, ("11",), 1, 1, 2, 2, 30, 70),  # benchmarks/test_scale_seed.py
    "province": Scale(5_000, 10_000),
    "nation": Scale(5_000, 10_000, OTHER_PROVINCES, 8, 4, 5, 8, 115_000, 290_000),
}

S = Status
# Final status mix: ≈ 3.4 transitions per project on average (≈ 1,000,000 at nation scale).
STATUS_WEIGHTS = {
    S.RESERVE: 22, S.DRAFT: 12, S.SUBMITTED: 4, S.IN_REVIEW: 4, S.RETURNED: 3, S.REJECTED: 3,
    S.WITHDRAWN: 4, S.LISTED: 20, S.ACCEPTANCE_REQUESTED: 3, S.ACCEPTANCE_REVIEW: 3,
    S.RECTIFYING: 2, S.TERMINATED: 3, S.ACCEPTED: 6, S.NAMED: 7,
}
LISTED_EVER = {S.LISTED, S.ACCEPTANCE_REQUESTED, S.ACCEPTANCE_REVIEW, S.RECTIFYING, S.TERMINATED,
               S.ACCEPTED, S.NAMED}
SIDE_EXITS = {S.RETURNED: (S.SUBMITTED, "return"), S.REJECTED: (S.SUBMITTED, "reject"),
              S.WITHDRAWN: (S.DRAFT, "withdraw"), S.RECTIFYING: (S.ACCEPTANCE_REQUESTED, "issue_rectification"),
              S.TERMINATED: (S.LISTED, "terminate")}
FORWARD = ("submit", "approve", "record_listing", "request_acceptance", "record_acceptance", "record_naming")
STATUSES = list(STATUS_WEIGHTS)
STATUS_CUMULATIVE = list(itertools.accumulate(STATUS_WEIGHTS.values()))
PHASE_DATES = {"record_listing": "listing", "request_acceptance": "request", "record_acceptance": "acceptance",
               "record_naming": "naming", "issue_rectification": "rectify"}
DECISIONS = {"record_listing": "listing", "record_acceptance": "acceptance", "record_naming": "naming"}
RESERVE_STAGES = ("planning", "reserve", "starting", "mature")
COMMENTS = {"create": "创建项目", "return": "请补充完善申报材料后重新提交", "reject": "不符合申报条件，本批次不予通过",
            "terminate": "实施主体变更，项目终止", "issue_rectification": "验收发现问题，请限期整改"}
NAME_CHARS = "东南西北中新安平永和兴华宁康泰福瑞祥丰清江河山湖海云龙凤阳明光文德仁义金玉石桥松柏梅兰竹溪林田"
BUILT_PERIODS = tuple(Community.BuiltPeriod.values)
SPENDING = ("工程款", "设计费", "监理费", "设备采购", "场景建设", "运营启动")


# ---------------------------------------------------------------- writing rows


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


def _at(day: dt.date, minutes: int) -> str:
    """A working-hours moment of `day` in Asia/Shanghai, `minutes` (< 900) after 9:00, as text
    (both backends parse it; formatting it is far cheaper than an aware datetime)."""
    return f"{day} {9 + minutes // 60:02d}:{minutes % 60:02d}:00+08:00"


def _int(rng: random.Random, low: int, high: int) -> int:
    """rng.randint(low, high) for hot loops (one random() call, same determinism)."""
    return low + int(rng.random() * (high - low + 1))


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=_int(rng, 0, (last - first).days))


def _spread(rng: random.Random, total: int, slots: int) -> list[int]:
    counts = [total // slots] * slots
    for index in rng.sample(range(slots), total % slots):
        counts[index] += 1
    return counts


def _months(first: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """(year, month) from `first`'s month to the month before `end`'s."""
    year, month, months = first.year, first.month, []
    while (year, month) < (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# ---------------------------------------------------------------- regions, offices, users


def _synthetic_name(rng: random.Random, suffix: str) -> str:
    return f"{rng.choice(NAME_CHARS)}{rng.choice(NAME_CHARS)}{suffix}{SYNTHETIC}"


def _build_regions(rng, scale: Scale, writer: Writer) -> list[tuple[Region, str]]:
    """Synthetic provinces/cities/districts/streets and their offices (the ones
    communities.offices.ensure_offices gives every unit, named as it names them, with explicit
    ids); returns (street, model district) pairs."""
    from communities.offices import street_office_name

    zhejiang = Region.objects.get(code="33", level=Region.Level.PROVINCE)
    next_id = _next_id(Region)
    rows, streets = [], []

    def add(code, name, level, parent_id, parent_path):
        nonlocal next_id
        region = Region(id=next_id, code=code, name=name, level=level, parent_id=parent_id,
                        path=f"{parent_path}{next_id}/")
        rows.append((region.id, code, name, level, parent_id, region.path))
        next_id += 1
        return region

    model_turn = 0
    plan = [(zhejiang, scale.zhejiang_cities)] if scale.zhejiang_cities else []
    for code in scale.provinces:
        plan.append((add(code, _synthetic_name(rng, "省"), Region.Level.PROVINCE, None, "/"), scale.cities))
    for province, cities in plan:
        for c in range(cities):
            city = add(f"{province.code}{FIRST_SYNTHETIC_CITY + c:02d}", _synthetic_name(rng, "市"),
                       Region.Level.CITY, province.id, province.path)
            model = MODEL_DISTRICTS[model_turn % len(MODEL_DISTRICTS)]
            model_turn += 1
            for d in range(scale.districts):
                district = add(f"{city.code}{d + 1:02d}", _synthetic_name(rng, "区"), Region.Level.DISTRICT,
                               city.id, city.path)
                for s in range(scale.streets):
                    street = add(f"{district.code}{s + 1:03d}", _synthetic_name(rng, "街道"),
                                 Region.Level.STREET, district.id, district.path)
                    streets.append((street, model))
    writer.write(Region, ["id", "code", "name", "level", "parent_id", "path"], rows)
    office_id, offices = _next_id(Office), []
    for region_id, _, name, level, _, _ in rows:
        region = Region(id=region_id, name=name, level=level)
        wanted = {
            "street": [(street_office_name(region), Office.Kind.STREET)],
            "district": [(f"{name}风貌办", Office.Kind.DISTRICT_TOWNSCAPE), (f"{name}财政局", Office.Kind.FINANCE)],
            "city": [(f"{name}风貌办", Office.Kind.CITY_TOWNSCAPE),
                     (f"{name}未来社区建设领导小组", Office.Kind.LEADING_GROUP),
                     (f"{name}财政局", Office.Kind.FINANCE)],
            "province": [("系统管理员", Office.Kind.ADMIN)],
        }[level]
        for office_name, kind in wanted:
            offices.append((office_id, office_name, kind, region_id))
            office_id += 1
    writer.write(Office, ["id", "name", "kind", "region_id"], offices)
    return streets


def _actors(writer: Writer) -> dict[tuple[str, int], tuple[int, int]]:
    """(chain level, region id) → (office id, user id) for every office that acts in chains;
    an office without a user gets one synthetic, password-less user (no e-mail address)."""
    from django.contrib.auth.models import Group

    from communities.roles import group_for_kind

    kinds = {Office.Kind.STREET: "street", Office.Kind.DISTRICT_TOWNSCAPE: "district",
             Office.Kind.CITY_TOWNSCAPE: "city", Office.Kind.LEADING_GROUP: "leading_group"}
    first_user = dict(User.objects.filter(office__isnull=False).order_by("-id")
                      .values_list("office_id", "id"))
    groups = {kind: group_for_kind(kind).pk for kind in kinds}
    next_user = _next_id(User)
    next_link = _next_id(Group.user_set.through)
    users, links, actors = [], [], {}
    for office_id, kind, region_id, name in (Office.objects.filter(kind__in=list(kinds)).order_by("id")
                                             .values_list("id", "kind", "region_id", "name")):
        user_id = first_user.get(office_id)
        if user_id is None:
            user_id = next_user
            next_user += 1
            users.append((user_id, f"scale_{office_id}", "!seed_scale", name[:150], "", True,
                          _at(ANCHOR - dt.timedelta(days=2000), 0), office_id))
            links.append((next_link, user_id, groups[kind]))
            next_link += 1
        actors[(kinds[kind], region_id)] = (office_id, user_id)
    writer.write(User, ["id", "username", "password", "first_name", "email", "is_active", "date_joined",
                        "office_id"], users)
    writer.write(Group.user_set.through, ["id", "user_id", "group_id"], links)
    return actors


# ---------------------------------------------------------------- workflow paths


class Paths:
    """The transitions that take a project to each status, walked once per policy version,
    tier and target through the real workflow table (projects.workflow), never per project."""

    def __init__(self):
        self.cache = {}

    def get(self, version: PolicyVersion, tier: str, target: str):
        key = (version.pk, tier, target)
        if key not in self.cache:
            self.cache[key] = self._walk(version, tier, target)
        return self.cache[key]

    @staticmethod
    def _walk(version, tier, target):
        project = CreationProject(tier=tier, category="renovation", policy_code=version.policy_code,
                                  policy_version=version,
                                  status=S.RESERVE if target == S.RESERVE else S.DRAFT)
        steps = [("create", "创建项目", "", "", project.status, "street", "create")]
        goal, side = SIDE_EXITS.get(target, (target, None))

        def take(move):
            step = workflow.current_step(project)
            phase = move.action
            if move.action == "approve":
                phase = "app_review" if project.status in (S.SUBMITTED, S.IN_REVIEW) else "acc_review"
            steps.append((move.action, move.label, step.label if step else "", project.status,
                          move.to_status, move.office_level, phase))
            project.status, project.review_step = move.to_status, move.to_step

        for _ in range(20):
            if project.status == goal:
                break
            take(next(m for m in workflow.moves(project) if m.action in FORWARD))
        else:
            raise RuntimeError(f"no path to {target} under {version}")
        if side:
            take(next(m for m in workflow.moves(project) if m.action == side))
        counts = {phase: sum(1 for step in steps if step[-1] == phase) for phase in ("app_review", "acc_review")}
        return steps, project.status, project.review_step, counts


def _timeline(rng: random.Random, target: str, earliest: dt.date) -> dict[str, dt.date]:
    """The dates of the phases a project went through, all on or before ANCHOR."""
    day = dt.timedelta(days=1)
    d: dict[str, dt.date] = {}
    if target in LISTED_EVER:
        latest_listing = {S.LISTED: 15, S.TERMINATED: 100, S.ACCEPTED: 300, S.NAMED: 400}.get(target, 200)
        oldest = {S.LISTED: 1100, S.TERMINATED: 1100, S.ACCEPTED: 1600, S.NAMED: 1600}.get(target, 1400)
        listed = _between(rng, max(earliest + 250 * day, ANCHOR - oldest * day), ANCHOR - latest_listing * day)
        d["listing"] = listed
        d["create"] = listed - _int(rng, 60, 240) * day
        d["submit"] = d["create"] + _int(rng, 3, 40) * day
        d["app_end"] = listed
        if target == S.TERMINATED:
            d["terminate"] = _between(rng, listed + 60 * day, ANCHOR - day)
        elif target != S.LISTED:
            last_request = ANCHOR - (60 if target in (S.ACCEPTED, S.NAMED) else 5) * day
            if target == S.NAMED:
                last_request = ANCHOR - 100 * day
            d["request"] = _between(rng, listed + 180 * day, last_request)
            d["rectify"] = _between(rng, d["request"] + day, min(d["request"] + 30 * day, ANCHOR))
            d["acc_end"] = ANCHOR
            if target in (S.ACCEPTED, S.NAMED):
                accepted = _between(rng, d["request"] + 20 * day, min(d["request"] + 120 * day, ANCHOR - day))
                d["acceptance"] = d["acc_end"] = accepted
                if target == S.NAMED:
                    d["naming"] = _between(rng, accepted + 20 * day, min(accepted + 200 * day, ANCHOR))
    elif target in (S.RESERVE, S.DRAFT):
        d["create"] = _between(rng, max(earliest, ANCHOR - 700 * day), ANCHOR - day)
    else:
        d["create"] = _between(rng, max(earliest, ANCHOR - 500 * day), ANCHOR - 30 * day)
        d["submit"] = d["create"] + _int(rng, 3, 25) * day
        d["app_end"] = ANCHOR
        d["withdraw"] = _between(rng, d["create"] + day, min(d["create"] + 60 * day, ANCHOR))
        d["return"] = d["reject"] = _between(rng, d["submit"] + day, ANCHOR)
    return d


# ---------------------------------------------------------------- the generator


class Generator:
    def __init__(self, rng: random.Random, writer: Writer, actors, paths: Paths):
        self.rng, self.writer, self.actors, self.paths = rng, writer, actors, paths
        self.versions: dict[str, list[PolicyVersion]] = {}
        for version in PolicyVersion.objects.order_by("policy_code", "effective_from"):
            self.versions.setdefault(version.policy_code, []).append(version)
        self.params = {v.pk: v.cleaned_parameters() for vs in self.versions.values() for v in vs}
        self.ids = {m: _next_id(m) for m in (Community, CreationProject, Transition, MonthlyReport,
                                             SpendingRecord)}
        self.orders_model = _optional_model("acceptance", "RectificationOrder")
        if self.orders_model:
            self.ids[self.orders_model] = _next_id(self.orders_model)
        self.buffers: dict[type, list] = {}
        self.names = [f"{a}{b}社区" for a in NAME_CHARS for b in NAME_CHARS if a != b]
        self.created = _at(ANCHOR - dt.timedelta(days=1500), 0)
        self.pending_projects = 0

    def _id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def _row(self, model, row) -> None:
        self.buffers.setdefault(model, []).append(row)

    def _version(self, code: str, on: dt.date) -> PolicyVersion:
        versions = self.versions[code]
        index = bisect.bisect_right([v.effective_from for v in versions], on) - 1
        return versions[max(index, 0)]

    def street(self, street: Region, district: Region, city: Region, model_district: str,
               communities: int, projects_per: list[int], taken_names: set[str]) -> None:
        rng = self.rng
        code_base = 500 if not street.name.endswith(SYNTHETIC) else 1
        chosen = [n for n in rng.sample(self.names, communities + len(taken_names)) if n not in taken_names]
        for index in range(communities):
            community_id = self._id(Community)
            households = _int(rng, 600, 4999)
            self._row(Community, (
                community_id, f"{street.code}{code_base + index:03d}" if street.code else None,
                chosen[index], street.id, households, households * _int(rng, 25, 32) // 10,
                _money(_int(rng, 800, 8999)), BUILT_PERIODS[_int(rng, 0, len(BUILT_PERIODS) - 1)],
                rng.random() < 0.15, rng.random() < 0.1, rng.random() < 0.3, COMMUNITY_NOTE, self.created))
            for _ in range(projects_per[index]):
                self.project(community_id, street, district, city, model_district)
        if self.pending_projects >= CHUNK_PROJECTS:
            self.flush()

    def project(self, community_id, street, district, city, model_district):
        rng = self.rng
        target = rng.choices(STATUSES, cum_weights=STATUS_CUMULATIVE)[0]
        earliest = next(v for k, v in EARLIEST.items() if model_district.startswith(k))
        dates = _timeline(rng, target, earliest)
        bound_on = dates.get("listing") or dates.get("submit") or dates["create"]
        policy = policy_in_force(model_district, bound_on)
        version = self._version(policy.code, bound_on)
        tier = policy.tiers[_int(rng, 0, len(policy.tiers) - 1)]
        steps, status, review_step, phase_counts = self.paths.get(version, tier, target)
        category = "renovation" if rng.random() < 0.75 else "new_build"
        demolition = category == "renovation" and rng.random() < 0.2
        relocation = category == "new_build" and rng.random() < 0.3
        investment = _int(rng, 800, 8999) * 1_000_000  # cents
        project_id = self._id(CreationProject)
        doc = f"{policy.short_name}未来社区〔%d〕{project_id % 997 + 1}号"
        places = {"street": street.id, "district": district.id, "city": city.id, "leading_group": city.id}

        # Transitions, dated by phase; approvals spread evenly inside their phase.
        seen = {"app_review": 0, "acc_review": 0}
        minutes, comment, rectify, previous = 0, "", None, None
        for action, label, step_label, from_status, to_status, level, phase in steps:
            if phase in seen:
                seen[phase] += 1
                first, last = (dates["submit"], dates["app_end"]) if phase == "app_review" else (
                    dates["request"], dates["acc_end"])
                on = first + (last - first) * seen[phase] // (phase_counts[phase] + 1)
            else:
                on = dates[PHASE_DATES.get(action, phase)]
            if previous and on < previous:
                on = previous
            minutes = minutes + 7 if on == previous else _int(rng, 0, 480)
            previous = on
            office_id, user_id = self.actors[(level, places[level])]
            decision = dates.get(DECISIONS[action]) if action in DECISIONS else None
            comment = COMMENTS.get(action, "")
            details = {}
            if action == "issue_rectification":
                due = on + dt.timedelta(days=_int(rng, 30, 90))
                details = {"due_on": due.isoformat()}
                rectify = (on, due, office_id, user_id)
            self._row(Transition, (
                self._id(Transition), project_id, action, label, from_status, to_status, step_label,
                user_id, office_id, _at(on, minutes), comment, doc % decision.year if decision else "",
                decision, details))
        updated = _at(previous, minutes)
        street_user = self.actors[("street", street.id)][1]

        listed_on = dates.get("listing")
        final_comment = comment if status in (S.RETURNED, S.REJECTED, S.TERMINATED, S.RECTIFYING) else ""
        reserve = status == S.RESERVE
        start = (dates["create"] + dt.timedelta(days=_int(rng, 90, 400))).replace(day=1) if reserve else None
        accepted_on, named_on = dates.get("acceptance"), dates.get("naming")
        self._row(CreationProject, (
            project_id, community_id, street.id, tier, category, demolition, relocation,
            ("leading" if rng.random() < 0.3 else "inclusive") if policy.code.startswith("jiaxing") else "",
            (listed_on or dates["create"]).year,
            RESERVE_STAGES[_int(rng, 0, 3)] if reserve else "", street.name, _money(_int(rng, 1000, 8999)),
            _int(rng, 600, 4999), _money(investment), f"{_int(rng, 2000, 59999)}.00", rng.random() < 0.8,
            rng.random() < 0.1, rng.random() < 0.1, start,
            (start + dt.timedelta(days=_int(rng, 300, 900))).replace(day=1) if start else None,
            policy.code, version.pk, status, review_step, len(steps), final_comment,
            listed_on, doc % listed_on.year if listed_on else "",
            dates.get("request") if listed_on and status not in (S.LISTED, S.TERMINATED) else None,
            accepted_on, doc % accepted_on.year if accepted_on else "",
            named_on, doc % named_on.year if named_on else "",
            None, "", status == S.NAMED or (status == S.ACCEPTED and rng.random() < 0.7),
            street_user, _at(dates["create"], 0), updated))
        self.pending_projects += 1

        if listed_on:
            end = accepted_on or dates.get("terminate") or ANCHOR
            self._reports(project_id, listed_on, end, investment, street_user, version, status)
            if status in (S.ACCEPTED, S.NAMED) or rng.random() < 0.3:
                self._spending(project_id, listed_on, end, investment, street_user)
        if rectify and self.orders_model and status == S.RECTIFYING:
            on, due, office_id, user_id = rectify
            self._row(self.orders_model, (self._id(self.orders_model), project_id, user_id, office_id,
                                          _at(on, 30), due, COMMENTS["issue_rectification"]))

    def _reports(self, project_id, listed_on, end, investment, user_id, version, status):
        """月报 of every completed month from listing to `end`, filed in the next month before the
        policy's report day; a few never filed (their deadlines go overdue)."""
        rng, rows, next_id = self.rng, self.buffers.setdefault(MonthlyReport, []), self.ids[MonthlyReport]
        due_day = min(self.params[version.pk].get("monthly_report_day") or 5, 28)
        months = _months(listed_on, end)
        share_of = len(months) + 2
        for index, (year, month) in enumerate(months, start=1):
            if status == S.LISTED and rng.random() < 0.02:
                continue
            filed_year, filed_month = (year + 1, 1) if month == 12 else (year, month + 1)
            minutes = _int(rng, 0, 480)
            at = (f"{filed_year}-{filed_month:02d}-{_int(rng, 1, due_day):02d} "
                  f"{9 + minutes // 60:02d}:{minutes % 60:02d}:00+08:00")
            progress = index * 10000 // share_of
            rows.append((next_id, project_id, f"{year}-{month:02d}-01", _money(progress),
                         _money(investment * index // share_of), "", "", user_id, at, at))
            next_id += 1
        self.ids[MonthlyReport] = next_id

    def _spending(self, project_id, listed_on, end, investment, user_id):
        rng = self.rng
        parts = _int(rng, 2, 5)
        each = investment * _int(rng, 50, 100) // 100 // parts
        for part in range(parts):
            on = _between(rng, listed_on, min(end, ANCHOR))
            self._row(SpendingRecord, (self._id(SpendingRecord), project_id, on, _money(each),
                                       SPENDING[part % len(SPENDING)], user_id, _at(on, 60 + part)))

    def flush(self) -> None:
        w = self.writer
        w.write(Community, ["id", "code", "name", "street_id", "households", "population", "area_ha",
                            "built_period", "hollow_precast_slabs", "has_villas", "has_neighbourhood_centre",
                            "notes", "created_at"], self.buffers.pop(Community, []))
        w.write(CreationProject, [
            "id", "community_id", "street_id", "tier", "category", "involves_demolition",
            "involves_relocation", "jiaxing_kind", "batch_year", "reserve_stage", "responsible_unit",
            "unit_area_ha", "households", "total_investment", "building_area", "government_funded",
            "changes_land_use", "stock_land_used", "planned_start", "planned_finish", "policy_code",
            "policy_version_id", "status", "review_step", "version", "last_comment", "listed_on",
            "listing_document_no", "acceptance_requested_on", "accepted_on", "acceptance_document_no",
            "named_on", "naming_document_no", "construction_deadline", "construction_deadline_basis",
            "spending_final", "created_by_id", "created_at", "updated_at"], self.buffers.pop(CreationProject, []))
        w.write(Transition, ["id", "project_id", "action", "action_label", "from_status", "to_status",
                             "step_label", "actor_id", "office_id", "at", "comment", "document_no",
                             "decision_date", "details"], self.buffers.pop(Transition, []))
        w.write(MonthlyReport, ["id", "project_id", "month", "progress_percent", "investment_completed",
                                "problems", "next_steps", "submitted_by_id", "submitted_at", "updated_at"],
                self.buffers.pop(MonthlyReport, []))
        w.write(SpendingRecord, ["id", "project_id", "spent_on", "amount", "description", "recorded_by_id",
                                 "recorded_at"], self.buffers.pop(SpendingRecord, []))
        if self.orders_model:
            w.write(self.orders_model, ["id", "project_id", "issued_by_id", "office_id", "issued_at",
                                        "due_on", "requirements"], self.buffers.pop(self.orders_model, []))
        self.pending_projects = 0


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


# ---------------------------------------------------------------- entry point


def seed_scale(scale: str, seed: int, stdout, *, derive: bool = True) -> dict[str, int]:
    """Load `scale` on top of the reference data (and demo data, if any). Returns row counts.

    Refuses to run twice on one database (it checks for its communities). `derive` runs the
    deadline sweep and the subsidy computation as of ANCHOR afterwards, where those exist.
    """
    spec = SCALES[scale]
    if scale == "nation" and connection.vendor != "postgresql":
        raise CommandError("--scale nation 需要 PostgreSQL（设置 DATABASE_URL）；SQLite 只用于 demo 与 province")
    if Community.objects.filter(notes=COMMUNITY_NOTE).exists():
        stdout.write("seed_scale: scale data already present; use a fresh database to reseed")
        return {}
    started = time.monotonic()
    rng = random.Random(seed)
    writer = Writer()
    province = Region.objects.get(code="33", level=Region.Level.PROVINCE)
    real_streets = list(Region.objects.filter(level=Region.Level.STREET, path__startswith=province.path)
                        .exclude(name__endswith=SYNTHETIC).select_related("parent__parent").order_by("id"))
    taken: dict[int, set[str]] = {}
    for street_id, name in Community.objects.filter(street__in=real_streets).values_list("street_id", "name"):
        taken.setdefault(street_id, set()).add(name)
    with transaction.atomic(), connection.execute_wrapper(writer.before_query):
        try:
            if writer.postgres:
                with connection.cursor() as cursor:
                    # Foreign keys of the small tables checked per COPY rather than at commit.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET LOCAL synchronous_commit = off")
                writer.set_aside(_bulk_tables())
            ensure_offices()  # the reference units' own (a no-op after load_reference_data)
            synthetic = _build_regions(rng, spec, writer)
            actors = _actors(writer)
            generator = Generator(rng, writer, actors, Paths())
            by_id = {r.id: r for r in Region.objects.filter(level__in=["city", "district"])}
            synthetic_plan = [(street, by_id[street.parent_id], by_id[by_id[street.parent_id].parent_id], model)
                              for street, model in synthetic]
            real_plan = [(s, s.parent, s.parent.parent, s.parent.code) for s in real_streets]
            # Streets in a shuffled order, so ids interleave regions as years of use would (a
            # region's projects are not one block of ids: the planner's estimates stay honest).
            work = []
            for plan, communities, projects in ((real_plan, spec.real_communities, spec.real_projects),
                                                (synthetic_plan, spec.synthetic_communities,
                                                 spec.synthetic_projects)):
                if not plan or not communities:
                    continue
                per_street = _spread(rng, communities, len(plan))
                per_community = _spread(rng, projects, communities)
                offset = 0
                for place, count in zip(plan, per_street, strict=True):
                    work.append((place, count, per_community[offset:offset + count]))
                    offset += count
            rng.shuffle(work)
            for (street, district, city, model), count, projects_per in work:
                generator.street(street, district, city, model, count, projects_per, taken.get(street.id, set()))
            generator.flush()
            writer.restore()
            writer.reset_sequences()
        finally:
            writer.close()
    _construction_deadlines(stdout)
    loaded = time.monotonic()
    writer.analyze()
    counts = dict(writer.counts)
    stdout.write(f"seed_scale {scale} seed={seed}: " + " ".join(f"{k}={v}" for k, v in counts.items())
                 + f" (load {loaded - started:.1f}s, statistics {time.monotonic() - loaded:.1f}s)")
    if derive:
        _derive(stdout)
    stdout.write(f"seed_scale {scale}: done in {time.monotonic() - started:.1f}s")
    return counts


def _construction_deadlines(stdout) -> None:
    """The loaded projects' construction deadline (loaded empty): computed and stored by its one
    owner (projects.deadlines), set-based; the sweep then creates the deadline rows from it."""
    started = time.monotonic()
    projects = (CreationProject.objects.filter(community__notes=COMMUNITY_NOTE, listed_on__isnull=False)
                .select_related("street__parent", "policy_version").order_by("pk"))
    with transaction.atomic():
        count = len(store_construction_deadlines(projects.iterator(chunk_size=5000)))
    stdout.write(f"seed_scale: construction deadlines of {count} listed projects "
                 f"({time.monotonic() - started:.1f}s)")


def _derive(stdout) -> None:
    """Deadlines, alerts and payments as the app derives them, as of ANCHOR (where they exist)."""
    from django.test.utils import override_settings

    # Alerts notify the recipient offices' users; demo users have addresses: send nothing.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for module, function in (("acceptance.sweep", "sweep_deadlines"), ("subsidies.services", "compute_subsidies")):
            try:
                run = getattr(__import__(module, fromlist=[function]), function)
            except (ImportError, AttributeError):
                stdout.write(f"seed_scale: {module}.{function} not available, skipped")
                continue
            started = time.monotonic()
            evening = dt.datetime.combine(ANCHOR, dt.time(19), tzinfo=ZoneInfo("Asia/Shanghai"))
            result = run(today=ANCHOR) if function == "compute_subsidies" else run(today=ANCHOR, now=evening)
            stdout.write(f"seed_scale: {function}({ANCHOR}) {result} ({time.monotonic() - started:.1f}s)")
    started = time.monotonic()
    _analyze()
    stdout.write(f"seed_scale: {'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} "
                 f"({time.monotonic() - started:.1f}s)")
