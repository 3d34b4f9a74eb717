"""年度目标管理考核 (嘉兴 三(三) “各县(市、区)将未来社区建设工作纳入年度目标管理考核”): per 嘉兴
district and year, each target the document sets for the year against the actual, with its
basis and 统计口径, and a ranking of the districts.

The figures are the owners': dashboards.selectors.street_quotas (二(二)5, the 街道年度考核 board),
dashboards.targets.jiaxing_rows (一(三) 镇街全覆盖, the 目标考核 board) and
dashboards.selectors.coverage_by_district (the coverage board); nothing is recounted here.
The document sets no scoring rule, so the ranking follows the platform's criteria, which the
page and the exports state as the platform's (RANKING_CRITERIA)."""

import datetime as dt
from collections import defaultdict

from django.http import Http404

from communities.models import Region
from dashboards import cache
from dashboards import selectors as sel
from dashboards.tables import Board, Percent, Table, share
from dashboards.targets import _row, _table, jiaxing_rows
from portal.validators import ascii_int

TITLE = "年度目标管理考核"
FIRST_YEAR = 2023  # 二(二)5 “在2022年基础上，各镇(街道)每年至少申报1个以上” — yearly from 2023
ASSESSMENT_BASIS = "嘉兴 三(三)“各县(市、区)将未来社区建设工作纳入年度目标管理考核”"
RANKING_CRITERIA = ("排名标准为平台拟定，非文件规定（嘉兴 三(三)未规定评分办法）：①本年度达标项数多者在前；"
                    "②本年度已申报镇（街道）占比高者在前；③本年度申报项目数多者在前；以上均相同的并列。"
                    "仅在您数据权限内的县（市、区）之间排名")
STREETS_SCOPE = ("区内全部镇、街道（与“街道年度考核”相同）；已申报＝创建年度为本年度、已提交申报的项目"
                 "（不限级别，不含谋划储备、草稿、已撤回）")
COVERAGE_SCOPE = ("分母：区内社区档案中在册的社区数；分子：有省级创建项目（已列入创建名单且未终止，"
                  "以列入名单日期计，截至本年度末或今日）的社区，同一社区只计一次；“60%左右”按不低于60%判断"
                  "（平台理解）")
COLUMNS = ["目标", "县（市、区）", "考核年度", "目标值", "实际值", "完成情况", "依据", "统计口径"]


def years(today: dt.date) -> list[int]:
    return list(range(FIRST_YEAR, today.year + 1))


def districts(user):
    """嘉兴's districts wholly in the user's scope."""
    return list(sel.regions_in_scope(user, Region.Level.DISTRICT).filter(parent__code=sel.JIAXING)
                .order_by("code").values("id", "code", "name"))


def assessment(user, year: int, today: dt.date, district_code: str | None = None) -> list[dict]:
    """One entry per district: its target lines (rows of COLUMNS) and the ranking figures."""
    found = districts(user)
    if district_code:
        found = [d for d in found if d["code"] == district_code]
    streets = defaultdict(lambda: {"total": 0, "applied": 0, "applications": 0})
    for street in sel.street_quotas(user, year):
        if street["city_code"] == sel.JIAXING:
            counts = streets[street["district_code"]]
            counts["total"] += 1
            counts["applied"] += street["met"]
            counts["applications"] += street["count"]
    [quota] = sel.quotas("jiaxing-2023", "applications_per_street")
    coverage_lines = {}
    [coverage] = sel.quotas("jiaxing-2023", "provincial_coverage")
    if year <= coverage["year"]:
        cutoff = min(dt.date(year, 12, 31), today)
        for row in sel.coverage_by_district(user, cutoff):
            if row["city_code"] == sel.JIAXING:
                coverage_lines[row["district_code"]] = row
    full_coverage = {row[1]: row for row in jiaxing_rows(user, today)} if year == 2023 else {}
    result = []
    for district in found:
        counts = streets[district["code"]]
        lines = [_row(quota["label"], district["name"], year, f"{counts['total']}个镇（街道）各至少1个",
                      f"{counts['applied']}个镇（街道）已申报，共{counts['applications']}个项目",
                      counts["applied"] >= counts["total"] if counts["total"] else None, quota["basis"],
                      STREETS_SCOPE, undecided="不判断（未录入镇、街道）")]
        if district["name"] in full_coverage:
            lines.append(full_coverage[district["name"]])
        row = coverage_lines.get(district["code"])
        if year <= coverage["year"]:
            rate = share(row["covered_provincial"], row["communities"]) if row else None
            due = year == coverage["year"] and today > dt.date(year, 12, 31)
            met = ((rate or 0) >= coverage["target"] if row else False) if due else None
            scope = COVERAGE_SCOPE + (f"（分母{row['communities']}个，分子{row['covered_provincial']}个）"
                                      if row else "（区内无在册社区）")
            lines.append(_row(coverage["label"], district["name"], year, Percent(coverage["target"]),
                              rate, met, f"嘉兴 二(二)5（目标值：{coverage['basis']}）", scope,
                              undecided=f"不判断（目标年度为{coverage['year']}年）"))
        result.append({**district, "lines": lines, "met": sum(1 for line in lines if line[5] == "达标"),
                       "streets_share": share(counts["applied"], counts["total"]),
                       "applications": counts["applications"]})
    return rank(result)


