"""目标考核 (DOMAIN 7): the documents' targets that the other boards do not already show, each
computed per year and per unit with its basis and 统计口径 (which communities or projects
are counted). The targets themselves come from the policies' quotas (policies.*.QUOTAS).

A row binds a unit (city, district or street) wholly in the user's scope; a city target is
judged only for users whose scope is the whole city."""

import datetime as dt

from django.db.models import Count, F, Min, Q

from communities.models import Community, NeighbourhoodCentrePlan, OldTownArea, OldTownUnit, Region
from dashboards import selectors as sel
from dashboards.tables import Board, Percent, Table, share
from policies import get_policy

CREATED = sel.CREATED
URBAN_SCOPE = ("分母：社区档案中标记为城镇社区的在册社区（管理员可在社区档案中维护“城镇社区”）；"
               "分子：其中有已列入创建名单项目（未终止）的社区，同一社区只计一次")


def _end(year: int, today: dt.date) -> dt.date:
    return min(dt.date(year, 12, 31), today)


def _shown(value):
    """Targets mix counts and shares in one column: written as text the page and Excel agree on."""
    if value is None:
        return None
    if isinstance(value, Percent):
        return str(value)
    return f"{value}个" if isinstance(value, int) else str(value)


def _row(target, unit, year, goal, actual, met, basis, scope, undecided="不判断（数据权限非全市）"):
    flag = undecided if met is None else ("达标" if met else "未达标")
    return [target, unit, str(year), _shown(goal), _shown(actual), flag, basis, scope]


def _table(key, title, columns, rows) -> Table:
    table = Table(key, title, columns, rows=rows)
    met = sum(1 for row in rows if row[5] == "达标")
    unmet = sum(1 for row in rows if row[5] == "未达标")
    table.total = [f"共{len(rows)}项", "", "", "", "", f"达标{met}项，未达标{unmet}项", "", ""]
    return table


def _created(user, city_code, cutoff, **filters):
    return (sel._projects(user).filter(street__parent__parent__code=city_code, status__in=CREATED,
                                       listed_on__lte=cutoff, **filters))


def shaoxing_rows(user, today: dt.date, whole_city: bool) -> list[list]:
    rows = []
    quotas = {q["key"]: q for q in get_policy("shaoxing-2023").quotas()}
    # 一：“到2026年，建设未来社区300个以上”
    total = quotas["future_communities"]
    built = _created(user, sel.SHAOXING, _end(total["year"], today)).count()
    rows.append(_row(total["label"], "绍兴市", total["year"], total["target"], built,
                     built >= total["target"] if whole_city else None, total["basis"],
                     "已列入创建名单（未终止）的各级未来社区项目数，以列入名单日期计，截至目标年度末或今日"))
    # 一：“覆盖全市城镇社区数量88%以上”
    coverage = quotas["urban_coverage"]
    urban = Community.objects.visible_to(user).filter(street__parent__parent__code=sel.SHAOXING, is_urban=True)
    counts = urban.aggregate(n=Count("id", distinct=True),
                             covered=Count("id", distinct=True, filter=Q(projects__status__in=CREATED)))
    rate = share(counts["covered"], counts["n"])
    rows.append(_row(coverage["label"], "绍兴市", coverage["year"], Percent(coverage["target"]),
                     rate, (rate or 0) >= coverage["target"] if whole_city else None, coverage["basis"],
                     URBAN_SCOPE + f"（分母{counts['n']}个，分子{counts['covered']}个）"))
    # 二(一)：“到2025年，省级未来社区覆盖率每年递增10%左右”
    step = quotas["provincial_coverage_increase"]
    denominator = counts["n"]  # the urban communities, counted above
    first_listed = {}
    # the communities as a sub-query: at nation scale a list of ~10,000 ids cost more than its SQL
    for row in (sel._projects(user).filter(community__in=urban.values("id"), tier="provincial", status__in=CREATED)
                .values("community_id").annotate(first=Min("listed_on")).order_by()):
        first_listed[row["community_id"]] = row["first"]
    for year in range(2023, step["year"] + 1):
        if dt.date(year, 1, 1) > today:
            break
        before = sum(1 for day in first_listed.values() if day and day <= dt.date(year - 1, 12, 31))
        now = sum(1 for day in first_listed.values() if day and day <= _end(year, today))
        increase = share(now - before, denominator)
        rows.append(_row(step["label"], "绍兴市", year, Percent(step["target"]), increase,
                         (increase or 0) >= step["target"] if whole_city else None, step["basis"],
                         "省级覆盖率＝有省级创建项目的城镇社区÷城镇社区；递增值＝本年末覆盖率－上年末覆盖率"
                         "（平台理解为提高10个百分点左右）"))
    # 二(一)：“旧改类联动老旧小区改造，原则上联动建设比例不少于旧改类社区的50%”
    linked = quotas["linked_old_estate_share"]
    for district in (sel.regions_in_scope(user, Region.Level.DISTRICT).filter(parent__code=sel.SHAOXING)
                     .annotate(renovation=Count("children__projects", filter=Q(
                         children__projects__category="renovation", children__projects__status__in=CREATED)),
                         linked=Count("children__projects", filter=Q(
                             children__projects__category="renovation",
                             children__projects__status__in=CREATED,
                             children__projects__linked_old_estate_renovation=True)))
                     .order_by("code")):
        rate = share(district.linked, district.renovation)
        rows.append(_row(linked["label"], district.name, "各年度", Percent(linked["target"]), rate,
                         (rate or 0) >= linked["target"] if district.renovation else None, linked["basis"],
                         f"已列入创建名单（未终止）的旧改类项目{district.renovation}个，"
                         f"其中标记“联动老旧小区改造”的{district.linked}个", undecided="不判断（尚无旧改类项目）"))
    return rows


