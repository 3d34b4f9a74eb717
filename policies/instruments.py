"""Which jurisdiction has which instrument (制度): the supervision and reporting tools only one
document sets up, each with its clause. The jurisdiction is that document's policy's own
(`Policy.jurisdiction`, region-code prefixes), so a city's code is written once, in its module.

Permission modules ask `communities.permissions.has_instrument(user, key)`; data selections
read `jurisdiction(key)`. Nothing here decides who within the jurisdiction may act: that is
each app's `can_<action>`.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import fuyang, jiaxing, shaoxing_2023
from .base import Policy


@dataclass(frozen=True)
class Instrument:
    name: str
    policy: Policy  # the document that sets it up; its jurisdiction is the instrument's
    basis: str

    @property
    def jurisdiction(self) -> tuple[str, ...]:
        return tuple(self.policy.jurisdiction)


INSTRUMENTS: dict[str, Instrument] = {
    "monthly_meeting": Instrument(
        "月报月例会", jiaxing.POLICY, "嘉兴 三(三) 市风貌办建立健全动态评价督导制度、月报月例会制度"),
    "target_assessment": Instrument(
        "年度目标管理考核", jiaxing.POLICY, "嘉兴 三(三) 各县(市、区)将未来社区建设工作纳入年度目标管理考核"),
    "approval_ledger": Instrument(
        "旧改项目审批台账", shaoxing_2023.POLICY, "绍兴2023 三(四) 优化项目审批"),
    "whole_area": Instrument(
        "县域、街道全域未来社区", shaoxing_2023.POLICY, shaoxing_2023.WHOLE_AREA),
    "bulletins": Instrument(
        "月度通报、季度晾晒", shaoxing_2023.POLICY, "绍兴2023 四 每月通报进展情况，每季度晾晒考评结果"),
    "monthly_evaluation": Instrument(
        "月度评价通报", fuyang.POLICY, "富阳 五(六) 挂图作战、精准跟踪，每月进行评价通报"),
    "work_summaries": Instrument(
        "工作总结（三张清单）", fuyang.POLICY,
        "富阳 五(一) 每周、每半月、每月进行工作总结和问题梳理，形成问题清单、工作清单、创新清单"),
}


def jurisdiction(key: str) -> tuple[str, ...]:
    """The region codes (prefixes) where instrument `key` applies."""
    return INSTRUMENTS[key].jurisdiction


def covers(key: str, region_code: str | None) -> bool:
    """`region_code` lies in the jurisdiction of instrument `key` (a code begins with its parents')."""
    return bool(region_code) and region_code.startswith(jurisdiction(key))
