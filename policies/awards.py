"""Rules two documents share the shape of: the community cap and the award on naming.

- Community cap (同一个社区创建补助以创建的最高级别对应的补助额为上限, 富阳 五(三); in
  Jiaxing only when an administrator sets it): what the community's projects at *other*
  tiers already got counts against the amount of the highest tier reached. An entry of
  `prior_approved_for_community` at this project's own tier is taken to be this project's
  own earlier approval (one project = one community's attempt at one tier, DOMAIN 3), so it
  does not count; CONTRACTS §3's example (municipal project, municipal prior of 10,000,000.00,
  approved 10,000,000.00) requires exactly this reading.
- Award on naming (嘉兴 三(二); Shaoxing 2023 once an administrator sets amounts): one
  amount per tier, split between city finance and the district's own finance.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .base import (
    PAYER_LABELS,
    TIER_LABELS,
    TIER_RANK,
    Check,
    Facts,
    Payment,
    RulingLine,
    SubsidyRuling,
)
from .money import ZERO, format_money, to_money


def local_payer(district_code: str) -> str:
    """Which local finance pays: 区 (GB/T 2260 codes xx01–xx20) "district", else "county"."""
    return "district" if int(district_code[4:6]) <= 20 else "county"


def community_room(facts: Facts, amount_of: Callable[[str], Decimal]) -> tuple[Decimal, Decimal]:
    """(room, already): how much this project may still get under the community cap.

    cap = amount of the highest tier among this project and the community's other-tier
    approvals; room = max(0, cap − what those other-tier approvals already got).
    """
    others = [(tier, amount) for tier, amount in facts.prior_approved_for_community
              if tier != facts.tier]
    highest = max([facts.tier, *(tier for tier, _ in others)], key=TIER_RANK.__getitem__)
    already = sum((to_money(amount) for _, amount in others), ZERO)
    return max(ZERO, amount_of(highest) - already), already


def cap_check(facts: Facts, room: Decimal, already: Decimal, basis: str) -> Check:
    return Check(
        "community_cap_top_up",
        "info",
        f"同一社区补助以创建的最高级别对应的补助额为上限：该社区其他级别已核定"
        f"{format_money(already)}元，本项目{TIER_LABELS[facts.tier]}至多核定补差"
        f"{format_money(room)}元",
        basis,
    )


def naming_award(
    facts: Facts,
    amount: Decimal,
    *,
    city_share: Decimal | None,
    basis: list[str],
    warnings: list[Check],
) -> SubsidyRuling:
    """One-time award on naming (命名), dated `named_on`.

    city_share of it is paid by city finance, the rest by the district's own finance
    (`local_payer`); approved stays None until the project is named.
    """
    trigger = f"naming:{facts.tier}"
    city_part = to_money(amount * city_share) if city_share else ZERO
    parts = (("city", city_part), (local_payer(facts.district_code), amount - city_part))
    payments = [
        Payment("award", part, payer, facts.named_on, trigger, basis[0])
        for payer, part in parts
        if part > 0
    ]
    approved = amount if facts.named_on is not None else None
    joined = "；".join(basis)
    label = f"{TIER_LABELS[facts.tier]}命名奖补"
    if approved is None:
        return SubsidyRuling(None, payments, None, list(basis), list(warnings), scheme="award",
                             summary="尚未命名：命名后一次性奖补",
                             lines=[RulingLine("approved", label, None, joined)])
    lines = [RulingLine("approved", label, approved, joined)]
    for payment in payments:
        share = payment.amount / approved
        lines.append(RulingLine(f"award_{payment.payer}", f"{PAYER_LABELS[payment.payer]}负担",
                                payment.amount, f"{joined}：{share:.0%}，{payment.due_on} 命名",
                                payment=payment))
    return SubsidyRuling(approved, payments, None, list(basis), list(warnings), scheme="award",
                         summary="命名一次性奖补，无决算", lines=lines)