def shaoxing_2019_rows(user, today: dt.date, whole_city: bool) -> list[list]:
    """绍兴2019 一(三)“到2021年底，培育建设省级试点6个左右”, 二(二)“各区、县(市)各培育建设1个省级试点项目”."""
    quotas = {q["key"]: q for q in get_policy("shaoxing-2019").quotas()}
    pilots, each = quotas["provincial_pilots"], quotas["provincial_pilot_per_district"]
    cutoff = _end(pilots["year"], today)
    scope = "列入省级创建名单（未终止）的项目，以列入名单日期计，截至2021年12月31日"
    count = _created(user, sel.SHAOXING, cutoff, tier="provincial").count()
    rows = [_row(pilots["label"], "绍兴市", pilots["year"], pilots["target"], count,
                 count >= pilots["target"] if whole_city else None, pilots["basis"], scope)]
    for district in (sel.regions_in_scope(user, Region.Level.DISTRICT).filter(parent__code=sel.SHAOXING)
                     .annotate(n=Count("children__projects", filter=Q(
                         children__projects__tier="provincial", children__projects__status__in=CREATED,
                         children__projects__listed_on__lte=cutoff)))
                     .order_by("code")):
        rows.append(_row(each["label"], district.name, each["year"], each["target"], district.n,
                         district.n >= each["target"], each["basis"], scope))
    return rows


def jiaxing_rows(user, today: dt.date) -> list[list]:
    """嘉兴 一(三) 全域推广阶段：“每个镇(街道)申报1个以上省级未来社区创建项目，实现未来社区镇(街道)创建全覆盖”."""
    [quota] = sel.quotas("jiaxing-2023", "provincial_application_coverage")
    rows = []
    applied = Q(communities__projects__tier="provincial",
                communities__projects__batch_year__lte=quota["year"]) & ~Q(
        communities__projects__status__in=sel.NOT_APPLIED)
    streets = (sel.regions_in_scope(user, Region.Level.STREET).filter(parent__parent__code=sel.JIAXING)
               .annotate(applied=Count("communities__projects", filter=applied))
               .values("parent__name", "parent__code", "applied").order_by("parent__code"))
    by_district: dict[str, list[int]] = {}
    for street in streets:
        counts = by_district.setdefault(street["parent__name"], [0, 0])
        counts[0] += 1
        counts[1] += street["applied"] > 0
    for name, (total, done) in by_district.items():
        rows.append(_row(quota["label"], name, quota["year"], f"{total}个镇（街道）全覆盖", done,
                         done >= total, quota["basis"],
                         "区内每个镇、街道至少有1个已提交申报（不含谋划储备、草稿、已撤回）的省级创建项目，"
                         "以创建年度计，至2023年度"))
    return rows


