"""绍政办发〔2023〕21号 绍兴市全域未来社区建设实施方案 — shaoxing-2023.

Scope 绍兴市 (3306xx), in force from 2023-08-01 (“本方案自 2023 年 8 月 1 日起施行”).
Tiers: 省级、市级、县级 (二(一) 三级联建).

Where this module follows DOMAIN.md, or fills what the document leaves open:
- 二(一) “旧改类未来社区项目原则上1年内完成建设并提请验收” applies with or without
  demolition (DOMAIN 4.1); 新建类 has no deadline (未设定).
- 省级 chains follow “根据省风貌办要求”: the usual provincial steps of DOMAIN 3.1.
- 三(二) publishes no award (“由街道统筹社区工作各类财政保障资金”): subsidy() is None until
  an administrator sets per-tier amounts (and, if the city pays a share, the districts and the
  share), then it is computed like Jiaxing's award on naming, with basis 管理员设定参数.
- 三(四)2 “总投资在 2000 万元以下”: 以下 includes the figure (the document writes “（不含）”
  where it excludes, DOMAIN 5), so 20,000,000.00 元 qualifies.
- 二(一) “新建类社区和重点片区内社区均需开展省级未来社区建设”: a 新建类 project, or one whose
  community lies in a 重点片区, below 省级 is blocked at application.
- 三(四) 1–5 are the approval rules for 旧改类 projects (“旧改类未来社区项目，按照以下办法
  实施”); the permit and merged-proposal checks are therefore made for renovation only.
- The 多孔预制楼板 check of 绍兴2019 二(二) is not repeated here, so it is not made under
  this policy.
"""

from datetime import date
from decimal import Decimal

from .awards import naming_award
from .base import TIER_LABELS, Check, Facts, ParamSpec, Policy, Step, SubsidyRuling, quota
from .money import format_wan, to_money

NO_AWARD = "绍兴2023 三(二) 未规定奖补标准"
PROVINCIAL = "绍兴2023 二(一) 根据省风貌办要求"
TIERS = "绍兴2023 二(一)"
# 二(一) 省级：“其中新建类社区和重点片区内社区均需开展省级未来社区建设”
PROVINCIAL_ONLY = "绍兴2023 二(一) 新建类社区和重点片区内社区均需开展省级未来社区建设"
# 二(一) 市级 names the city office as the one that “负责验收、公布”; how a municipal application
# reaches the list is not written: the steps are the platform's own reading.
MUNICIPAL_APPLICATION = ("平台流程（绍兴2023 二(一) 仅规定市级未来社区由市风貌办牵头制定实施办法、"
                         "负责验收和公布，未规定申报审核步骤）")

