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

from datetime import date

from . import fuyang, jiaxing, shaoxing_2019, shaoxing_2023
from .base import FactsError, NoPolicyInForce, Policy, validate_district_code

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