def fuyang_rows(user, today: dt.date) -> list[list]:
    """富阳 三：“在2023年底前每个街道（重点乡镇）至少创建完成1个未来社区项目”."""
    [quota] = sel.quotas("fuyang-2021", "completed_per_street")
    cutoff = _end(quota["year"], today)
    done = Q(communities__projects__accepted_on__lte=cutoff,
             communities__projects__status__in=sel.BUILT)
    streets = (sel.regions_in_scope(user, Region.Level.STREET).filter(parent__code=sel.FUYANG)
               .filter(Q(kind="街道") | Q(is_key_township=True))
               .annotate(done=Count("communities__projects", filter=done)).order_by("code"))
    return [_row(quota["label"], street.name + ("（重点乡镇）" if street.is_key_township else ""), quota["year"],
                 quota["target"], street.done, street.done >= quota["target"], quota["basis"],
                 "考核全部街道和管理员标记的重点乡镇；完成＝已通过验收（含已命名），以验收通过日期计，"
                 "截至2023年12月31日")
            for street in streets]


YUECHENG = "330602"
OLD_TOWN_SCOPE = ("越城区录入的古城片区、单元（建设时序见“古城片区、单元建设时序表”）；单元建成＝单元内有已通过验收"
                  "（含已命名）的项目；片区建成＝其全部单元均已建成；片区开工年度＝其单元内项目最早列入创建名单的年度")


def old_town(user, today: dt.date):
    """绍兴2023 二(二)：“明确9大片区、18个单元建设时序和建设主体…围绕2026年全面建成…原则上每年至少建设
    2个片区”: (target rows, the build-sequence table rows) for 越城区 when wholly in scope."""
    if not sel.regions_in_scope(user, Region.Level.DISTRICT).filter(code=YUECHENG).exists():
        return [], []
    quotas = {q["key"]: q for q in get_policy("shaoxing-2023").quotas()}
    units = list(OldTownUnit.objects.filter(area__district__code=YUECHENG)
                 .annotate(built=Count("projects", filter=Q(projects__status__in=sel.BUILT,
                                                            projects__accepted_on__lte=today)),
                           started=Min("projects__listed_on", filter=Q(projects__status__in=CREATED)))
                 .select_related("area").order_by("area__build_order", "build_order", "name"))
    areas: dict[int, dict] = {}
    for unit in units:
        area = areas.setdefault(unit.area_id, {"area": unit.area, "units": [], "started": None})
        area["units"].append(unit)
        if unit.started and (area["started"] is None or unit.started < area["started"]):
            area["started"] = unit.started
    area_count = OldTownArea.objects.filter(district__code=YUECHENG).count()
    built_units = sum(1 for unit in units if unit.built)
    built_areas = sum(1 for a in areas.values() if a["units"] and all(u.built for u in a["units"]))
    scope = f"{OLD_TOWN_SCOPE}（已录入片区{area_count}个、单元{len(units)}个）"
    total_areas, total_units, per_year = (quotas["old_town_areas"], quotas["old_town_units"],
                                          quotas["old_town_areas_per_year"])
    rows = [
        _row(total_areas["label"] + "（建成）", "越城区", total_areas["year"], total_areas["target"], built_areas,
             built_areas >= total_areas["target"], total_areas["basis"], scope),
        _row(total_units["label"] + "（建成）", "越城区", total_units["year"], total_units["target"], built_units,
             built_units >= total_units["target"], total_units["basis"], scope),
    ]
    for year in range(2023, per_year["year"] + 1):
        if dt.date(year, 1, 1) > today:
            break
        started = sum(1 for a in areas.values() if a["started"] and a["started"].year == year)
        rows.append(_row(per_year["label"] + "（开工）", "越城区", year, per_year["target"], started,
                         started >= per_year["target"], per_year["basis"], scope))
    sequence = [[a["area"].build_order, a["area"].name, unit.build_order, unit.name,
                 unit.planned_year or a["area"].planned_year, unit.builder or a["area"].builder or None,
                 unit.started, "已建成" if unit.built else ("建设中" if unit.started else "未开工")]
                for a in areas.values() for unit in a["units"]]
    return rows, sequence