PARAMETERS = (
    # 二(一)：“旧改类未来社区项目原则上1年内完成建设并提请验收。”
    ParamSpec("years_renovation", "旧改类完成建设并提请验收年限（年）", "years", 1, TIERS),
    ParamSpec("years_renovation_demolition", "旧改类涉及拆改的完成建设并提请验收年限（年）",
              "years", 1, TIERS),
    ParamSpec("years_new_build", "新建类完成建设年限（年）", "years", None,
              "绍兴2023 二(一) 仅规定旧改类1年内完成建设并提请验收"),
    ParamSpec("years_new_build_relocation", "新建类涉及拆迁安置的完成建设年限（年）", "years", None,
              "绍兴2023 二(一) 仅规定旧改类1年内完成建设并提请验收"),
    # 四：“完善工作推进机制，每月通报进展情况，每季度晾晒考评结果”
    ParamSpec("monthly_report_day", "月报报送日（次月第几日）", "int", 5,
              "绍兴2023 四 每月通报进展情况", required=True, choices=tuple(range(1, 29))),
    # 三(一)：“未来社区建设实施方案公示7天后，经利害关系人同意，允许利用小区及周边存量土地”
    ParamSpec("public_notice_days", "利用存量土地的实施方案公示天数", "int", 7, "绍兴2023 三(一)",
              required=True),
    # 三(四)2：“对总投资在 2000 万元以下…的政府投资改造项目，可以合并编报和审批项目建议书、
    # 可行性研究报告”
    ParamSpec("proposal_merge_investment_limit",
              "可合并编报项目建议书与可研的总投资上限（元，含本数）", "money",
              to_money("20000000.00"), "绍兴2023 三(四)2", required=True),
    # 三(四)4：“对工程投资额200万元以上且建筑面积1000平方米以上的房屋建筑和市政基础设施工程，
    # 须申领施工许可证”
    ParamSpec("permit_investment_threshold", "须申领施工许可证的工程投资额（元）", "money",
              to_money("2000000.00"), "绍兴2023 三(四)4", required=True),
    ParamSpec("permit_area_threshold", "须申领施工许可证的建筑面积（平方米）", "int", 1000,
              "绍兴2023 三(四)4", required=True),
    # 三(二) names no award: an administrator may set one (DOMAIN 6.3).
    ParamSpec("award_provincial", "省级未来社区命名奖补（元）", "money", None, NO_AWARD),
    ParamSpec("award_municipal", "市级未来社区命名奖补（元）", "money", None, NO_AWARD),
    ParamSpec("award_county", "县级未来社区命名奖补（元）", "money", None, NO_AWARD),
    ParamSpec("city_proper_districts", "市财政分担奖补的区", "codes", (), NO_AWARD),
    ParamSpec("city_share", "市财政负担比例", "rate", None, NO_AWARD),
    # 三(三)：“在旧改类未来社区改造提升方案中，重点明确公共服务设施配置和运营方案” (no step named:
    # the platform checks it, for 旧改类 only, at the acceptance request).
    ParamSpec("materials_submit", "提交申报须附材料", "materials", (),
              "绍兴2023（申报材料按省风貌办要求，文件未列）"),
    ParamSpec("materials_acceptance", "申请验收须附材料", "materials", ("public_service_plan",),
              "绍兴2023 三(三) 旧改类明确公共服务设施配置和运营方案（本平台于申请验收时核验）"),
)

_DISTRICT = "区、县（市）风貌办"

# 附件 各区、县（市）2023—2026 年未来社区建设计划表: year → (省级, 市级, 县级)
ANNUAL_PLAN = {
    ("330602", "越城区"): {2023: (17, 5, 7), 2024: (10, 6, 4), 2025: (11, 5, 5), 2026: (5, 1, 1)},
    ("330603", "柯桥区"): {2023: (11, 4, 5), 2024: (8, 5, 3), 2025: (9, 3, 4), 2026: (5, 1, 1)},
    ("330604", "上虞区"): {2023: (4, 4, 3), 2024: (6, 2, 3), 2025: (6, 2, 3), 2026: (3, 1, 1)},
    ("330681", "诸暨市"): {2023: (5, 3, 2), 2024: (4, 2, 2), 2025: (5, 1, 2), 2026: (2, 1, 1)},
    ("330683", "嵊州市"): {2023: (3, 2, 2), 2024: (4, 1, 1), 2025: (3, 2, 2), 2026: (1, 1, 1)},
    ("330624", "新昌县"): {2023: (1, 1, 1), 2024: (1, 1, 1), 2025: (2, 2, 1), 2026: (1, 1, 1)},
}


def _plan_quotas():
    for (code, name), years in ANNUAL_PLAN.items():
        for year, counts in years.items():
            for tier, count in zip(("provincial", "municipal", "county"), counts, strict=True):
                yield quota("annual_plan", f"{name}{year}年创建数", scope="district",
                            district_code=code, tier=tier, target=count, period="per_year",
                            year=year, basis="绍兴2023 附件")


def _provincial_only(facts: Facts) -> str:
    """What makes the project a 省级-only one under 二(一) (empty: nothing)."""
    reasons = []
    if facts.category == "new_build":
        reasons.append("新建类社区")
    if facts.in_key_area:
        reasons.append("重点片区内社区")
    return "和".join(reasons)


