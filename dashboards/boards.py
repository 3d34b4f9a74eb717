"""What each dashboard page shows: tables (also the exports), charts and the definitions.

Numbers come from dashboards.selectors; targets, their labels and their basis
come from the policies' quotas (policies.*.QUOTAS), never typed here.
"""

import datetime as dt
import math
from collections import defaultdict

from django.urls import reverse

from dashboards import selectors as sel
from dashboards.permissions import can_view_board
from dashboards.tables import Board, Link, Table, share
from policies.base import TIER_LABELS
from portal import menu
from portal.validators import ascii_int
from projects.models import CreationProject, Status

# key: (title, description, cities whose users it concerns; None = everyone)
BOARDS = {
    "plan": ("年度创建计划完成情况", "绍兴市各区、县（市）按年度、级别的计划数与实际列入数（绍兴2023 附件）",
             {sel.SHAOXING}),
    "coverage": ("覆盖率与累计目标", "城镇社区覆盖率（绍兴88%、嘉兴60%）与嘉兴累计创建、建成、命名目标",
                 {sel.SHAOXING, sel.JIAXING}),
    "quotas": ("街道年度考核", "绍兴每个街道每年的市级创建、嘉兴每个镇（街道）每年的创建申报是否达标",
               {sel.SHAOXING, sel.JIAXING}),
    "overdue": ("逾期预警", "按区、县（市）统计超过建设完成时限仍在创建中的项目", None),
    "fuyang": ("富阳挂图作战", "富阳区年度轮动项目库（附件1）计划与实际进度甘特图", {sel.HANGZHOU}),
    "targets": ("目标考核", "文件各项目标按年度、按区县和街道的完成情况，附依据与统计口径",
                {sel.SHAOXING, sel.JIAXING, sel.HANGZHOU}),
    "assessment": ("年度目标管理考核", "嘉兴各县（市、区）年度目标与实际、依据条款，及平台标准排名（嘉兴 三(三)）",
                   {sel.JIAXING}),
}
OUTSIDE = "本看板不适用于您的数据权限范围。"
BLUE, RED, GREEN, GREY = "#0d6efd", "#dc3545", "#198754", "#adb5bd"
PLAN_COLORS = {"planned": ("#9ec5fe", "#fecba1", "#a3cfbb"), "actual": ("#0d6efd", "#fd7e14", "#198754")}
STAGE_SHORT = {"created": "创建", "built": "建成", "named": "命名"}


def _year(params, choices, default):
    value = str(params.get("year", "")).strip()
    year = ascii_int(value)
    return year if year in choices else default


def _year_filter(value, choices, blank=None):
    options = ([("", blank)] if blank else []) + [(str(year), f"{year}年") for year in choices]
    return {"name": "year", "label": "年度", "value": "" if value is None else str(value), "options": options}


def _bar_chart(chart_id, title, categories, series, percent=False):
    return {"id": chart_id, "type": "bar", "title": title, "categories": categories,
            "series": series, "percent": percent}


# ---------------------------------------------------------------- 1. plan vs actual


