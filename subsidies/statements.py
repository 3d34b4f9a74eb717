"""The settlement statement (决算表) of one project: the columns of DOMAIN §6.2's table —
advance, A, payable, borne by the street, reward, total, settlement payment — each with
its basis, computed exactly as compute_subsidies computes them, beside the ledger rows.

Award policies (嘉兴 三(二); 绍兴2023 once an administrator sets amounts) show the award
and each payer's share; a policy without an award rule says 本政策未规定奖补标准.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from policies.base import TIER_LABELS
from policies.dates import year_end
from policies.money import ZERO, format_money, to_money
from subsidies.computation import KIND_LABELS, wanted_tranches
from subsidies.models import Payment
from subsidies.services import project_ruling

NO_RULE = "本政策未规定奖补标准"
NO_RULE_BASIS = {
    "shaoxing-2023": "绍兴2023 三(二) 由街道统筹各类财政保障资金，未规定奖补标准；管理员设定各级别奖补额后按设定计算",
    "shaoxing-2019": "绍兴2019 二(五) 改造更新类试点的土地出让收益作为资金来源记录，不计算奖补",
}
PAYER_LABELS = dict(Payment.Payer.choices)


def m(amount) -> str:
    """1234567.5 → "1,234,567.50" for the page."""
    return f"{amount:,.2f}"


@dataclass
class Line:
    key: str
    label: str
    amount: Decimal | None
    basis: str
    note: str = ""


@dataclass
class Statement:
    project: object
    kind: str  # "settlement" (决算), "award" (命名奖补) or "none"
    message: str = ""
    spent: Decimal | None = None
    lines: list[Line] = field(default_factory=list)
    warnings: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    paid_total: Decimal = ZERO

    def line(self, key) -> Line:
        return next(line for line in self.lines if line.key == key)


def settlement_statement(project, today=None) -> Statement:
    today = today or timezone.localdate()
    payments = list(project.payments.select_related("approved_by", "paid_by").order_by("id"))
    paid_total = project.payments.filter(state=Payment.State.PAID).aggregate(s=Sum("amount"))["s"] or ZERO
    facts, ruling = project_ruling(project, today)
    statement = Statement(project, "none", payments=payments, paid_total=paid_total,
                          spent=project.spending.filter(spent_on__lte=today).aggregate(s=Sum("amount"))["s"])
    policy = project.policy
    if ruling is None:
        statement.message = NO_RULE
        statement.lines.append(Line("approved", "核定补助", None,
                                    NO_RULE_BASIS.get(project.policy_code, NO_RULE)))
        return statement
    statement.warnings = ruling.warnings
    if hasattr(policy, "settle"):
        return _settlement(statement, policy, project, facts, ruling, today)
    return _award(statement, policy, facts, ruling)


def _settlement(statement, policy, project, facts, ruling, today):
    """富阳 五(三): A, the year-end advance and the settlement with spending S."""
    statement.kind = "settlement"
    p = policy.resolve(project.parameters())
    clause = ruling.basis[0]
    admin = "".join(f"；{b}" for b in ruling.basis[1:])
    amount = policy.award_amount(facts.tier, p)
    task_year = policy.task_year(facts, p)
    first = min(to_money(amount * p["advance_rate"]), p["advance_cap"])
    advances = [t for t in wanted_tranches(project, ruling, today) if t.kind == "advance"]
    tier = TIER_LABELS[facts.tier]
    cap = next((w.message for w in ruling.warnings if w.code == "community_cap_top_up"), "")

    if advances:
        advance_basis = (f"{clause}：任务年度{task_year}年12月31日前未通过验收（当年未完成创建任务），"
                         f"核定 min({p['advance_rate']:.0%} × {m(amount)}, {m(p['advance_cap'])})")
    elif task_year is None:
        advance_basis = f"未确定任务年度，无法判断是否当年完成创建任务（{clause}）"
    elif facts.accepted_on and facts.accepted_on <= year_end(task_year):
        advance_basis = f"{clause}：{facts.accepted_on} 通过验收，在任务年度（{task_year}年）内完成，无年底预拨"
    else:
        advance_basis = f"{clause}：任务年度{task_year}年12月31日尚未到，届时仍未通过验收的预拨"
    advance = sum((t.amount for t in advances), ZERO) if advances else None
    statement.lines.append(Line("advance", "年底预拨", advance, advance_basis + admin))

    if ruling.approved is None:
        statement.message = "尚未通过验收：核定补助A待验收通过后确定"
        statement.lines.append(Line("approved", "核定补助A", None, f"{clause}：通过验收后核定" + admin))
        return statement
    in_year = facts.accepted_on <= year_end(task_year)
    if in_year:
        a_basis = f"{clause}：任务年度内通过{tier}验收，补助 {m(amount)}"
    else:
        a_basis = (f"{clause}：预拨 {m(first)} + 验收通过后再拨付 {p['remainder_rate']:.0%} × {m(amount)}")
    if cap:
        a_basis += f"；{cap}"
    statement.lines.append(Line("approved", "核定补助A", ruling.approved, a_basis + admin))

    settlement = ruling.settlement
    if settlement is None:
        statement.message = "实际支出尚未决算：街道申报支出决算后计算应付、结余奖励与决算拨付"
        return statement
    spent, approved = facts.spent, ruling.approved
    statement.lines += [
        Line("payable", "应付（按实际补助）", settlement.payable,
             f"min(实际支出S {m(spent)}, A {m(approved)})；{clause} 最终支出额未超核定补助的，按实际补助"),
        Line("borne_by_street", "街道承担", settlement.borne_by_street,
             f"max(0, S − A)；{clause} 创建支出额超出核定补助的部分由乡镇（街道）全额承担"),
        Line("reward", "结余奖励", settlement.reward,
             f"{p['saving_reward_rate']:.0%} × max(0, A − S)；{clause} 最终支出额低于核定补助部分，区财政奖励"
             + admin),
        Line("total", "合计", settlement.total, "应付 + 结余奖励"),
        Line("settlement", "决算拨付", settlement.payment,
             f"合计 {m(settlement.total)} − 已预拨 {m(advance or ZERO)}",
             note="应退回" if settlement.payment < 0 else ""),
    ]
    return statement


def _award(statement, policy, facts, ruling):
    """嘉兴 三(二) (and 绍兴2023 with parameters): one award on naming, split by payer."""
    statement.kind = "award"
    basis = "；".join(ruling.basis)
    tier = TIER_LABELS[facts.tier]
    if ruling.approved is None:
        statement.message = "尚未命名：命名后一次性奖补"
        statement.lines.append(Line("approved", f"{tier}命名奖补", None, basis))
        return statement
    statement.message = "命名一次性奖补，无决算"
    statement.lines.append(Line("approved", f"{tier}命名奖补", ruling.approved, basis))
    for payment in ruling.payments:
        share = payment.amount / ruling.approved if ruling.approved else ZERO
        statement.lines.append(Line(f"award_{payment.payer}", f"{PAYER_LABELS[payment.payer]}负担",
                                    payment.amount, f"{basis}：{share:.0%}，{payment.due_on} 命名"))
    return statement


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind]


def as_json(statement: Statement) -> dict:
    return {
        "project": statement.project.pk,
        "policy": statement.project.policy_code,
        "kind": statement.kind,
        "message": statement.message,
        "spent": format_money(statement.spent) if statement.spent is not None else None,
        "paid_total": format_money(statement.paid_total),
        "lines": [{"key": line.key, "label": line.label,
                   "amount": format_money(line.amount) if line.amount is not None else None,
                   "basis": line.basis, "note": line.note} for line in statement.lines],
        "warnings": [{"code": w.code, "severity": w.severity, "message": w.message, "basis": w.basis}
                     for w in statement.warnings],
    }
