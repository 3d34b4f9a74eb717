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

Modules: scale_plan (the scales, ANCHOR, shared value helpers), scale_loader (the Writer:
COPY and batched inserts), scale_regions (synthetic regions, offices, acting users),
scale_projects (communities, projects, transitions), scale_records (monthly reports and
spending); this one runs them in order and then the derivations.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.db import connection, transaction

from communities.models import Community, Region
from communities.offices import ensure_offices
from demo.scale_loader import Writer, _analyze, _bulk_tables
from demo.scale_plan import ANCHOR, COMMUNITY_NOTE, SCALES, SYNTHETIC, _spread
from demo.scale_projects import Generator, Paths
from demo.scale_regions import _actors, _build_regions
from portal import generation
from projects.deadlines import store_construction_deadlines
from projects.models import CreationProject

__all__ = ["ANCHOR", "COMMUNITY_NOTE", "SCALES", "SYNTHETIC", "seed_scale"]


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
    generation.changed()  # written with COPY and raw SQL: no model signal saw it
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
    from projects.counts import recount

    stdout.write(f"seed_scale: project counts recounted into {recount()} rows")
    started = time.monotonic()
    _analyze()
    stdout.write(f"seed_scale: {'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} "
                 f"({time.monotonic() - started:.1f}s)")
