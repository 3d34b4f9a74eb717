"""杭州市富阳区城镇未来社区创建工作行动方案（2021-2023年）（征求意见稿） — fuyang-2021.

Scope 杭州市富阳区 (330111), in force from 2021-01-01 (DOMAIN.md). Tiers: 市级 and 省级
(四(三) “开展市级及以上未来社区创建”); there is no 县级 here. The draft's top-level
headings appear as “1、…5、” in its text; bases cite them as 一…五 (四(六) = 4、(六)).

Where this module follows DOMAIN.md rather than the draft's words:
- 五(三) first says 区财政 “对旧改类项目予以资金补助”; DOMAIN 6.2 applies the 以奖代补
  amounts to every creation project in 富阳区, new_build included.
- 五(三) “核定至补助金额的70%（最高不超过700万）…后续创建成功并验收通过后再拨付30%”:
  DOMAIN 6.2 reads this as A = first + 30% × amount(T), paid in at most two payments
  (the year-end advance and the settlement).
- 四(三) “以20公顷左右为参考” sets no threshold: how far from 20 公顷 is “too far” is an
  administrator's parameter (未设定 by default, then no area check).
- The community cap counts approvals of the community's other tiers only (see awards.py).
"""

from datetime import date
from decimal import Decimal

from .awards import cap_check, community_room
from .base import (
    TIER_LABELS,
    Check,
    DeadlineRuling,
    Facts,
    ParamSpec,
    Payment,
    Policy,
    RulingLine,
    Settlement,
    Step,
    SubsidyRuling,
    quota,
)
from .dates import year_end
from .money import ZERO, format_grouped, format_money, to_money

FUNDING = "富阳 五(三)"  # （三）落实经费保障
AWAITING_ACCEPTANCE = "尚未通过验收：核定补助A待验收通过后确定"
AWAITING_SETTLEMENT = "实际支出尚未决算：街道申报支出决算后计算应付、结余奖励与决算拨付"

PARAMETERS = (
    # 四(六) 时间要求：“经省（市）政府同意公布后的创建项目，旧改类原则上1年基本完成创建工作，
    # 其中涉及拆改的可放宽至2年；新建类原则上3年基本完成创建工作，其中涉及拆迁安置的，
    # 可根据实际情况适当延长至4年。”
    ParamSpec("years_renovation", "旧改类建设完成年限（年）", "years", 1, "富阳 四(六)"),
    ParamSpec("years_renovation_demolition", "旧改类涉及拆改的建设完成年限（年）", "years", 2,
              "富阳 四(六)"),
    ParamSpec("years_new_build", "新建类建设完成年限（年）", "years", 3, "富阳 四(六)"),
    ParamSpec("years_new_build_relocation", "新建类涉及拆迁安置的建设完成年限（年）", "years", 4,
              "富阳 四(六)"),
    # 五(六)：“锚定关键时间节点…每月进行评价通报”; the report day is the platform's (DOMAIN 4.2).
    ParamSpec("monthly_report_day", "月报报送日（次月第几日）", "int", 5,
              "富阳 五(六) 每月进行评价通报", required=True, choices=tuple(range(1, 29))),
    # 四(三) 面积范围：“实施单元以20公顷左右为参考，按照实际改造或建设需求合理确定。”
    ParamSpec("reference_area_ha", "实施单元参考面积（公顷）", "int", 20, "富阳 四(三)",
              required=True),
    ParamSpec("area_tolerance", "实施单元面积偏离参考值的预警比例", "rate", None,
              "富阳 四(三) 仅规定20公顷左右为参考"),
    # 五(三)：“区财政设立专项资金，采用以奖代补方式…通过市级验收补助1000万元，
    # 通过省级验收补助1200万”
    ParamSpec("award_municipal", "通过市级验收补助（元）", "money", to_money("10000000.00"),
              FUNDING, required=True),
    ParamSpec("award_provincial", "通过省级验收补助（元）", "money", to_money("12000000.00"),
              FUNDING, required=True),
    # 五(三)：“当年未完成创建任务的，区财政补助核定至补助金额的70%（最高不超过700万），
    # 后续创建成功并验收通过后再拨付30%”
    ParamSpec("advance_rate", "当年未完成的核定比例", "rate", to_money("0.70"), FUNDING,
              required=True),
    ParamSpec("advance_cap", "当年未完成的核定上限（元）", "money", to_money("7000000.00"), FUNDING,
              required=True),
    ParamSpec("remainder_rate", "验收通过后再拨付比例", "rate", to_money("0.30"), FUNDING,
              required=True),
    # 五(三)：“通过省、市考核验收的乡镇（街道）最终支出额低于核定补助部分，区财政奖励50%。”
    ParamSpec("saving_reward_rate", "结余奖励比例", "rate", to_money("0.50"), FUNDING,
              required=True),
    # 四(二)：“创建项目申报后，街道（乡镇）应及时编制申报方案和实施方案，按规定进行评审。” The
    # document ties them to no step; the platform requires them by the acceptance request.
    ParamSpec("materials_submit", "提交申报须附材料", "materials", (),
              "富阳 四(二)（申报时文件未要求附方案）"),
    ParamSpec("materials_acceptance", "申请验收须附材料", "materials",
              ("application_plan", "implementation_plan"),
              "富阳 四(二) 申报后及时编制申报方案和实施方案（本平台于申请验收时核验）"),
)
# 五(三)：“区财政对旧改类项目予以资金补助” and “区财政设立专项资金，采用以奖代补方式，支持乡镇
# （街道）创建未来社区” (no category): which categories the award covers is the version's
# reading; the document's two sentences, default both (DOMAIN 6.2).
PARAMETERS = (*PARAMETERS, ParamSpec(
    "award_renovation_only", "以奖代补仅补助旧改类项目", "bool", False,
    "富阳 五(三) “对旧改类项目予以资金补助”与以奖代补“支持乡镇（街道）创建未来社区”未限类型",
    required=True))
