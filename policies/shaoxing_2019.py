"""绍政办发〔2019〕39号 关于加快推进绍兴市未来社区建设的实施意见 — shaoxing-2019.

Scope 绍兴市 (3306xx), in force 2019-12-27 to 2023-07-31 (DOMAIN.md: 绍政办发〔2023〕21号
takes over from 2023-08-01, though it does not expressly repeal this document).
Tier: 省级试点 only (一(三) “培育建设省级试点6个左右”). 改造更新类 = renovation,
规划新建类 = new_build.

What the document does not set, and this module therefore leaves 未设定 or uncomputed:
- no construction deadline (the four years parameters are 未设定);
- no monthly report: DOMAIN 4.2 has every listed project report monthly, so the platform's
  report day applies, with a basis saying the document has no such clause;
- no award: 二(五) “改造更新类试点项目对应土地出让收益，剔除上缴国家部分，其余全部用于支持试点
  项目建设” is a funding source (资金来源) recorded per project, not computed → subsidy None;
- review chains: the document only says “省级统筹、市级协调、县级主抓”; the chains are the
  usual provincial ones of DOMAIN 3.1.
The hazard pre-check (二(二)) lives here only: 绍政办发〔2023〕21号 does not repeat it, and a
check must cite a clause of the policy in force.
"""

from datetime import date

from .base import Check, Facts, ParamSpec, Policy, Step, quota

NO_DEADLINE = "绍兴2019 未规定建设完成时限"
CHAIN = "绍兴2019 省级统筹、市级协调、县级主抓"

PARAMETERS = (
    ParamSpec("years_renovation", "改造更新类建设完成年限（年）", "years", None, NO_DEADLINE),
    ParamSpec("years_renovation_demolition", "改造更新类涉及拆改的建设完成年限（年）", "years",
              None, NO_DEADLINE),
    ParamSpec("years_new_build", "规划新建类建设完成年限（年）", "years", None, NO_DEADLINE),
    ParamSpec("years_new_build_relocation", "规划新建类涉及拆迁安置的建设完成年限（年）",
              "years", None, NO_DEADLINE),
    ParamSpec("monthly_report_day", "月报报送日（次月第几日）", "int", 5,
              "平台月报制度（绍兴2019 未规定月报）", required=True, choices=tuple(range(1, 29))),
)


class Shaoxing2019Policy(Policy):
    code = "shaoxing-2019"
    document_no = "绍政办发〔2019〕39号"
    title = "绍兴市人民政府办公室关于加快推进绍兴市未来社区建设的实施意见"
    short_name = "绍兴2019"
    region_name = "绍兴市"
    jurisdiction = ("3306",)
    in_force_from = date(2019, 12, 27)
    in_force_to = date(2023, 7, 31)
    tiers = ("provincial",)
    tiers_basis = "绍兴2019 一(三) 培育建设省级试点"
    PARAMETERS = PARAMETERS
    NO_AWARD_BASIS = "绍兴2019 二(五) 改造更新类试点的土地出让收益作为资金来源记录，不计算奖补"
    APPLICATION_CHAINS = {
        "provincial": (
            Step("district_review", "district", "review", "区、县（市）审核", CHAIN),
            Step("city_review", "city", "review", "市级审核", CHAIN),
            Step("provincial_listing", "city", "record_listing", "录入省级试点创建名单", CHAIN),
        ),
    }
    ACCEPTANCE_CHAINS = {
        "provincial": (
            Step("district_review", "district", "review", "区、县（市）审核", CHAIN),
            Step("city_preliminary", "city", "review", "市级初审", CHAIN),
            Step("provincial_acceptance", "city", "record_acceptance", "录入省级验收结果", CHAIN),
            Step("provincial_naming", "city", "record_naming", "录入省级命名", CHAIN),
        ),
    }
    QUOTAS = (
        # 二(二)：“确保到2021年底，各区、县(市)各培育建设1个省级试点项目”
        quota("provincial_pilot_per_district", "各区、县（市）各培育建设1个省级试点项目",
              scope="district", tier="provincial", target=1, year=2021, basis="绍兴2019 二(二)"),
        # 一(三)：“到2021年底，培育建设省级试点6个左右”
        quota("provincial_pilots", "全市培育建设省级试点（6个左右）", scope="city",
              tier="provincial", target=6, year=2021, basis="绍兴2019 一(三)"),
    )

    def prechecks(self, facts: Facts, params=None) -> list[Check]:
        """二(二)：“对存在多孔预制楼板等安全隐患的老旧小区，鼓励实行全拆重建或插花式改修建，
        不留安全后遗症。”"""
        plain_renovation = (facts.category == "renovation" and not facts.involves_demolition
                            and not facts.rebuild)
        if facts.safety_hazards and plain_renovation:
            hazards = "、".join(facts.safety_hazards)
            message = f"社区存在{hazards}等安全隐患，鼓励实行全拆重建或插花式改修建，不留安全后遗症"
            return [Check("safety_hazard_rebuild_encouraged", "info", message, "绍兴2019 二(二)")]
        return []


POLICY = Shaoxing2019Policy()
