"""The policy simulator behind `simulate_policy`, the API and the what-if page (CONTRACTS §3).

`parse_facts` turns the facts JSON into `Facts`, strictly: anything it cannot read exactly
is a FactsError naming the JSON field (e.g. "prior_approved_for_community[0].approved").
`simulate` returns the rulings JSON, with exactly the keys and forms of CONTRACTS §3.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from . import POLICIES, bind, get_policy, period_check, policy_in_force
from .base import (
    Check,
    DeadlineRuling,
    Facts,
    FactsError,
    Policy,
    SubsidyRuling,
    validate_district_code,
)
from .money import format_money, to_money
from .parameters import ISO_DATE, MONEY_TEXT

FACT_FIELDS = (*(field.name for field in fields(Facts)), "community")
# CONTRACTS §3 `community` object: JSON key → Facts field
COMMUNITY_FIELDS = {"has_villas": "has_villas", "split_by_barrier": "split_by_barrier",
                    "in_key_area": "in_key_area", "area_ha": "area_ha",
                    "administrative_communities": "admin_community_count",
                    "safety_hazard": "safety_hazards"}
FLAGS = ("involves_demolition", "involves_relocation", "rebuild")  # absent → false
OPTIONAL_BOOLS = ("has_villas", "split_by_barrier", "government_funded", "enterprise_funded",
                  "changes_land_use", "in_key_area",
                  "has_needs_survey", "has_satisfaction_survey", "linked_old_estate_renovation",
                  "stock_land_used", "public_notice_consented")

ParamsFor = Callable[[str, date | None], dict | None]


# ---------------------------------------------------------------- reading facts


def _required(data: dict, key: str):
    if data.get(key) is None:
        raise FactsError(key, "必须填写")
    return data[key]


def _date(value, field: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise FactsError(field, f"日期须为 YYYY-MM-DD 格式：{value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FactsError(field, f"不存在的日期：{value}") from None


def _money(value, field: str) -> Decimal | None:
    """A decimal string (at most two places) or an int, ≥ 0; never a float."""
    if value is None:
        return None
    if isinstance(value, float):
        raise FactsError(field, "金额须为字符串（如 \"12000000.00\"），不能是浮点数")
    if isinstance(value, str) and MONEY_TEXT.match(value):
        return to_money(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return to_money(value)
    raise FactsError(field, f"金额须为不超过两位小数的非负数字字符串：{value!r}")


def _quantity(value, field: str) -> Decimal | None:
    """A non-negative number (area, ㎡) as a decimal string or int."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return Decimal(value)
    if isinstance(value, str) and MONEY_TEXT.match(value):
        return Decimal(value)
    raise FactsError(field, f"须为非负数字（字符串或整数，最多两位小数）：{value!r}")


def _bool(value, field: str, default=None):
    if value is None:
        return default
    if not isinstance(value, bool):
        raise FactsError(field, "须为 true 或 false")
    return value


