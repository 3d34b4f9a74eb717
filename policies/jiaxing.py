"""嘉兴市高质量推进全域未来社区建设实施意见（征求意见稿） — jiaxing-2023.

Scope 嘉兴市 (3304xx), in force from 2023-02-09 (DOMAIN.md; the date of the draft's
publication for comment). Tiers: 省级 and 市级.

Where this module follows DOMAIN.md, or fills what the draft leaves open:
- The draft sets no construction deadline: the four years parameters are 未设定.
- 三(二) “对市本级创建成功的省、市未来社区分别一次性给予600万、100万的奖补资金” — 创建成功
  is read as naming (命名), DOMAIN 6.1; the award is dated `named_on`.
- 三(二) is silent on a community named 市级 and later 省级: each naming pays its own award
  and a warning is raised; an administrator may cap the total at the highest tier's amount
  (`cap_repeated_naming`, DOMAIN 6.1).
- 二(二)5 “在2022年基础上，各镇(街道)每年至少申报1个以上未来社区创建项目” names no tier:
  applications of any tier count, every year from 2023. 一(三) 全域推广阶段 “每个镇(街道)申报1个
  以上省级未来社区创建项目，实现未来社区镇(街道)创建全覆盖” (by end 2023) is a separate,
  one-off target (DOMAIN 7).
- 二(二)5 gives the chain to the provincial list only; the municipal application steps are the
  platform's own and their basis says so.
- 二(二)6 “报领导小组审定后命名”: 审定 can approve (name), return or refuse.
- 三(三) 月报月例会制度 names no day; the day is the platform's parameter (DOMAIN 4.2).
"""

from datetime import date
from decimal import Decimal

from .awards import cap_check, community_room, naming_award
from .base import TIER_LABELS, Check, Facts, ParamSpec, Policy, Step, SubsidyRuling, quota
from .money import to_money

AWARD = "嘉兴 三(二)"  # （二）强化资金支持
SURVEYS = "嘉兴 二(五)13"  # 13.加强长效运营监管
NO_DEADLINE = "嘉兴实施意见未规定建设完成时限"
MUNICIPAL_APPLICATION = ("平台流程（嘉兴 二(二)5 仅规定省级创建名单的申报审核，"
                         "未规定市级创建项目申报流程）")

# 县级财政参照执行: the counties and county-level cities outside 市本级.
COUNTIES = {
    "330421": "嘉善县",
    "330424": "海盐县",
    "330481": "海宁市",
    "330482": "平湖市",
    "330483": "桐乡市",
}
TIERS = ("provincial", "municipal")  # 嘉兴 names provincial and municipal communities only

PARAMETERS = (
    ParamSpec("years_renovation", "旧改类建设完成年限（年）", "years", None, NO_DEADLINE),
    ParamSpec("years_renovation_demolition", "旧改类涉及拆改的建设完成年限（年）", "years", None,
              NO_DEADLINE),
    ParamSpec("years_new_build", "新建类建设完成年限（年）", "years", None, NO_DEADLINE),
    ParamSpec("years_new_build_relocation", "新建类涉及拆迁安置的建设完成年限（年）", "years", None,
              NO_DEADLINE),
    # 三(三)：“市风貌办建立健全动态评价督导制度、月报月例会制度…”
    ParamSpec("monthly_report_day", "月报报送日（次月第几日）", "int", 5,
              "嘉兴 三(三) 月报月例会制度", required=True, choices=tuple(range(1, 29))),
    # 三(二)：“对市本级创建成功的省、市未来社区分别一次性给予600万、100万的奖补资金，
    # 由市、区财政各负担50%，县级财政参照执行。”
    ParamSpec("award_provincial", "省级未来社区命名奖补（元）", "money", to_money("6000000.00"),
              AWARD, required=True),
    ParamSpec("award_municipal", "市级未来社区命名奖补（元）", "money", to_money("1000000.00"),
              AWARD, required=True),
    ParamSpec("city_proper_districts", "市本级区（市、区财政分担）", "codes", ("330402", "330411"),
              "嘉兴 三(二) 市本级"),
    ParamSpec("city_share", "市本级奖补中市财政负担比例", "rate", to_money("0.50"),
              "嘉兴 三(二) 由市、区财政各负担50%", required=True),
    *(
        ParamSpec(f"county_award_{tier}_{code}",
                  f"{name}{TIER_LABELS[tier]}命名奖补（元，未设定时参照市本级）", "money", None,
                  "嘉兴 三(二) 县级财政参照执行")
        for code, name in COUNTIES.items()
        for tier in TIERS
    ),
    ParamSpec("cap_repeated_naming", "同一社区先后命名时以最高级别奖补额为上限", "bool", False,
              "嘉兴 三(二) 未规定同一社区先后获市级、省级命名的奖补", required=True),
    # 二(二)5：“各镇(街道)…明确实施主体，编制创建方案。项目申报材料经所在各县(市、区)风貌办审核”;
    # 二(一)3：“对争创省级引领型未来社区的要…编制一体化设计方案” (no step named: the platform
    # checks it at the acceptance request).
    ParamSpec("materials_submit", "提交申报须附材料", "materials", ("creation_plan",),
              "嘉兴 二(二)5 编制创建方案"),
    ParamSpec("materials_acceptance", "申请验收须附材料", "materials", ("integrated_design",),
              "嘉兴 二(一)3 引领型编制一体化设计方案（本平台于申请验收时核验）"),
)

