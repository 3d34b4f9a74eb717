"""Facts (事实): what is known about one creation project and its community — the input of
every rule (policies.base.Policy) and of simulate_policy (policies.simulate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, kw_only=True)
class Facts:
    """What is known about one creation project (and its community, for pre-checks).

    None for a community fact means unknown: the pre-check that needs it is skipped.
    """

    district_code: str
    tier: str
    category: str
    policy: str | None = None
    involves_demolition: bool = False  # 旧改类 涉及拆改 (read for renovation only)
    involves_relocation: bool = False  # 新建类 涉及拆迁安置 (read for new_build only)
    listed_on: date | None = None  # 公布日期 L: listed as a creation project
    task_year: int | None = None  # 计划完成年度
    accepted_on: date | None = None
    named_on: date | None = None
    spent: Decimal | None = None  # the street's actual spending S (元)
    prior_approved_for_community: tuple[tuple[str, Decimal], ...] = ()
    has_villas: bool | None = None
    split_by_barrier: bool | None = None
    admin_community_count: int | None = None
    area_ha: Decimal | None = None
    total_investment: Decimal | None = None
    building_area: Decimal | None = None  # ㎡
    government_funded: bool | None = None
    enterprise_funded: bool | None = None  # built with an enterprise's own money (企业自有资金)
    changes_land_use: bool | None = None  # land ownership/use, floor area or structure
    has_needs_survey: bool | None = None
    has_satisfaction_survey: bool | None = None
    # the date of this project's latest 满意度调研 with answers (嘉兴 二(五)13 验收前满意度调研)
    satisfaction_surveyed_on: date | None = None
    # 绍兴2023 三(一): the 实施方案 公示 has closed after its period with the stakeholders' consent
    public_notice_consented: bool | None = None
    safety_hazards: tuple[str, ...] = ()
    in_key_area: bool | None = None  # community lies in a 重点片区 (绍兴2023 二(一))
    open_project: str | None = None  # an open project of the community at this tier (its name)
    # 一事一议 (富阳 五(三)): an approved amount finance set for a special case, with its note
    # (reason, document number, the district's approval); replaces A once A is determined.
    approved_override: tuple[Decimal, str] | None = None
    rebuild: bool = False
    linked_old_estate_renovation: bool | None = None
    stock_land_used: bool | None = None
