"""Dashboard reads (看板数据). DOMAIN §7.

Each function returns plain rows (dicts) counted in SQL with annotate/aggregate, a fixed
number of queries whatever the number of projects, and every row goes through
communities.scope: what a user cannot see is never counted.

The statements are compiled once per key (portal.compiled.rows): every uncached board spent more
Python building and compiling its querysets than PostgreSQL spent running them. Each key names
everything its queryset depends on: the user's scope (scope_token) and the function's arguments.
"""

import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from communities.models import Community, Region
from communities.scope import region_filter, scope_token
from dashboards.models import AnnualPlan, RollingLibraryEntry
from policies import get_policy
from portal import compiled
from projects.models import LEFT_STATUSES, LISTED_STATUSES, CreationProject, Status
from projects.selectors import overdue_q

HANGZHOU, JIAXING, SHAOXING = "3301", "3304", "3306"
FUYANG = "330111"
CITY_NAMES = {HANGZHOU: "杭州市", JIAXING: "嘉兴市", SHAOXING: "绍兴市"}
TIERS = ("provincial", "municipal", "county")

# The stages the targets count, read from statuses (the page states the same definitions).
CREATED = frozenset({*LISTED_STATUSES, Status.ACCEPTED, Status.NAMED})
BUILT = frozenset({Status.ACCEPTED, Status.NAMED})
NAMED = frozenset({Status.NAMED})
STAGES = {
    # stage: (statuses, date it was reached, definition shown on the page)
    "created": (CREATED, "listed_on", "创建＝已列入创建名单且未终止（创建中、已申请验收、验收审核中、整改中、"
                                      "已通过验收、已命名），以列入名单日期计"),
    "built": (BUILT, "accepted_on", "建成＝已通过验收（含已命名），以验收通过日期计"),
    "named": (NAMED, "named_on", "命名＝已命名，以命名日期计"),
}
# 嘉兴 一(三) quota key → the stage it counts (the tier comes from the quota itself)
JIAXING_CUMULATIVE = {"provincial_created": "created", "provincial_built": "built",
                      "municipal_named": "named"}
COVERAGE_QUOTAS = {SHAOXING: ("shaoxing-2023", "urban_coverage"),
                   JIAXING: ("jiaxing-2023", "provincial_coverage")}
# 绍兴2023 二(一)：“下辖社区10个及以上的街道每年不少于2个” — the threshold is in the clause's text.
SHAOXING_MANY_COMMUNITIES = 10
NOT_APPLIED = (Status.RESERVE, Status.DRAFT, Status.WITHDRAWN)


def quotas(policy_code: str, key: str) -> list[dict]:
    return [q for q in get_policy(policy_code).quotas() if q["key"] == key]


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# ---------------------------------------------------------------- regions in scope


def regions_in_scope(user, level: str):
    """Regions of `level` lying wholly inside the user's scope (a street user has no district).

    Region has no scope_field of its own: pairing `parent__children` with the region's own
    pk inside one filter() makes that joined row the region itself, so region_filter decides.
    """
    condition = region_filter(user, "parent__children")
    if condition is None:
        return Region.objects.none()
    return Region.objects.filter(Q(parent__children=F("pk")) & condition, level=level, is_active=True)


def regions_touching_scope(user, level: str):
    """Districts (level "district") or cities ("city") with at least one street in scope."""
    below = {Region.Level.DISTRICT: "children", Region.Level.CITY: "children__children"}[level]
    condition = region_filter(user, below)
    if condition is None:
        return Region.objects.none()
    return Region.objects.filter(condition, level=level, is_active=True).distinct()


def cities_touching_scope(user) -> set[str]:
    return {row["code"] for row in compiled.rows(
        ("dashboards.cities_touching_scope", scope_token(user)),
        lambda: regions_touching_scope(user, Region.Level.CITY).values("code"))}


def cities_wholly_in_scope(user) -> set[str]:
    return {row["code"] for row in compiled.rows(
        ("dashboards.cities_wholly_in_scope", scope_token(user)),
        lambda: regions_in_scope(user, Region.Level.CITY).values("code"))}


def _projects(user):
    return CreationProject.objects.visible_to(user)


# ---------------------------------------------------------------- 1. plan vs actual