def plan_board(user, params, today):
    plan_years = sorted({q["year"] for q in sel.quotas("shaoxing-2023", "annual_plan")})
    year = _year(params, plan_years, None)
    rows = sel.plan_vs_actual(user, year)
    span = f"{year}年" if year else f"{plan_years[0]}—{plan_years[-1]}年"
    table = Table("plan", f"年度创建计划完成情况表（{span}）",
                  ["区、县（市）", "年度", *[f"{TIER_LABELS[t]}{what}" for t in sel.TIERS for what in ("计划", "实际")],
                   "计划合计", "实际合计", "完成率"])
    cells = defaultdict(dict)
    for row in rows:
        cells[(row["district_code"], row["district_name"], row["year"])][row["tier"]] = row
    sums = defaultdict(int)
    for (_, name, row_year), by_tier in cells.items():
        line = [name, row_year]
        for tier in sel.TIERS:
            found = by_tier.get(tier, {"planned": 0, "actual": 0})
            line += [found["planned"], found["actual"]]
            sums[f"{tier}_planned"] += found["planned"]
            sums[f"{tier}_actual"] += found["actual"]
        planned, actual = sum(line[2:8:2]), sum(line[3:8:2])
        table.rows.append([*line, planned, actual, share(actual, planned)])
    if table.rows:
        planned = sum(sums[f"{t}_planned"] for t in sel.TIERS)
        actual = sum(sums[f"{t}_actual"] for t in sel.TIERS)
        table.total = ["", "", *[sums[f"{t}_{w}"] for t in sel.TIERS for w in ("planned", "actual")],
                       planned, actual, share(actual, planned)]
    districts = list(dict.fromkeys(row["district_name"] for row in rows))
    series = []
    for what, label in (("planned", "计划"), ("actual", "实际")):
        for tier, color in zip(sel.TIERS, PLAN_COLORS[what], strict=True):
            totals = defaultdict(int)
            for row in rows:
                if row["tier"] == tier:
                    totals[row["district_name"]] += row[what]
            series.append({"name": f"{label}·{TIER_LABELS[tier]}", "stack": label, "color": color,
                           "data": [totals[d] for d in districts]})
    basis = rows[0]["basis"] if rows else sel.quotas("shaoxing-2023", "annual_plan")[0]["basis"]
    board = Board("plan", BOARDS["plan"][0], [table],
                  charts=[_bar_chart("chart-plan", f"计划与实际（{span}）", districts, series)],
                  filters=[_year_filter(year, plan_years, "全部年度")],
                  notes=[f"计划数：各区、县（市）年度创建计划（依据：{basis}）。",
                         sel.PLAN_ACTUAL_NOTE,
                         "仅统计您数据权限内的整区、县（市）。"])
    if not rows:
        board.empty_message = ("您的数据权限内没有绍兴市区、县（市）的年度创建计划（本看板按整区、县（市）统计，"
                               "街道用户请查看“街道年度考核”）。")
    return board


# ---------------------------------------------------------------- 2. coverage and targets


def coverage_board(user, params, today):
    cities = sel.cities_touching_scope(user)
    whole = sel.cities_wholly_in_scope(user)
    rows = sel.coverage_by_district(user)
    tables, categories, actual_series, target_series, notes = [], [], [], [], []
    for city, quota_key in sel.COVERAGE_QUOTAS.items():
        if city not in cities:
            continue
        quota = sel.quotas(*quota_key)[0]
        tables.append(_coverage_table(city, quota, [row for row in rows if row["city_code"] == city]))
        for row in tables[-1].rows:
            categories.append(row[0])
            actual_series.append(_percent(row[3]))
            target_series.append(_percent(quota["target"]))
        tier = TIER_LABELS[quota["tier"]] if quota["tier"] else "任一级别"
        notes.append(f"{sel.CITY_NAMES[city]}：{quota['label']}目标{_percent(quota['target'])}%"
                     f"（{quota['year']}年，依据：{quota['basis']}）；分子为有{tier}创建项目的社区。")
    charts = [_bar_chart("chart-coverage", "各区、县（市）覆盖率", categories,
                         [{"name": "覆盖率", "data": actual_series, "color": BLUE},
                          {"name": "目标", "type": "scatter", "data": target_series, "color": RED}], percent=True)]
    notes.append("分母：您数据权限内社区档案中在册的社区数（一社一档），未在册的城镇社区不计入；"
                 "无在册社区的区、县（市）不列出。")
    notes.append("分子：" + sel.STAGES["created"][2] + "的项目所在社区，同一社区只计一次。")
    if sel.JIAXING in cities:
        cumulative, labels = _jiaxing_cumulative(user, today, sel.JIAXING in whole)
        tables.append(cumulative)
        charts.append(_bar_chart(
            "chart-cumulative", "嘉兴累计目标完成情况", labels,
            [{"name": "实际", "data": [r[5] for r in cumulative.rows], "color": BLUE},
             {"name": "目标", "data": [r[3] for r in cumulative.rows], "color": GREY}]))
        notes += ["嘉兴累计目标口径：" + "；".join(stage[2] for stage in sel.STAGES.values()) + "。"]
        if sel.JIAXING not in whole:
            notes.append("累计目标为全市目标；您的数据权限不是全市，实际值仅含权限内的项目，不作达标判断。")
    board = Board("coverage", BOARDS["coverage"][0], tables, charts=charts, notes=notes)
    if not tables:
        board.empty_message = "本看板适用于绍兴市、嘉兴市；" + OUTSIDE
    return board