SCOPE_BOTH = ("按旧改类、新建类均予补助的理解执行：五(三)以奖代补“支持乡镇（街道）创建未来社区”未限定类型"
              "（另有“对旧改类项目予以资金补助”一句）")
SCOPE_RENOVATION = "按仅补助旧改类的理解执行：五(三)“区财政对旧改类项目予以资金补助”"
SPECIAL_CASE = "富阳 五(三) 有特殊情况的实行一事一议"
SUBSIDY_KEYS = ("award_municipal", "award_provincial", "advance_rate", "advance_cap",
                "remainder_rate", "saving_reward_rate")


def _application(tier):
    """四(二) 项目申报：街道（乡镇）“自主申报创建项目，经区城乡风貌整治提升（未来社区建设）
    工作领导小组办公室研究后，择优向省（市）进行申报。”"""
    level = TIER_LABELS[tier]
    return (
        Step("district_selection", "district", "review", "区领导小组办公室研究择优申报",
             "富阳 四(二)"),
        Step("listing", "district", "record_listing", f"录入{level}创建名单", "富阳 四(二)"),
    )


def _acceptance(tier):
    """四(七) 验收命名：“由街道（乡镇）提出验收申请并组织开展验收，区城乡风貌整治提升（未来
    社区建设）工作领导小组办公室组织各部门对创建项目进行复核。通过复核的项目按照省市验收
    流程提请验收。” The street's request is its own organised acceptance."""
    level = TIER_LABELS[tier]
    return (
        Step("district_recheck", "district", "review", "区领导小组办公室组织复核", "富阳 四(七)"),
        Step("acceptance", "district", "record_acceptance", f"录入{level}验收结果", "富阳 四(七)"),
        Step("naming", "district", "record_naming", f"录入{level}命名", "富阳 四(七)"),
    )