# 绍兴2023 附件 counts “YYYY 年创建数” per district and tier. A project is one of its year's
# creations when it was put on the creation list (列入创建名单) that year: a later termination
# does not undo the year's listing, while 申报不通过 and 撤回 end an application before the list
# (DOMAIN §3.1), so such a project never counts, whatever date it carries.
PLAN_COUNTED = frozenset({*CREATED, Status.TERMINATED})
PLAN_ACTUAL_NOTE = ("实际数：当年列入创建名单的项目数（以列入名单日期所在年度计，按创建级别统计，"
                    "含此后终止的项目，不含申报不通过和已撤回的项目）；已通过验收数为其中已通过验收"
                    "（含已命名）的项目数。")


def annual_plans(user, year: int | None = None, district_code: str | None = None):
    """The annual plan rows (绍兴2023 附件) of Shaoxing districts wholly in the user's scope."""
    plans = AnnualPlan.objects.visible_to(user).filter(district__parent__code=SHAOXING)
    if year:
        plans = plans.filter(year=year)
    if district_code:
        plans = plans.filter(district__code=district_code)
    return plans


def plan_vs_actual(user, year: int | None = None, district_code: str | None = None) -> list[dict]:
    """年度创建计划完成情况 (绍兴2023 附件): per district, year and tier, the planned number, the
    projects actually listed that year at that tier (`actual`, PLAN_COUNTED) and how many of them
    are accepted (`accepted`). The one source of the dashboard table and the Excel report.
    Districts wholly in the user's scope only: the plan binds a district, not part of one."""
    scope = scope_token(user)
    plans = compiled.rows(
        ("dashboards.annual_plans", scope, year, district_code),
        lambda: annual_plans(user, year, district_code).order_by("district__path", "year", "tier").values(
            "district_id", "year", "tier", "planned", "basis", district_name=F("district__name"),
            district_code=F("district__code"), district_path=F("district__path")))
    years = sorted({row["year"] for row in plans})
    districts = sorted({row["district_id"] for row in plans})
    listed = compiled.rows(
        ("dashboards.plan_listed", scope, tuple(districts), tuple(years)),
        lambda: _projects(user)
        .filter(street__parent_id__in=districts, listed_on__year__in=years, status__in=PLAN_COUNTED)
        .values("tier", district_id=F("street__parent_id"), year=ExtractYear("listed_on"))
        .annotate(count=Count("id"), accepted=Count("id", filter=Q(status__in=BUILT)))
        .order_by()) if years else []
    actual = {(r["district_id"], r["year"], r["tier"]): r for r in listed}
    for row in plans:
        found = actual.get((row["district_id"], row["year"], row["tier"]), {})
        row["actual"] = found.get("count", 0)
        row["accepted"] = found.get("accepted", 0)
    rank = {tier: i for i, tier in enumerate(TIERS)}
    return sorted(plans, key=lambda r: (r["district_code"] or "", r["year"], rank[r["tier"]]))


# 富阳 and 嘉兴 publish no per-district plan table like 绍兴's 附件; their yearly plans are:
# 富阳 附件1 (each library project's 计划完工 year) and 嘉兴 二(二)5 (every 镇(街道) applies at
# least once a year). Each row says which communities or streets it counts (scope).
FUYANG_PLAN_SCOPE = ("富阳 附件1 年度轮动项目库中计划完工月份在该年度的项目：计划数为项目个数，实际数为其中已列入"
                     "创建名单的（含此后终止的），已通过验收数为该年12月31日前通过验收的")
JIAXING_PLAN_SCOPE = ("嘉兴 二(二)5 各镇(街道)每年至少申报1个以上未来社区创建项目：计划数为区内镇、街道个数，"
                      "实际数为该创建年度已提交申报（不限级别，不含谋划储备、草稿、已撤回）的镇、街道个数")