class Shaoxing2023Policy(Policy):
    code = "shaoxing-2023"
    document_no = "绍政办发〔2023〕21号"
    title = "绍兴市全域未来社区建设实施方案"
    short_name = "绍兴2023"
    region_name = "绍兴市"
    jurisdiction = ("3306",)
    in_force_from = date(2023, 8, 1)
    # 附件 各区、县（市）2023—2026 年未来社区建设计划表 counts 2023 whole
    counts_years = (2023, 2024, 2025, 2026)
    counts_years_basis = "绍兴2023 附件 2023—2026年未来社区建设计划表"
    tiers = ("provincial", "municipal", "county")
    tiers_basis = "绍兴2023 二(一) 开展省、市、县三级未来社区建设"
    PARAMETERS = PARAMETERS
    MATERIAL_BASES = {
        ("request_acceptance", "public_service_plan"):
            "绍兴2023 三(三) 旧改类改造提升方案明确公共服务设施配置和运营方案（本平台于申请验收时核验）",
    }
    DEADLINE_LABEL = "完成建设并提请验收时限"
    NO_AWARD_BASIS = ("绍兴2023 三(二) 由街道统筹各类财政保障资金，未规定奖补标准；"
                      "管理员设定各级别奖补额后按设定计算")

    # 二(一) 省级：“根据省风貌办要求开展未来社区建设”；市级：“由市风貌办负责验收、公布”；
    # 县级：“由各区、县（市）负责申报、验收、公布”
    APPLICATION_CHAINS = {
        "provincial": (
            Step("district_review", "district", "review", f"{_DISTRICT}审核", PROVINCIAL),
            Step("city_review", "city", "review", "市风貌办审核", PROVINCIAL),
            Step("provincial_listing", "city", "record_listing", "录入省级创建名单", PROVINCIAL),
        ),
        "municipal": (
            Step("district_review", "district", "review", f"{_DISTRICT}审核",
                 MUNICIPAL_APPLICATION),
            Step("municipal_listing", "city", "record_listing", "市风貌办公布市级创建名单",
                 MUNICIPAL_APPLICATION),
        ),
        "county": (
            Step("district_review", "district", "review", f"{_DISTRICT}审核", TIERS),
            Step("county_listing", "district", "record_listing", f"{_DISTRICT}公布县级创建名单",
                 TIERS),
        ),
    }
    ACCEPTANCE_CHAINS = {
        "provincial": (
            Step("district_review", "district", "review", f"{_DISTRICT}审核", PROVINCIAL),
            Step("city_preliminary", "city", "review", "市风貌办初审", PROVINCIAL),
            Step("provincial_acceptance", "city", "record_acceptance", "录入省级验收结果",
                 PROVINCIAL),
            Step("provincial_naming", "city", "record_naming", "录入省级命名", PROVINCIAL),
        ),
        "municipal": (
            Step("district_review", "district", "review", f"{_DISTRICT}审核", TIERS),
            Step("municipal_acceptance", "city", "record_acceptance", "市风貌办验收", TIERS),
            Step("municipal_naming", "city", "record_naming", "市风貌办公布命名", TIERS),
        ),
        "county": (
            Step("district_review", "district", "review", f"{_DISTRICT}审核", TIERS),
            Step("county_acceptance", "district", "record_acceptance", f"{_DISTRICT}验收", TIERS),
            Step("county_naming", "district", "record_naming", f"{_DISTRICT}公布命名", TIERS),
        ),
    }
    QUOTAS = (
        # 一：“到2026年，建设未来社区300个以上，覆盖全市城镇社区数量88%以上”
        quota("future_communities", "累计建设未来社区（300个以上）", scope="city", target=300,
              year=2026, basis="绍兴2023 一"),
        quota("urban_coverage", "未来社区覆盖城镇社区比例", scope="city", measure="share",
              target=Decimal("0.88"), year=2026, basis="绍兴2023 一"),
        # 附件：“至 2026 年，累计建设未来社区 303 个…（2022 年已累计建设省级未来社区 62 个）”
        quota("planned_total", "计划表累计建设未来社区", scope="city", target=303, year=2026,
              basis="绍兴2023 附件"),
        # 二(一) 省级：“到2025年，省级未来社区覆盖率每年递增10%左右”
        quota("provincial_coverage_increase", "省级未来社区覆盖率每年递增（10%左右）", scope="city",
              tier="provincial", measure="share", target=Decimal("0.10"), period="per_year",
              year=2025, basis=TIERS),
        # 二(一) 市级：“原则上每个街道每年不少于1个，其中下辖社区10个及以上的街道每年不少于2个”
        quota("municipal_per_street", "每个街道每年市级未来社区不少于1个", scope="street",
              tier="municipal", target=1, period="per_year", basis=TIERS),
        quota("municipal_per_street_10_plus_communities",
              "下辖社区10个及以上的街道每年市级未来社区不少于2个", scope="street",
              tier="municipal", target=2, period="per_year", basis=TIERS),
        # 二(一)：“旧改类联动老旧小区改造，原则上联动建设比例不少于旧改类社区的50%”
        quota("linked_old_estate_share", "旧改类联动老旧小区改造比例", scope="district",
              measure="share", target=Decimal("0.50"), basis=TIERS),
        # 二(二)：“明确9大片区、18个单元建设时序…围绕2026年全面建成…原则上每年至少建设2个片区”
        quota("old_town_areas", "古城全域未来社区片区", scope="district", district_code="330602",
              target=9, year=2026, basis="绍兴2023 二(二)"),
        quota("old_town_units", "古城全域未来社区单元", scope="district", district_code="330602",
              target=18, year=2026, basis="绍兴2023 二(二)"),
        quota("old_town_areas_per_year", "古城每年至少建设片区", scope="district",
              district_code="330602", target=2, period="per_year", year=2026,
              basis="绍兴2023 二(二)"),
        *_plan_quotas(),
    )

    def public_notice_days(self, params=None) -> int:
        return self.resolve(params)["public_notice_days"]

    # -- pre-checks: 二(一) 新建类, 三(一) 存量土地, 三(四) 旧改类项目审批

    def prechecks(self, facts: Facts, params=None) -> list[Check]:
        p = self.resolve(params)
        checks = []
        provincial_only = _provincial_only(facts)
        if provincial_only and facts.tier != "provincial":
            checks.append(Check("provincial_tier_required", "block",
                                f"{provincial_only}均需开展省级未来社区建设，"
                                f"不得申报{TIER_LABELS[facts.tier]}", PROVINCIAL_ONLY))
        if facts.category == "new_build":
            checks.append(Check("new_build_evaluation_system", "info",
                                "新建类根据《浙江省未来社区（完整社区）创建评价指标体系》建设",
                                TIERS))
            checks.append(Check("new_build_plan_filing", "info",
                                "新建类按照工程建设基本程序实施，方案由街道报各地现代社区领导小组"
                                "办公室备案", "绍兴2023 三(四)"))
        if facts.stock_land_used:
            days = p["public_notice_days"]
            message = (f"利用小区及周边存量土地的，实施方案须公示{days}天后，"
                       "经利害关系人同意方可实施")
            checks.append(Check("stock_land_public_notice", "info", message,
                                self.basis_of("public_notice_days", days)))
        if facts.category == "renovation":
            checks += self._renovation_approvals(facts, p)
        return checks

    def acceptance_prerequisites(self, facts: Facts, params=None) -> list[Check]:
        # 三(一)：“实施方案公示7天后，经利害关系人同意，允许利用小区及周边存量土地” — a project
        # that uses stock land has not earned that permission until the notice has run its period
        # and the consent is recorded (DOMAIN §4.2: never marked met automatically).
        if facts.stock_land_used and facts.public_notice_consented is not True:
            days = self.resolve(params)["public_notice_days"]
            return [Check("stock_land_consent_missing", "block",
                          f"利用存量土地的实施方案须公示{days}天期满并记录利害关系人同意",
                          self.basis_of("public_notice_days", days))]
        return []

    def _renovation_approvals(self, facts: Facts, p: dict) -> list[Check]:
        checks = []
        investment, area = facts.total_investment, facts.building_area
        # 三(四)4 施工许可: required only when both thresholds are reached
        min_investment, min_area = p["permit_investment_threshold"], p["permit_area_threshold"]
        permit_basis = self.basis_of("permit_investment_threshold", min_investment)
        small = (investment is not None and investment < min_investment) or (
            area is not None and area < min_area)
        thresholds = f"工程投资额{format_wan(min_investment)}、建筑面积{min_area}平方米"
        if small:
            checks.append(Check("construction_permit_optional", "info",
                                f"未同时达到{thresholds}，可以不申请办理施工许可证"
                                "（特殊建设工程除外）", permit_basis))
        elif investment is not None and area is not None:
            checks.append(Check("construction_permit_required", "info",
                                f"达到{thresholds}以上，须申领施工许可证", permit_basis))
        # 三(四)2 项目立项: government-funded, below the limit, nothing structural changes
        limit = p["proposal_merge_investment_limit"]
        if (facts.government_funded and facts.changes_land_use is False
                and investment is not None and investment <= limit):
            message = (f"政府投资改造项目总投资在{format_wan(limit)}以下，且不改变土地权属、"
                       "用地性质和房屋使用性质，不新增建筑面积，主体结构不发生重大改变，"
                       "可以合并编报和审批项目建议书、可行性研究报告")
            checks.append(Check("merge_feasibility", "info", message,
                                self.basis_of("proposal_merge_investment_limit", limit)))
        # 三(四)2：“对以企业利用自有资金建设的旧改类未来社区项目，采用备案制管理。”
        if facts.enterprise_funded:
            checks.append(Check("enterprise_filing", "info",
                                "企业利用自有资金建设的旧改类未来社区项目，采用备案制管理",
                                "绍兴2023 三(四)2"))
        return checks

    # -- 三(二) 落实资金保障: no award unless an administrator sets one

    def subsidy(self, facts: Facts, params=None) -> SubsidyRuling | None:
        p = self.resolve(params)
        tier = self.validate_tier(facts.tier)
        amount = p[f"award_{tier}"]
        if amount is None:
            return None
        city_proper = facts.district_code in p["city_proper_districts"]
        basis = self.admin_set(p, [f"award_{tier}", "city_proper_districts", "city_share"])
        share = p["city_share"] if city_proper else None
        return naming_award(facts, amount, city_share=share, basis=basis, warnings=[])