CENTRE_SCOPE = ("各区、县（市）录入的邻里中心布点规划和三年建设计划（绍兴2023 二(四)）：计划数为计划在该年度建设的"
                "邻里中心点位数，实际数为其中已在该年底前建成的点位数；“原则上一个社区配置一个邻里中心”")


def centre_rows(user, today: dt.date) -> list[list]:
    """绍兴2023 二(四) 邻里中心: per district and planned year, planned centres against those built."""
    rows = []
    plans = (NeighbourhoodCentrePlan.objects.visible_to(user).filter(district__parent__code=sel.SHAOXING)
             .values("district__name", "district__code", "planned_year")
             .annotate(planned=Count("id"),
                       built=Count("id", filter=Q(built_on__isnull=False, built_on__year__lte=F("planned_year"))),
                       built_now=Count("id", filter=Q(built_on__isnull=False, built_on__lte=today)))
             .order_by("district__code", "planned_year"))
    for plan in plans:
        year = plan["planned_year"]
        due = dt.date(year, 12, 31) < today
        rows.append(_row("邻里中心三年建设计划完成情况", plan["district__name"], year, plan["planned"],
                         plan["built"], plan["built"] >= plan["planned"] if due else None,
                         "绍兴2023 二(四)", CENTRE_SCOPE + f"（至今已建成{plan['built_now']}个）",
                         undecided="计划年度未结束"))
    return rows


def targets_board(user, params, today) -> Board:
    cities = sel.cities_touching_scope(user)
    whole = sel.cities_wholly_in_scope(user)
    columns = ["目标", "考核对象", "目标年度", "目标值", "实际值", "完成情况", "依据", "统计口径"]
    tables = []
    if sel.SHAOXING in cities:
        tables.append(_table("targets_shaoxing", "绍兴市未来社区目标完成情况表（绍政办发〔2023〕21号）", columns,
                             shaoxing_rows(user, today, sel.SHAOXING in whole)))
        tables.append(_table("targets_shaoxing_2019", "绍兴市省级试点目标完成情况表（绍政办发〔2019〕39号）",
                             columns, shaoxing_2019_rows(user, today, sel.SHAOXING in whole)))
        tables.append(_table("targets_centres", "绍兴市邻里中心布点规划和三年建设计划完成情况表", columns,
                             centre_rows(user, today)))
        old_town_rows, sequence = old_town(user, today)
        tables.append(_table("targets_old_town", "越城区古城全域未来社区目标完成情况表", columns, old_town_rows))
        tables.append(Table("old_town_sequence", "古城片区、单元建设时序表",
                            ["片区时序", "片区", "单元时序", "单元", "计划建设年度", "建设主体", "开工（列入名单）",
                             "状态"], rows=sequence,
                            total=[f"共{len(sequence)}个单元", "", "", "", "", "", "", ""] if sequence else None))
    if sel.JIAXING in cities:
        tables.append(_table("targets_jiaxing", "嘉兴市镇（街道）省级申报全覆盖目标完成情况表", columns,
                             jiaxing_rows(user, today)))
    if sel.HANGZHOU in cities:
        tables.append(_table("targets_fuyang", "富阳区街道（重点乡镇）创建完成目标情况表", columns,
                             fuyang_rows(user, today)))
    board = Board("targets", "目标考核", [t for t in tables if t.rows],
                  notes=["每行给出目标的依据（政策条款）与统计口径（计入哪些社区或项目）。",
                         "市级目标仅对数据权限为全市的用户判断是否达标；区、街道目标按整区、整街道统计。",
                         "嘉兴累计创建、建成、命名目标及覆盖率见“覆盖率与累计目标”，各镇（街道）年度申报见"
                         "“街道年度考核”；绍兴年度计划见“年度创建计划完成情况”。"])
    if not board.tables:
        board.empty_message = "您的数据权限内没有可考核的目标。"
    return board