def other_plans(user, year: int | None = None, district_code: str | None = None,
                today: dt.date | None = None) -> list[dict]:
    """年度创建计划完成情况 rows of 富阳 and 嘉兴, in the shape of plan_vs_actual (plus `scope`,
    the 统计口径), for districts wholly in the user's scope."""
    districts = {r["id"]: r for r in regions_in_scope(user, Region.Level.DISTRICT)
                 .filter(Q(code=FUYANG) | Q(parent__code=JIAXING))
                 .filter(**({"code": district_code} if district_code else {}))
                 .values("id", "code", "name", "path")}
    rows = []
    fuyang = next((d for d in districts.values() if d["code"] == FUYANG), None)
    if fuyang:
        rows += _fuyang_plan(user, fuyang, year)
    jiaxing = [d for d in districts.values() if d["code"] != FUYANG]
    if jiaxing:
        rows += _jiaxing_plan(user, jiaxing, year, today or timezone.localdate())
    return sorted(rows, key=lambda r: (r["district_code"], r["year"]))


def _plan_row(district, year, planned, actual, accepted, basis, scope):
    return {"district_id": district["id"], "district_name": district["name"],
            "district_code": district["code"], "district_path": district["path"], "year": year,
            "tier": None, "tier_label": "不限级别", "planned": planned, "actual": actual,
            "accepted": accepted, "basis": basis, "scope": scope}


def _fuyang_plan(user, district, year):
    entries = list(RollingLibraryEntry.objects.filter(community__street__path__startswith=district["path"])
                   .values("community_id", "planned_finish"))
    projects = {}
    for project in (_projects(user).filter(community_id__in={e["community_id"] for e in entries},
                                           status__in=PLAN_COUNTED, listed_on__isnull=False)
                    .values("community_id", "accepted_on")):
        best = projects.get(project["community_id"])
        if best is None or (project["accepted_on"] and (not best["accepted_on"]
                                                        or project["accepted_on"] < best["accepted_on"])):
            projects[project["community_id"]] = project
    by_year = defaultdict(lambda: [0, 0, 0])
    for entry in entries:
        finish = entry["planned_finish"].year
        counts = by_year[finish]
        counts[0] += 1
        project = projects.get(entry["community_id"])
        if project:
            counts[1] += 1
            counts[2] += bool(project["accepted_on"] and project["accepted_on"] <= dt.date(finish, 12, 31))
    return [_plan_row(district, plan_year, *counts, "富阳 三、附件1", FUYANG_PLAN_SCOPE)
            for plan_year, counts in sorted(by_year.items()) if year in (None, plan_year)]


def _jiaxing_plan(user, districts, year, today):
    first = quotas("jiaxing-2023", "applications_per_street")[0]
    years = [year] if year else list(range(2023, today.year + 1))
    streets = (Region.objects.filter(parent_id__in=[d["id"] for d in districts], level=Region.Level.STREET,
                                     is_active=True, is_functional_zone=False)
               .values("parent_id").annotate(n=Count("id")).order_by())
    street_counts = {row["parent_id"]: row["n"] for row in streets}
    applied = defaultdict(int)
    for row in (_projects(user).filter(street__parent_id__in=[d["id"] for d in districts], batch_year__in=years)
                .exclude(status__in=NOT_APPLIED).values("street__parent_id", "batch_year")
                .annotate(streets=Count("street_id", distinct=True)).order_by()):
        applied[(row["street__parent_id"], row["batch_year"])] = row["streets"]
    return [_plan_row(district, plan_year, street_counts.get(district["id"], 0) * first["target"],
                      applied[(district["id"], plan_year)], None, first["basis"], JIAXING_PLAN_SCOPE)
            for district in sorted(districts, key=lambda d: d["code"]) for plan_year in years]


# ---------------------------------------------------------------- 2. coverage and targets


def coverage_by_district(user, cutoff: dt.date | None = None) -> list[dict]:
    """Communities on file in scope per district and how many have a created project: at any
    tier (covered) and per tier (covered_<tier>). Districts with no community on file have no
    denominator and are left out. With `cutoff`, only projects listed on or before it count
    (a year's assessment reads the coverage at the end of its year)."""
    def build():
        listed = Q(projects__listed_on__lte=cutoff) if cutoff else Q()
        by_tier = {f"covered_{tier}": Count("id", distinct=True,
                                            filter=Q(projects__status__in=CREATED, projects__tier=tier) & listed)
                   for tier in TIERS}
        return (Community.objects.visible_to(user)
                .filter(street__parent__parent__code__in=COVERAGE_QUOTAS)
                .values(city_code=F("street__parent__parent__code"), district_code=F("street__parent__code"),
                        district_name=F("street__parent__name"))
                .annotate(communities=Count("id", distinct=True),
                          covered=Count("id", distinct=True, filter=Q(projects__status__in=CREATED) & listed),
                          **by_tier)
                .order_by("city_code", "district_code"))

    return compiled.rows(("dashboards.coverage_by_district", scope_token(user), cutoff), build)