# 二(三) 开展县域、街道全域未来社区建设：“2023年，柯桥区做好全县域未来社区试点工作…；每个区、县（市）
# 各开展1个街道全域试点…2024年起，在试点基础上，每年组织开展县域、街道全域未来社区申报建设工作，由市风貌办
# 组织验收，对未来社区覆盖率达到要求并有效运营的区、县（市）和街道予以公布。”
WHOLE_AREA = "绍兴2023 二(三)"
WHOLE_AREA_PILOT_YEAR = 2023
COUNTY_PILOT = "330603"  # 柯桥区


def whole_area_refusal(kind: str, district_code: str, year: int, street_pilots_in_district: int) -> str:
    """Why a 县域 (kind "county", the district applies) or 街道全域 (kind "street") application of
    `year` is not open under 二(三), or "" when it is."""
    if year < WHOLE_AREA_PILOT_YEAR:
        return f"县域、街道全域未来社区自{WHOLE_AREA_PILOT_YEAR}年起开展（{WHOLE_AREA}）"
    if year == WHOLE_AREA_PILOT_YEAR:
        if kind == "county" and district_code != COUNTY_PILOT:
            return (f"{WHOLE_AREA_PILOT_YEAR}年全县域未来社区试点为柯桥区，"
                    f"其他区、县（市）自2024年起申报（{WHOLE_AREA}）")
        if kind == "street" and street_pilots_in_district >= 1:
            return f"{WHOLE_AREA_PILOT_YEAR}年每个区、县（市）开展1个街道全域试点，本区已有试点申报（{WHOLE_AREA}）"
    return ""


POLICY = Shaoxing2023Policy()