def _coverage_table(city, quota, rows):
    column = f"covered_{quota['tier']}" if quota["tier"] else "covered"
    table = Table(f"coverage_{city}", f"{sel.CITY_NAMES[city]}未来社区覆盖率统计表",
                  ["区、县（市）", "在册社区数", "已覆盖社区数", "覆盖率", "目标覆盖率", "目标年度", "距目标尚需社区数",
                   "依据"])

    def line(name, communities, covered):
        needed = max(0, math.ceil(quota["target"] * communities) - covered)
        return [name, communities, covered, share(covered, communities), share(quota["target"], 1),
                quota["year"], needed, quota["basis"]]

    table.rows = [line(row["district_name"], row["communities"], row[column]) for row in rows]
    if rows:
        table.total = line("", sum(r["communities"] for r in rows), sum(r[column] for r in rows))
    return table


def _jiaxing_cumulative(user, today, whole_city):
    table = Table("cumulative", "嘉兴市未来社区累计目标完成情况表",
                  ["指标", "级别", "目标年度", "目标值", "统计截至", "实际值", "完成率", "是否达标", "依据"])
    labels = []
    for row in sel.jiaxing_cumulative(user, today):
        labels.append(f"{TIER_LABELS[row['tier']]}{STAGE_SHORT[row['stage']]}（{row['year']}年）")
        flag = ("达标" if row["actual"] >= row["target"] else "未达标") if whole_city else "—（全市目标）"
        table.rows.append([row["label"], TIER_LABELS[row["tier"]], row["year"], row["target"], row["cutoff"],
                           row["actual"], share(row["actual"], row["target"]), flag, row["basis"]])
    met = sum(1 for row in table.rows if row[7] == "达标")
    summary = f"达标{met}项，未达标{len(table.rows) - met}项" if whole_city else "不作达标判断"
    table.total = [f"共{len(table.rows)}项", "", "", "", "", "", "", summary, ""]
    return table, labels


def _percent(value):
    return None if value is None else float(round(value * 100, 1))


# ---------------------------------------------------------------- 3. street quotas