def jiaxing_cumulative(user, today: dt.date) -> list[dict]:
    """嘉兴 一(三) cumulative targets: for each quota, the projects at its tier that reached its
    stage by the end of its year (or by today when that is still ahead)."""
    targets = [q for key in JIAXING_CUMULATIVE for q in quotas("jiaxing-2023", key)]

    def build():
        counts = {}
        for index, quota in enumerate(targets):
            statuses, date_field, _ = STAGES[JIAXING_CUMULATIVE[quota["key"]]]
            cutoff = min(dt.date(quota["year"], 12, 31), today)
            counts[f"n{index}"] = Count("id", filter=Q(tier=quota["tier"], status__in=statuses,
                                                       **{f"{date_field}__lte": cutoff}))
        return _projects(user).filter(street__parent__parent__code=JIAXING), counts

    shape = tuple((quota["key"], quota["tier"], quota["year"]) for quota in targets)
    totals = compiled.aggregate(("dashboards.jiaxing_cumulative", scope_token(user), today, shape),
                                build) if targets else {}
    return [{**quota, "stage": JIAXING_CUMULATIVE[quota["key"]],
             "cutoff": min(dt.date(quota["year"], 12, 31), today), "actual": totals[f"n{index}"]}
            for index, quota in enumerate(targets)]


# ---------------------------------------------------------------- 3. street quotas


COUNT_SOURCES = {"reference": "管理员维护的下辖社区数", "on_file": "平台在册社区数（未维护下辖社区数时的默认）"}


def street_quotas(user, year: int) -> list[dict]:
    """Each assessed street in scope against its yearly quota.

    绍兴2023 二(一) “所有街道…原则上每个街道每年不少于1个，其中下辖社区10个及以上的街道每年
    不少于2个”: 街道 only (not 镇 or 乡), municipal projects listed that year; the number of
    communities under the street is the administrator's reference figure, else the communities
    on file (`count_source` says which). 嘉兴 二(二)5 “各镇(街道)每年至少申报1个以上未来社区创建
    项目”: every 镇 and 街道, applications of any tier of that 创建年度 (submitted: not 谋划储备,
    草稿 or 已撤回)."""
    shaoxing_one = quotas("shaoxing-2023", "municipal_per_street")[0]
    shaoxing_two = quotas("shaoxing-2023", "municipal_per_street_10_plus_communities")[0]
    jiaxing_one = quotas("jiaxing-2023", "applications_per_street")[0]
    scope = scope_token(user)
    streets = compiled.rows(
        ("dashboards.assessed_streets", scope),
        lambda: regions_in_scope(user, Region.Level.STREET)
        .filter(Q(parent__parent__code=SHAOXING, kind="街道") | Q(parent__parent__code=JIAXING))
        .annotate(communities_on_file=Count("communities", distinct=True))
        .order_by("parent__parent__code", "parent__code", "code", "pk")
        .values("id", "code", "name", "kind", "communities_on_file", "community_count",
                district_name=F("parent__name"), district_code=F("parent__code"),
                city_code=F("parent__parent__code")))
    counts = {row["street_id"]: row for row in compiled.rows(
        ("dashboards.street_quota_counts", scope, year, shaoxing_one["tier"]),
        lambda: _projects(user).filter(street__parent__parent__code__in=(SHAOXING, JIAXING))
        .values("street_id")
        .annotate(shaoxing=Count("id", filter=Q(tier=shaoxing_one["tier"], listed_on__year=year)),
                  jiaxing=Count("id", filter=Q(batch_year=year) & ~Q(status__in=NOT_APPLIED)))
        .order_by())}
    for street in streets:
        found = counts.get(street["id"], {})
        reference = street["community_count"]
        street["count_source"] = COUNT_SOURCES["reference" if reference is not None else "on_file"]
        street["community_count"] = reference if reference is not None else street["communities_on_file"]
        if street["city_code"] == SHAOXING:
            quota = shaoxing_two if street["community_count"] >= SHAOXING_MANY_COMMUNITIES else shaoxing_one
            street["count"] = found.get("shaoxing", 0)
        else:
            quota = jiaxing_one
            street["count"] = found.get("jiaxing", 0)
        street["quota"] = quota
        street["required"] = quota["target"]
        street["met"] = street["count"] >= quota["target"]
    return streets