_DISTRICT = "县（市、区）风貌办"


class JiaxingPolicy(Policy):
    code = "jiaxing-2023"
    document_no = "嘉兴市高质量推进全域未来社区建设实施意见（征求意见稿）"
    title = "嘉兴市高质量推进全域未来社区建设实施意见"
    short_name = "嘉兴"
    region_name = "嘉兴市"
    jurisdiction = ("3304",)
    in_force_from = date(2023, 2, 9)
    is_draft = True  # 实施意见（征求意见稿）
    tiers = TIERS
    tiers_basis = "嘉兴 二(一)4、三(二) 仅规定省级、市级未来社区"
    PARAMETERS = PARAMETERS
    MATERIAL_BASES = {
        ("submit", "creation_plan"): "嘉兴 二(二)5 编制创建方案，项目申报材料经风貌办审核",
        ("request_acceptance", "integrated_design"): "嘉兴 二(一)3 引领型编制一体化设计方案（本平台于申请验收时核验）",
    }

    # 二(二)5：“项目申报材料经所在各县(市、区)风貌办审核后报市风貌办，择优列入省级未来社区
    # 创建名单。” The municipal list follows the same two reviews: the platform's (DOMAIN 3.1).
    APPLICATION_CHAINS = {
        "provincial": (
            Step("district_review", "district", "review", f"{_DISTRICT}审核", "嘉兴 二(二)5"),
            Step("city_selection", "city", "review", "市风貌办审核择优", "嘉兴 二(二)5"),
            Step("provincial_listing", "city", "record_listing", "录入省级创建名单",
                 "嘉兴 二(二)5"),
        ),
        "municipal": (
            Step("district_review", "district", "review", f"{_DISTRICT}审核", MUNICIPAL_APPLICATION),
            Step("city_review", "city", "review", "市风貌办审核", MUNICIPAL_APPLICATION),
            Step("municipal_listing", "city", "record_listing", "公布市级创建名单",
                 MUNICIPAL_APPLICATION),
        ),
    }
    # 二(二)6：“由所在社区的镇(街道)人民政府向所在县(市、区)风貌办提交验收申请,经同意后向市
    # 风貌办提请验收。市风貌办按照“机动验收+定时验收”方式开展验收工作。市级未来社区,经市风貌办
    # 初审通过后报领导小组审定后命名,省级未来社区经市风貌办初审通过后报省级验收。”
    ACCEPTANCE_CHAINS = {
        "provincial": (
            Step("district_consent", "district", "review", f"{_DISTRICT}同意提请验收",
                 "嘉兴 二(二)6"),
            Step("city_preliminary", "city", "review", "市风貌办初审", "嘉兴 二(二)6"),
            Step("provincial_acceptance", "city", "record_acceptance", "录入省级验收结果",
                 "嘉兴 二(二)6"),
            Step("provincial_naming", "city", "record_naming", "录入省级命名", "嘉兴 二(二)6"),
        ),
        "municipal": (
            Step("district_consent", "district", "review", f"{_DISTRICT}同意提请验收",
                 "嘉兴 二(二)6"),
            Step("city_acceptance", "city", "record_acceptance",
                 "市风貌办初审（机动验收或定时验收）", "嘉兴 二(二)6"),
            # 审定: name, return or refuse (projects.workflow offers all three at this step)
            Step("leading_group_naming", "leading_group", "record_naming", "领导小组审定命名",
                 "嘉兴 二(二)6", decides=True),
        ),
    }
    QUOTAS = (
        # 二(二)5：“在2022年基础上，各镇(街道)每年至少申报1个以上未来社区创建项目” (any tier)
        quota("applications_per_street", "每个镇（街道）每年至少申报1个未来社区创建项目（不限级别）",
              scope="street", target=1, period="per_year", basis="嘉兴 二(二)5"),
        # 一(三) 全域推广阶段：“每个镇(街道)申报1个以上省级未来社区创建项目，实现未来社区镇(街道)
        # 创建全覆盖。到2023年底…” — once, by the end of 2023
        quota("provincial_application_coverage",
              "每个镇（街道）申报1个以上省级未来社区创建项目（2023年底前，镇街创建全覆盖）",
              scope="street", tier="provincial", target=1, year=2023, basis="嘉兴 一(三)"),
        # 一(三)：“到2023年底,累计创建120个以上省级未来社区,累计建成省级未来社区20个以上、
        # 命名市级未来社区50个以上”
        quota("provincial_created", "累计创建省级未来社区", scope="city", tier="provincial",
              target=120, year=2023, basis="嘉兴 一(三)"),
        quota("provincial_built", "累计建成省级未来社区", scope="city", tier="provincial",
              target=20, year=2023, basis="嘉兴 一(三)"),
        quota("municipal_named", "累计命名市级未来社区", scope="city", tier="municipal",
              target=50, year=2023, basis="嘉兴 一(三)"),
        # 一(三)：“到2025年底,累计创建260个以上省级未来社区、覆盖全市60%左右的城镇社区,累计
        # 建成省级未来社区50个以上、命名市级未来社区200个以上”
        quota("provincial_created", "累计创建省级未来社区", scope="city", tier="provincial",
              target=260, year=2025, basis="嘉兴 一(三)"),
        quota("provincial_coverage", "省级未来社区覆盖城镇社区比例（60%左右）", scope="city",
              tier="provincial", measure="share", target=Decimal("0.60"), year=2025,
              basis="嘉兴 一(三)"),
        quota("provincial_built", "累计建成省级未来社区", scope="city", tier="provincial",
              target=50, year=2025, basis="嘉兴 一(三)"),
        quota("municipal_named", "累计命名市级未来社区", scope="city", tier="municipal",
              target=200, year=2025, basis="嘉兴 一(三)"),
    )

    # -- 二(五)13：“充分开展创建前居民需求调研、创建过程居民意见动态征询反馈和验收前居民满意度调研”

    def prechecks(self, facts: Facts, params=None) -> list[Check]:
        if facts.has_needs_survey is False:
            return [Check("needs_survey_missing", "warning",
                          "尚未录入创建前居民需求调研", SURVEYS)]
        return []

    def acceptance_prerequisites(self, facts: Facts, params=None) -> list[Check]:
        if facts.has_satisfaction_survey is not True:
            return [Check("satisfaction_survey_missing", "block",
                          "验收前须完成居民满意度调研并录入", SURVEYS)]
        # "创建过程…验收前居民满意度调研": a survey of this project's creation period, i.e. on or
        # after its listing date (DOMAIN §5, last paragraph); an earlier one does not count.
        surveyed_on = facts.satisfaction_surveyed_on
        if facts.listed_on is not None and (surveyed_on is None or surveyed_on < facts.listed_on):
            return [Check("satisfaction_survey_before_listing", "block",
                          f"满意度调研须在本项目列入创建名单（{facts.listed_on.isoformat()}）之后开展",
                          SURVEYS)]
        return []

    # -- 三(二) 强化资金支持: award on naming

    def award_amount(self, tier: str, district_code: str, params=None) -> Decimal:
        """The award for naming at `tier` in this district (县级财政参照执行 unless set)."""
        p = self.resolve(params)
        tier = self.validate_tier(tier)
        own = p.get(f"county_award_{tier}_{district_code}")
        if district_code in p["city_proper_districts"] or own is None:
            return p[f"award_{tier}"]
        return own

    def subsidy(self, facts: Facts, params=None) -> SubsidyRuling:
        """市本级: 600万 / 100万 split city_share : rest; counties 100% their own finance."""
        p = self.resolve(params)
        tier, code = self.validate_tier(facts.tier), facts.district_code
        city_proper = code in p["city_proper_districts"]
        keys = ["award_provincial", "award_municipal", "city_proper_districts"]
        if city_proper:
            keys.append("city_share")
        elif code in COUNTIES:
            keys.append(f"county_award_{tier}_{code}")
        basis = [AWARD, *self.admin_set(p, keys)]
        amount = self.award_amount(tier, code, p)
        warnings = []
        if any(other != tier for other, _ in facts.prior_approved_for_community):
            if p["cap_repeated_naming"]:
                room, already = community_room(facts, lambda t: self.award_amount(t, code, p))
                amount = min(amount, room)
                cap_basis = self.basis_of("cap_repeated_naming", True)
                basis.append(cap_basis)
                warnings.append(cap_check(facts, room, already, cap_basis))
            else:
                warnings.append(Check(
                    "repeated_naming_award", "warning",
                    "该社区已有其他级别的命名奖补；文件未规定同一社区先后获市级、省级命名如何奖补，"
                    "现按各自标准分别奖补",
                    self.parameter("cap_repeated_naming").basis))
        share = p["city_share"] if city_proper else None
        return naming_award(facts, amount, city_share=share, basis=basis, warnings=warnings)


POLICY = JiaxingPolicy()