def quotas_board(user, params, today):
    years = list(range(2023, today.year + 2))
    year = _year(params, years, today.year)
    unmet_only = params.get("show") == "unmet"
    streets = sel.street_quotas(user, year)
    by_district = defaultdict(lambda: [0, 0])
    for street in streets:
        by_district[street["district_name"]][0 if street["met"] else 1] += 1
    listed = [street for street in streets if not (unmet_only and street["met"])]
    table = Table("quotas", f"街道（乡镇）年度创建考核表（{year}年{'，未达标' if unmet_only else ''}）",
                  ["城市", "区、县（市）", "街道（乡镇）", "下辖社区数", "社区数口径", "考核要求", "要求数",
                   "实际数", "是否达标", "依据"])
    for street in listed:
        table.rows.append([sel.CITY_NAMES[street["city_code"]], street["district_name"], street["name"],
                           street["community_count"], street["count_source"], street["quota"]["label"],
                           street["required"], street["count"], "达标" if street["met"] else "未达标",
                           street["quota"]["basis"]])
    if listed:
        met = sum(1 for street in listed if street["met"])
        table.total = ["", "", "", sum(s["community_count"] for s in listed), "", "",
                       sum(s["required"] for s in listed), sum(s["count"] for s in listed),
                       f"达标{met}个，未达标{len(listed) - met}个", ""]
    districts = list(by_district)
    chart = _bar_chart("chart-quotas", f"各区、县（市）街道达标情况（{year}年）", districts,
                       [{"name": "达标街道", "stack": "s", "color": GREEN,
                         "data": [by_district[d][0] for d in districts]},
                        {"name": "未达标街道", "stack": "s", "color": RED,
                         "data": [by_district[d][1] for d in districts]}])
    many = sel.SHAOXING_MANY_COMMUNITIES
    two = sel.quotas("shaoxing-2023", "municipal_per_street_10_plus_communities")[0]["label"]
    show = {"name": "show", "label": "显示", "value": "unmet" if unmet_only else "",
            "options": [("", "全部街道（乡镇）"), ("unmet", "仅未达标")]}
    board = Board("quotas", BOARDS["quotas"][0], [table], charts=[chart],
                  filters=[_year_filter(year, years), show],
                  notes=["统计口径（绍兴，绍兴2023 二(一)“所有街道…下辖社区10个及以上的街道”）：只考核街道，"
                         "不考核镇、乡；实际数为当年列入创建名单（以列入名单日期计）的市级项目数；"
                         f"下辖社区数达到{many}个的街道要求数取“{two}”。",
                         "统计口径（嘉兴，嘉兴 二(二)5“各镇(街道)每年至少申报1个以上未来社区创建项目”）："
                         "考核全部镇、街道；实际数为创建年度为该年、已提交申报的项目数，不限创建级别"
                         "（不含谋划储备、草稿、已撤回）。",
                         "下辖社区数：管理员在行政区划中维护的下辖社区数；未维护时按平台在册社区数计，"
                         "“社区数口径”列注明所用口径。仅列出您数据权限内的街道（乡镇）；图表含全部街道（乡镇）。"])
    if not streets:
        board.empty_message = "您的数据权限内没有绍兴市、嘉兴市的街道（乡镇）。"
    return board


# ---------------------------------------------------------------- 4. overdue


def overdue_board(user, params, today):
    districts = sel.overdue_by_district(user, today)
    project_list = menu.url("projects:list")
    table = Table("overdue", "逾期预警统计表", ["城市", "区、县（市）", "创建中项目数", "逾期项目数", "逾期率"])
    for row in districts:
        overdue = Link(row["overdue"], f"{project_list}?overdue=1&district={row['code']}") if row["overdue"] \
            else 0
        table.rows.append([row["city_name"], row["name"], row["listed"], overdue, share(row["overdue"], row["listed"])])
    if districts:
        listed, overdue = sum(r["listed"] for r in districts), sum(r["overdue"] for r in districts)
        table.total = ["", "", listed, overdue, share(overdue, listed)]
    names = [row["name"] for row in districts]
    chart = _bar_chart("chart-overdue", "各区、县（市）逾期项目", names,
                       [{"name": "创建中", "data": [r["listed"] for r in districts], "color": BLUE},
                        {"name": "逾期", "data": [r["overdue"] for r in districts], "color": RED}])
    statuses = "、".join(status.label for status in Status if status in sel.LISTED_STATUSES)
    board = Board("overdue", BOARDS["overdue"][0], [table], charts=[chart],
                  notes=[f"统计日期：{today.isoformat()}。创建中：状态为{statuses}的项目。",
                         "逾期：建设完成时限已过、仍在创建中且尚未申请验收（已申请验收、验收审核中的不计）的项目；"
                         "点击逾期数查看项目清单。",
                         "仅统计您数据权限内的项目；街道用户只含本街道。"])
    if not districts:
        board.empty_message = OUTSIDE
    return board


# ---------------------------------------------------------------- 5. Fuyang 挂图作战