# ---------------------------------------------------------------- 4. overdue


def overdue_by_district(user, today: dt.date | None = None) -> list[dict]:
    """Per district with a street in scope: projects under construction (已列入创建名单至验收
    前) and those past their construction deadline while still listed (projects.selectors)."""
    scope, day = scope_token(user), today or timezone.localdate()
    districts = compiled.rows(
        ("dashboards.districts_touching_scope", scope),
        lambda: regions_touching_scope(user, Region.Level.DISTRICT)
        .order_by("code").values("id", "code", "name", city_name=F("parent__name")))
    counts = {row["district_id"]: row for row in compiled.rows(
        ("dashboards.overdue_counts", scope, day),
        lambda: _projects(user).values(district_id=F("street__parent_id"))
        .annotate(listed=Count("id", filter=Q(status__in=LISTED_STATUSES)),
                  overdue=Count("id", filter=overdue_q(day)))
        .order_by())}
    for district in districts:
        found = counts.get(district["id"], {})
        district["listed"] = found.get("listed", 0)
        district["overdue"] = found.get("overdue", 0)
    return districts


# ---------------------------------------------------------------- 5. Fuyang 挂图作战


def fuyang_rolling_library(user, today: dt.date) -> list[dict]:
    """富阳 附件1 年度轮动项目库 in scope: exactly the library's entries (RollingLibraryEntry),
    planned (计划开工 → 计划完工 month end, from 附件1) and actual (列入名单 → 验收通过, or today
    while under way; none once terminated) of each community's project, with a progress flag.
    A community's project is its open one (not 不予通过, 撤回 or 终止), else its latest."""
    scope = scope_token(user)
    rows = compiled.rows(
        ("dashboards.rolling_library", scope),
        lambda: RollingLibraryEntry.objects.visible_to(user)
        .order_by("planned_finish", F("planned_start").asc(nulls_last=True), "seq")
        .values("seq", "community_id", "responsible_unit", "planned_start", "planned_finish",
                community_name=F("community__name"), street_name=F("community__street__name")))
    communities = sorted({row["community_id"] for row in rows})
    chosen = {}
    for project in compiled.rows(
            ("dashboards.rolling_library_projects", scope, tuple(communities)),
            lambda: _projects(user).filter(community_id__in=communities).order_by("community_id", "pk")
            .values("id", "community_id", "name", "tier", "status", "listed_on", "accepted_on")):
        current = chosen.get(project["community_id"])
        if current is None or project["status"] not in LEFT_STATUSES or current["status"] in LEFT_STATUSES:
            chosen[project["community_id"]] = project
    for row in rows:
        project = chosen.get(row["community_id"], {})
        row.update(id=project.get("id"), name=project.get("name", ""), tier=project.get("tier"),
                   status=project.get("status"), listed_on=project.get("listed_on"),
                   accepted_on=project.get("accepted_on"))
        row["planned_end"] = month_end(row["planned_finish"])
        under_way = row["listed_on"] and row["status"] not in LEFT_STATUSES
        row["actual_end"] = row["accepted_on"] or (today if under_way else None)
        row["progress"] = _progress(row, today)
    return rows


def _progress(row, today: dt.date) -> str:
    if row["status"] is None and today < (row["planned_start"] or row["planned_finish"]):
        return "未到计划开工（尚未建立项目）"
    if row["status"] is None:
        return "未按计划启动（尚未建立项目）"
    if row["status"] in LEFT_STATUSES:
        return Status(row["status"]).label
    if row["accepted_on"]:
        return "按期完成" if row["accepted_on"] <= row["planned_end"] else "逾期完成"
    if row["listed_on"]:
        return "超计划完工" if today > row["planned_end"] else "实施中"
    start = row["planned_start"] or row["planned_finish"]
    return "未按计划启动" if today >= start else "未到计划开工"