def rank(entries: list[dict]) -> list[dict]:
    """RANKING_CRITERIA: met lines, then the share of streets that applied, then applications;
    equal on all three share a place (1, 1, 3)."""
    def key(entry):
        return (-entry["met"], -(entry["streets_share"] or 0), -entry["applications"])

    ordered = sorted(entries, key=lambda e: (key(e), e["code"]))
    for index, entry in enumerate(ordered):
        same = index and key(ordered[index - 1]) == key(entry)
        entry["rank"] = ordered[index - 1]["rank"] if same else index + 1
    return ordered


def assessment_board(user, params, today) -> Board:
    choices = years(today)
    year = ascii_int(str(params.get("year", "")).strip())
    year = year if year in choices else today.year
    in_scope = districts(user)
    code = str(params.get("district", "")).strip()
    if code and code not in {d["code"] for d in in_scope}:
        raise Http404("该县（市、区）不在您的数据权限内")
    entries = cache.assessment(user, year, today, code or None).value  # the API's very entries
    targets = _table("assessment", f"嘉兴市县（市、区）年度目标管理考核表（{year}年）", COLUMNS,
                     [line for entry in sorted(entries, key=lambda e: e["code"]) for line in entry["lines"]])
    ranking = Table("assessment_ranking", f"嘉兴市县（市、区）年度考核排名（{year}年，平台标准）",
                    ["名次", "县（市、区）", "达标项数", "考核项数", "已申报镇（街道）占比", "申报项目数", "排名依据"],
                    rows=[[entry["rank"], entry["name"], entry["met"], len(entry["lines"]), entry["streets_share"],
                           entry["applications"], "平台标准（见下）"] for entry in entries])
    if entries:
        ranking.total = [f"共{len(entries)}个", "", "", "", "", "", RANKING_CRITERIA]
    board = Board("assessment", TITLE, [t for t in (targets, ranking) if t.rows], filters=[
        {"name": "year", "label": "考核年度", "value": str(year),
         "options": [(str(y), f"{y}年") for y in choices]},
        {"name": "district", "label": "县（市、区）", "value": code,
         "options": [("", "全部")] + [(d["code"], d["name"]) for d in in_scope]},
    ], notes=[f"依据：{ASSESSMENT_BASIS}。每行为文件对该年度设定的目标及其依据条款和统计口径。",
              RANKING_CRITERIA + "。",
              "嘉兴 一(三)的累计创建、建成、命名目标为全市目标，文件未分解到县（市、区），见“覆盖率与累计目标”；"
              "各镇（街道）逐一达标情况见“街道年度考核”。"])
    if not board.tables:
        board.empty_message = "您的数据权限内没有嘉兴市的县（市、区）。"
    return board