def fuyang_board(user, params, today):
    rows = sel.fuyang_rolling_library(user, today)
    project_url = pk_url("projects:detail") if rows else None
    table = Table("fuyang", "富阳区未来社区年度轮动项目库挂图作战表",
                  ["附件1序号", "社区", "实施街道", "责任单位", "创建级别", "当前状态", "计划开工", "计划完工",
                   "列入名单", "验收通过", "进度"])
    gantt = []
    for row in rows:
        name = row["community_name"]
        link = Link(name, project_url(row["id"])) if row["id"] else name
        table.rows.append([row["seq"], link, row["street_name"], row["responsible_unit"] or None,
                           CreationProject.Tier(row["tier"]).label if row["tier"] else None,
                           Status(row["status"]).label if row["status"] else "尚未建立项目",
                           _month(row["planned_start"]), _month(row["planned_finish"]), row["listed_on"],
                           row["accepted_on"], row["progress"]])
        planned_from = row["planned_start"] or row["planned_finish"]
        gantt.append({"name": name, "progress": row["progress"],
                      "planned": [planned_from.isoformat(), row["planned_end"].isoformat()],
                      "actual": [row["listed_on"].isoformat(), row["actual_end"].isoformat()]
                      if row["listed_on"] and row["actual_end"] else None})
    if rows:
        progress = defaultdict(int)
        for row in rows:
            progress[row["progress"]] += 1
        table.total = [f"共{len(rows)}个项目", *[""] * 9, "，".join(f"{k}{v}个" for k, v in progress.items())]
    chart = {"id": "chart-fuyang", "type": "gantt", "title": "计划进度与实际进度", "rows": gantt,
             "today": today.isoformat()}
    basis = sel.quotas("fuyang-2021", "rolling_library")[0]
    board = Board("fuyang", BOARDS["fuyang"][0], [table], charts=[chart],
                  notes=[f"统计口径：{basis['label']}（{basis['target']}个，依据：{basis['basis']}），"
                         "即附件1所列社区及其计划开工、计划完工月份；每个社区显示其在办的创建项目"
                         "（无在办项目时显示最近一个），尚未建立项目的也列出。",
                         "计划：计划开工月初至计划完工月末；未填计划开工的只标出计划完工月份。",
                         "实际：列入创建名单日期至验收通过日期，尚未验收的至今日；已终止、撤回的不画实际进度。",
                         "进度：按期完成／逾期完成（验收晚于计划完工）／实施中／超计划完工（已过计划完工仍未验收）／"
                         "未按计划启动（已过计划开工仍未列入名单）／未到计划开工。"])
    if not rows:
        board.empty_message = "您的数据权限内没有富阳区年度轮动项目库的项目。"
    return board


def pk_url(name: str):
    """`pk -> reverse(name, args=[pk])` for a URL whose one argument is an <int:pk>, reversed once
    (a reverse costs ~80 µs of CPU; the Fuyang board links every row): the int converter writes
    the pk as str(pk), so the pk goes where a marker number went."""
    marker = 987654321987654321
    head, found, tail = reverse(name, args=[marker]).rpartition(str(marker))
    assert found, name
    return lambda pk: f"{head}{int(pk)}{tail}"


def _month(day: dt.date | None) -> str | None:
    return f"{day.year}-{day.month:02d}" if day else None


def targets_board(user, params, today):
    from dashboards.targets import targets_board as build_targets

    return build_targets(user, params, today)


def assessment_board(user, params, today):
    from dashboards.assessment import assessment_board as build_assessment

    return build_assessment(user, params, today)


BUILDERS = {"plan": plan_board, "coverage": coverage_board, "quotas": quotas_board,
            "overdue": overdue_board, "fuyang": fuyang_board, "targets": targets_board,
            "assessment": assessment_board}


def build(key, user, params, today) -> Board:
    return BUILDERS[key](user, params, today)


def boards_for(user) -> list[dict]:
    """The dashboards that concern the user's cities (index and tabs)."""
    cities = sel.cities_touching_scope(user)
    return [{"key": key, "title": title, "description": description,
             "url": menu.url(f"dashboards:{key}")}
            for key, (title, description, concerns) in BOARDS.items()
            if (concerns is None or concerns & cities) and can_view_board(user, key)[0]]
