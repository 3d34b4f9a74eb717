"""未来社区政策规则 — one module per policy document, plain Python (no Django).

| code          | module           | document                     | region | in force              |
|---------------|------------------|------------------------------|--------|-----------------------|
| shaoxing-2019 | shaoxing_2019.py | 绍政办发〔2019〕39号         | 3306xx | 2019-12-27–2023-07-31 |
| shaoxing-2023 | shaoxing_2023.py | 绍政办发〔2023〕21号         | 3306xx | from 2023-08-01       |
| jiaxing-2023  | jiaxing.py       | 嘉兴市…实施意见（征求意见稿）| 3304xx | from 2023-02-09       |
| fuyang-2021   | fuyang.py        | 富阳区…行动方案（征求意见稿）| 330111 | from 2021-01-01       |

Conventions every module keeps:
- Every ruling names its basis: a clause ("富阳 四(六)"), "未设定（…）" where the document is
  silent, or "管理员设定参数（…）" where an administrator's parameter replaced or filled it.
- A pre-check applies only under the policy whose clause it cites (富阳 四(三) under
  fuyang-2021, 绍兴2023 三(一)/三(四) under shaoxing-2023, 嘉兴 二(五)13 under jiaxing-2023,
  绍兴2019 二(二) under shaoxing-2019 only): a project is governed by one document at a time.
- Money is Decimal (money.py); "+ N years" is dates.add_years.
"""

from dataclasses import dataclass
from datetime import date

from . import fuyang, jiaxing, shaoxing_2019, shaoxing_2023
from .base import TIER_LABELS, Check, FactsError, NoPolicyInForce, Policy, validate_district_code

POLICIES: dict[str, Policy] = {
    policy.code: policy
    for policy in (shaoxing_2019.POLICY, shaoxing_2023.POLICY, jiaxing.POLICY, fuyang.POLICY)
}


def get_policy(code) -> Policy:
    try:
        return POLICIES[code]
    except (KeyError, TypeError):
        known = "、".join(POLICIES)
        raise FactsError("policy", f"未知的政策：{code!r}（可选 {known}）") from None


def policy_in_force(district_code: str, on: date) -> Policy:
    """The policy in force for `district_code` on `on` (usually the listing date)."""
    validate_district_code(district_code)
    covering = [policy for policy in POLICIES.values() if policy.covers(district_code)]
    if not covering:
        raise NoPolicyInForce("district_code", f"区县 {district_code} 不在本平台的政策范围内"
                                               "（绍兴市、嘉兴市、杭州市富阳区）")
    for policy in covering:
        if policy.in_force_on(on):
            return policy
    first = min(covering, key=lambda policy: policy.in_force_from)
    raise NoPolicyInForce(
        "listed_on",
        f"{on.isoformat()} {first.region_name}没有施行中的未来社区政策"
        f"（{first.document_no}自{first.in_force_from.isoformat()}起施行）",
    )


@dataclass(frozen=True)
class Binding:
    """The policy a project binds to on `on`, and why when it is not simply the one in force."""

    policy: Policy
    note: str = ""


def bind(district_code: str, on: date, tier: str | None = None) -> Binding:
    """The policy a project of `tier` binds to on `on` (DOMAIN: policy periods).

    A tier the policy in force does not know binds to the jurisdiction's later policy that
    knows it when that policy's plan counts the same year (绍兴: 市级/县级 projects of 2023
    listed before 2023-08-01 bind to shaoxing-2023, whose 附件 counts them for 2023), and
    says so."""
    policy = policy_in_force(district_code, on)
    if tier is None or tier in policy.tiers or tier not in TIER_LABELS:
        return Binding(policy)
    later = [other for other in POLICIES.values()
             if other.covers(district_code) and other.in_force_from > on
             and tier in other.tiers and on.year in other.counts_years]
    if not later:
        return Binding(policy)
    chosen = min(later, key=lambda other: other.in_force_from)
    note = (f"{policy.short_name}（{policy.document_no}）没有{TIER_LABELS[tier]}未来社区，"
            f"按{chosen.short_name}（{chosen.document_no}）绑定：该方案计入{on.year}年的"
            f"{TIER_LABELS[tier]}项目（依据：{chosen.counts_years_basis}）")
    return Binding(chosen, note)


def period_check(policy: Policy, on: date | None, continuation: str = "") -> Check | None:
    """超出文件执行期（沿用）: a project bound after the document's period keeps its last
    version, flagged on every number it gets, until an administrator records a continuation
    version with its document number (`continuation`)."""
    if on is None or policy.period_to is None or on <= policy.period_to or continuation:
        return None
    return Check("beyond_policy_period", "warning",
                 f"超出文件执行期（{policy.period_label}），沿用{policy.document_no}的规定，"
                 "待管理员录入延续执行文件", policy.period_basis)