class FuyangPolicy(Policy):
    code = "fuyang-2021"
    document_no = "富阳区城镇未来社区创建工作行动方案（2021-2023年）（征求意见稿）"
    title = "杭州市富阳区城镇未来社区创建工作行动方案（2021-2023年）"
    short_name = "富阳"
    region_name = "杭州市富阳区"
    jurisdiction = ("330111",)
    in_force_from = date(2021, 1, 1)
    # 标题“行动方案（2021-2023年）”: the plan's own period; projects bound later are flagged
    period_to = date(2023, 12, 31)
    period_label = "2021—2023年"
    period_basis = "富阳 行动方案（2021-2023年） 标题"
    is_draft = True
    tiers = ("provincial", "municipal")
    tiers_basis = "富阳 四(三) 开展市级及以上未来社区创建"
    PARAMETERS = PARAMETERS
    MATERIAL_BASES = {
        ("request_acceptance", "application_plan"): "富阳 四(二) 申报后及时编制申报方案（本平台于申请验收时核验）",
        ("request_acceptance", "implementation_plan"): "富阳 四(二) 申报后及时编制实施方案（本平台于申请验收时核验）",
    }
    APPLICATION_CHAINS = {tier: _application(tier) for tier in tiers}
    ACCEPTANCE_CHAINS = {tier: _acceptance(tier) for tier in tiers}
    QUOTAS = (
        # 三 总体目标：“在2023年底前每个街道（重点乡镇）至少创建完成1个未来社区项目”
        quota("completed_per_street", "每个街道（重点乡镇）至少创建完成1个未来社区项目",
              scope="street", target=1, year=2023, basis="富阳 三"),
        # 三：“拟定17个未来社区创建项目（详见附件1）”
        quota("rolling_library", "年度轮动项目库拟定创建项目", scope="district", target=17,
              year=2023, district_code="330111", basis="富阳 三、附件1"),
    )

    # -- 四(三) 面积范围: pre-checks at application

    def prechecks(self, facts: Facts, params=None) -> list[Check]:
        """四(三)：“创建项目实施单元范围内无别墅、排屋、洋房等高档住宅…应避免跨越铁路，或国省道、
        城市快速路、城市主干道等高等级道路…或宽度较大的河流等分割屏障，难以实现区块间联通的
        项目不宜申报。原则上应避免跨越不同的社区行政管辖范围…如涉及多个社区可通过调整实现
        统一管理。”"""
        p = self.resolve(params)
        checks = []
        if facts.has_villas:
            checks.append(Check("villas_in_unit", "block",
                                "实施单元范围内有别墅、排屋、洋房等高档住宅，不得申报",
                                "富阳 四(三)"))
        if facts.split_by_barrier:
            checks.append(Check("split_by_barrier", "warning",
                                "实施单元被铁路、国省道、城市快速路、城市主干道或较宽河流等分割，"
                                "难以实现区块间联通，不宜申报", "富阳 四(三)"))
        if facts.admin_community_count is not None and facts.admin_community_count > 1:
            checks.append(Check("multiple_admin_communities", "warning",
                                f"实施单元跨越{facts.admin_community_count}个社区行政管辖范围，"
                                "应通过调整由单一社区组织统一管理", "富阳 四(三)"))
        tolerance, reference = p["area_tolerance"], p["reference_area_ha"]
        if facts.area_ha is not None and tolerance is not None:
            if abs(facts.area_ha - reference) > reference * tolerance:
                message = (f"实施单元面积{facts.area_ha}公顷，与{reference}公顷左右的参考值"
                           "相差较大，请按实际改造或建设需求说明理由")
                checks.append(Check("area_far_from_reference", "warning", message,
                                    self.basis_of("area_tolerance", tolerance)))
        return checks

    # -- 五(三) 落实经费保障: the district's 以奖代补 subsidy

    def year_end_deadline(self, facts: Facts, params=None) -> DeadlineRuling:
        """五(三)：“当年未完成创建任务的…” — 31 December of the task year."""
        label = "当年创建任务完成时限"
        task_year = self.task_year(facts, params)
        if task_year is None:
            return DeadlineRuling(None, f"未确定任务年度（{FUNDING}）", label)
        return DeadlineRuling(year_end(task_year), FUNDING, label)

    def award_amount(self, tier: str, params=None) -> Decimal:
        """amount(T): 通过市级验收补助1000万元，通过省级验收补助1200万."""
        p = self.resolve(params)
        return p[f"award_{self.validate_tier(tier)}"]

    def subsidy(self, facts: Facts, params=None) -> SubsidyRuling:
        """DOMAIN 6.2 on 五(三): approved subsidy A, the year-end advance, the settlement —
        with the statement's lines (年底预拨, 核定补助A, 应付, 街道承担, 结余奖励, 合计, 决算拨付)."""
        p = self.resolve(params)
        amount = self.award_amount(facts.tier, p)
        basis = [FUNDING, *self.admin_set(p, (*SUBSIDY_KEYS, "award_renovation_only"))]
        admin = "".join(f"；{note}" for note in basis[1:])
        warnings, lines = [], []
        renovation_only = p["award_renovation_only"]
        reading = (f"补助范围：{SCOPE_RENOVATION if renovation_only else SCOPE_BOTH}"
                   f"（{self.basis_of('award_renovation_only', renovation_only)}）")

        def ruling(approved, payments, settlement, summary):
            return SubsidyRuling(approved, payments, settlement, basis, warnings, scheme="settlement",
                                 summary=summary, lines=lines, reading=reading)

        if renovation_only and facts.category != "renovation":
            return ruling(None, [], None, "按本版本的理解，以奖代补仅补助旧改类项目，本项目（新建类）不予补助")

        def approved_later():
            return RulingLine("approved", "核定补助A", None, f"{FUNDING}：通过验收后核定" + admin)

        # “同一个社区创建补助以创建的最高级别对应的补助额为上限”
        room, already = community_room(facts, lambda tier: self.award_amount(tier, p))
        cap = cap_check(facts, room, already, FUNDING) if already > 0 else None
        if cap:
            warnings.append(cap)
        task_year = self.task_year(facts, p)
        if task_year is None:
            warnings.append(Check("task_year_unknown", "warning",
                                  "未确定任务年度（计划完成年度），无法判断是否当年完成创建任务",
                                  FUNDING))
            lines += [RulingLine("advance", "年底预拨", None,
                                 f"未确定任务年度，无法判断是否当年完成创建任务（{FUNDING}）" + admin),
                      approved_later()]
            return ruling(None, [], None, AWAITING_ACCEPTANCE)

        # “当年未完成创建任务的，区财政补助核定至补助金额的70%（最高不超过700万）”
        first = min(to_money(amount * p["advance_rate"]), p["advance_cap"])
        in_year = facts.accepted_on is not None and facts.accepted_on <= year_end(task_year)
        payments = []
        if in_year:
            lines.append(RulingLine("advance", "年底预拨", None,
                                    f"{FUNDING}：{facts.accepted_on} 通过验收，在任务年度（{task_year}年）"
                                    "内完成，无年底预拨" + admin))
        else:
            advance = None
            if min(first, room) > 0:
                advance = Payment("advance", min(first, room), "district", year_end(task_year),
                                  f"year_end_advance:{task_year}", FUNDING)
                payments.append(advance)
            lines.append(RulingLine(
                "advance", "年底预拨", advance.amount if advance else None,
                f"{FUNDING}：任务年度{task_year}年12月31日前未通过验收（当年未完成创建任务）的，当日核定 "
                f"min({p['advance_rate']:.0%} × {format_grouped(amount)}, {format_grouped(p['advance_cap'])})"
                + admin, payment=advance))
        if facts.accepted_on is None:
            lines.append(approved_later())
            return ruling(None, payments, None, AWAITING_ACCEPTANCE)

        # accepted: full amount in the task year, else “验收通过后再拨付30%”
        full = amount if in_year else first + to_money(amount * p["remainder_rate"])
        approved = min(full, room)
        if facts.approved_override is not None:  # 一事一议: the district approved another amount
            override, note = facts.approved_override
            lines.append(RulingLine("override", "一事一议核定", override,
                                    f"{SPECIAL_CASE}：{note}；按规则核定为 {format_grouped(approved)}"))
            basis.append(SPECIAL_CASE)
            approved = override
        if in_year:
            approved_basis = (f"{FUNDING}：任务年度内通过{TIER_LABELS[facts.tier]}验收，"
                              f"补助 {format_grouped(amount)}")
        else:
            approved_basis = (f"{FUNDING}：预拨 {format_grouped(first)} + 验收通过后再拨付 "
                              f"{p['remainder_rate']:.0%} × {format_grouped(amount)}")
        if cap:
            approved_basis += f"；{cap.message}"
        lines.append(RulingLine("approved", "核定补助A", approved, approved_basis + admin))
        if facts.spent is None:
            return ruling(approved, payments, None, AWAITING_SETTLEMENT)

        paid = sum((payment.amount for payment in payments), ZERO)
        settlement = self.settle(approved, facts.spent, paid, p)
        payment = Payment("settlement", settlement.payment, "district", None, "settlement", FUNDING)
        payments.append(payment)
        if settlement.payment < 0:
            warnings.append(Check("settlement_recovery", "info",
                                  f"决算应退回{format_money(-settlement.payment)}元", FUNDING))
        spent = format_grouped(facts.spent)
        lines += [
            RulingLine("payable", "应付（按实际补助）", settlement.payable,
                       f"min(实际支出S {spent}, A {format_grouped(approved)})；{FUNDING} "
                       "最终支出额未超核定补助的，按实际补助"),
            RulingLine("borne_by_street", "街道承担", settlement.borne_by_street,
                       f"max(0, S − A)；{FUNDING} 创建支出额超出核定补助的部分由乡镇（街道）全额承担"),
            RulingLine("reward", "结余奖励", settlement.reward,
                       f"{p['saving_reward_rate']:.0%} × max(0, A − S)；{FUNDING} "
                       "最终支出额低于核定补助部分，区财政奖励" + admin),
            RulingLine("total", "合计", settlement.total, "应付 + 结余奖励"),
            RulingLine("settlement", "决算拨付", settlement.payment,
                       f"合计 {format_grouped(settlement.total)} − 已预拨 {format_grouped(paid)}",
                       note="应退回" if settlement.payment < 0 else "", payment=payment),
        ]
        return ruling(approved, payments, settlement, "")

    def settle(self, approved: Decimal, spent: Decimal, paid: Decimal, params=None) -> Settlement:
        """决算 with the street's actual spending S:

        “创建支出额超出核定补助的部分由乡镇（街道）全额承担，最终支出额未超核定补助的，按实际
        补助。通过省、市考核验收的乡镇（街道）最终支出额低于核定补助部分，区财政奖励50%。”
        """
        p = self.resolve(params)
        spent = to_money(spent)
        payable = min(spent, approved)
        borne_by_street = max(ZERO, spent - approved)
        reward = to_money(p["saving_reward_rate"] * max(ZERO, approved - spent))
        total = payable + reward
        return Settlement(payable, borne_by_street, reward, total, to_money(total - paid))


POLICY = FuyangPolicy()