def _int(value, field: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FactsError(field, f"须为 {low} 到 {high} 之间的整数")
    return value


def _policy(code, district_code: str, listed_on: date | None, tier=None) -> Policy:
    if code is None:
        if listed_on is None:
            raise FactsError("listed_on",
                             "未指定 policy 时须填写列入创建名单日期，以确定当时施行的政策")
        return bind(district_code, listed_on, tier).policy
    policy = get_policy(code)
    if not policy.covers(district_code):
        if not any(other.covers(district_code) for other in POLICIES.values()):
            policy_in_force(district_code, listed_on or policy.in_force_from)  # raises
        raise FactsError("policy",
                         f"{policy.code} 适用于{policy.region_name}，与区县 {district_code} 不符")
    return policy


def _prior(value, policy: Policy) -> tuple[tuple[str, Decimal], ...]:
    field = "prior_approved_for_community"
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FactsError(field, "须为列表")
    prior = []
    for i, item in enumerate(value):
        here = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise FactsError(here, "须为 {\"tier\": …, \"approved\": …} 对象")
        for key in item:
            if key not in ("tier", "approved"):
                raise FactsError(f"{here}.{key}", "未知字段")
        try:
            tier = policy.validate_tier(item.get("tier"))
        except FactsError as exc:
            raise FactsError(f"{here}.tier", exc.message) from None
        if item.get("approved") is None:
            raise FactsError(f"{here}.approved", "必须填写")
        prior.append((tier, _money(item["approved"], f"{here}.approved")))
    return tuple(prior)


def _hazards(value, field: str = "safety_hazards") -> tuple[str, ...]:
    if value is None:
        return ()
    if field.startswith("community."):  # CONTRACTS §3 `safety_hazard`: a flag or a name
        if value is False:
            return ()
        if value is True:
            return ("安全隐患",)
        if isinstance(value, str) and value:
            return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise FactsError(field, "须为安全隐患名称的列表，如 [\"多孔预制楼板\"]")
    return tuple(value)


def _flatten_community(data: dict) -> dict:
    """The `community` object of CONTRACTS §3 read into the flat fact names."""
    community = data.get("community")
    if community is None:
        return data
    if not isinstance(community, dict):
        raise FactsError("community", "须为 JSON 对象")
    flat = {key: value for key, value in data.items() if key != "community"}
    for key, value in community.items():
        if key not in COMMUNITY_FIELDS:
            raise FactsError(f"community.{key}", "未知字段")
        name = COMMUNITY_FIELDS[key]
        if name in flat:
            raise FactsError(f"community.{key}", f"与 {name} 重复")
        try:
            if name == "safety_hazards":
                flat[name] = list(_hazards(value, f"community.{key}"))
            elif name in OPTIONAL_BOOLS:
                flat[name] = _bool(value, f"community.{key}")
            elif name == "area_ha":
                flat[name] = str(_quantity(value, f"community.{key}")) if value is not None else None
            else:
                flat[name] = _int(value, f"community.{key}", 0, 1000)
        except FactsError:
            raise
    return flat


def _text(value, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 200 or any(
            ord(ch) < 32 for ch in value):
        raise FactsError(field, "须为不超过200字的文字")
    return value.strip()


def parse_facts(data) -> Facts:
    """Facts from the simulate_policy input (CONTRACTS §3), or FactsError naming the field."""
    if not isinstance(data, dict):
        raise FactsError("facts", "输入须为 JSON 对象")
    for key in data:
        if key not in FACT_FIELDS:
            raise FactsError(str(key), "未知字段")
    data = _flatten_community(data)
    district_code = validate_district_code(_required(data, "district_code"))
    listed_on = _date(data.get("listed_on"), "listed_on")
    policy = _policy(data.get("policy"), district_code, listed_on, data.get("tier"))
    facts = Facts(
        policy=policy.code,
        district_code=district_code,
        tier=policy.validate_tier(_required(data, "tier")),
        category=policy.validate_category(_required(data, "category")),
        listed_on=listed_on,
        task_year=_int(data.get("task_year"), "task_year", 1990, 2100),
        accepted_on=_date(data.get("accepted_on"), "accepted_on"),
        named_on=_date(data.get("named_on"), "named_on"),
        spent=_money(data.get("spent"), "spent"),
        prior_approved_for_community=_prior(data.get("prior_approved_for_community"), policy),
        admin_community_count=_int(data.get("admin_community_count"), "admin_community_count",
                                   0, 1000),
        area_ha=_quantity(data.get("area_ha"), "area_ha"),
        total_investment=_money(data.get("total_investment"), "total_investment"),
        building_area=_quantity(data.get("building_area"), "building_area"),
        safety_hazards=_hazards(data.get("safety_hazards")),
        satisfaction_surveyed_on=_date(data.get("satisfaction_surveyed_on"), "satisfaction_surveyed_on"),
        open_project=_text(data.get("open_project"), "open_project"),
        **{key: _bool(data.get(key), key, default=False) for key in FLAGS},
        **{key: _bool(data.get(key), key) for key in OPTIONAL_BOOLS},
    )
    if facts.listed_on and facts.accepted_on and facts.accepted_on < facts.listed_on:
        raise FactsError("accepted_on", "验收日期早于列入创建名单日期")
    if facts.accepted_on and facts.named_on and facts.named_on < facts.accepted_on:
        raise FactsError("named_on", "命名日期早于验收日期")
    return facts


# ---------------------------------------------------------------- rulings


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def subsidy_json(ruling: SubsidyRuling | None) -> dict | None:
    if ruling is None:
        return None
    settlement = ruling.settlement
    return {
        "approved": format_money(ruling.approved) if ruling.approved is not None else None,
        "payments": [
            {"kind": payment.kind, "amount": format_money(payment.amount),
             "payer": payment.payer, "due_on": _iso(payment.due_on)}
            for payment in ruling.payments
        ],
        "settlement": None if settlement is None else {
            "payable": format_money(settlement.payable),
            "borne_by_street": format_money(settlement.borne_by_street),
            "reward": format_money(settlement.reward),
            "total": format_money(settlement.total),
            "payment": format_money(settlement.payment),
        },
        "basis": list(ruling.basis),
    }


def check_json(check: Check) -> dict:
    """One pre-check as CONTRACTS §3 writes it: code, level, message, basis."""
    return {"code": check.code, "level": check.severity, "message": check.message,
            "basis": check.basis}


def rulings_json(policy_code: str, deadline: DeadlineRuling, subsidy: SubsidyRuling | None,
                 warnings: list[Check], prechecks: list[Check] = ()) -> dict:
    """The rulings object of CONTRACTS §3, keys in the contract's order."""
    return {
        "policy": policy_code,
        "construction_deadline": {"date": _iso(deadline.date), "basis": deadline.basis},
        "subsidy": subsidy_json(subsidy),
        "warnings": [
            {"code": check.code, "message": check.message, "basis": check.basis}
            for check in warnings
        ],
        "prechecks": [check_json(check) for check in prechecks],
    }


@dataclass(frozen=True)
class Simulation:
    """One simulation: the rulings JSON of CONTRACTS §3 and the rulings it was written from,
    so a page can show the statement's own labels and explanation lines (RulingLine)."""

    rulings: dict
    policy: Policy
    deadline: DeadlineRuling
    subsidy: SubsidyRuling | None
    warnings: list[Check]
    prechecks: list[Check]


def simulate(data, params_for: ParamsFor | None = None) -> dict:
    """Facts JSON in, rulings JSON out (CONTRACTS §3); see `explain`."""
    return explain(data, params_for).rulings


def explain(data, params_for: ParamsFor | None = None) -> Simulation:
    """Facts JSON in, rulings JSON out (CONTRACTS §3).

    `params_for(policy_code, on)` may supply the administrator's parameters in force on
    `on`, the listing date (None when the facts have none: the caller's today applies,
    policies/ has no clock); None, or no callable, means the document's values.
    """
    facts = parse_facts(data)
    policy = get_policy(facts.policy)
    params = params_for(policy.code, facts.listed_on) if params_for else None
    params = policy.resolve(params)
    warnings = []
    try:
        binding = bind(facts.district_code, facts.listed_on, facts.tier) if facts.listed_on else None
    except FactsError:  # an explicit policy on a date no policy covers: warned just below
        binding = None
    bound_later = bool(binding and binding.note and binding.policy is policy)
    if bound_later:
        warnings.append(Check("bound_to_later_policy", "info", binding.note,
                              policy.counts_years_basis))
    elif facts.listed_on and not policy.in_force_on(facts.listed_on):
        until = policy.in_force_to.isoformat() if policy.in_force_to else "今"
        warnings.append(Check(
            "policy_not_in_force_on_listing", "warning",
            f"列入创建名单日期 {facts.listed_on.isoformat()} 不在该政策施行期"
            f"（{policy.in_force_from.isoformat()} 至 {until}）内",
            policy.document_no,
        ))
    beyond = period_check(policy, facts.listed_on)
    if beyond:
        warnings.append(beyond)
    subsidy = policy.subsidy(facts, params)
    if subsidy is not None:
        warnings += subsidy.warnings
    deadline = policy.construction_deadline(facts, params)
    prechecks = policy.application_prechecks(facts, params)
    return Simulation(rulings_json(policy.code, deadline, subsidy, warnings, prechecks), policy,
                      deadline, subsidy, warnings, prechecks)
