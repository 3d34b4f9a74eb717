"""Policy parameters (政策参数): the documents' numbers, which an administrator may change.

The Django admin stores a JSON dict per policy version with an effective date and calls
`validate_parameters` on it; the policy methods call it again on whatever they are given
(it is idempotent), so a rule never sees an unchecked value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from .money import to_money

if TYPE_CHECKING:
    from .base import Policy

PARAM_KINDS = ("money", "rate", "int", "years", "bool", "date", "codes", "materials")
DISTRICT_CODE = re.compile(r"^\d{6}$")
MONEY_TEXT = re.compile(r"^[0-9]{1,15}(\.[0-9]{1,2})?$")  # ASCII digits only; at most 10^15 元
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ParameterError(ValueError):
    """A policy parameter an administrator entered is invalid; `key` names it."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class ParamSpec:
    """One policy parameter. `basis` is the clause (or what the document leaves open).

    kind: money (Decimal 元), rate (Decimal in [0, 1]), int, years, bool, date,
    codes (tuple of 6-digit district codes), materials (tuple of policies.materials keys).
    None means 未设定 unless `required`.
    """

    key: str
    label: str
    kind: str
    default: object
    basis: str
    required: bool = False
    choices: tuple | None = None

    def __post_init__(self):
        if self.kind not in PARAM_KINDS:
            raise ValueError(f"kind {self.kind!r} not in {PARAM_KINDS}")


def _clean_money(value):
    if isinstance(value, str) and not MONEY_TEXT.match(value):
        raise ValueError("金额须为不超过两位小数的非负数字，如 \"1000000.00\"")
    amount = to_money(value)  # TypeError for float
    if isinstance(value, Decimal) and amount != value:
        raise ValueError("金额最多两位小数")
    if amount < 0:
        raise ValueError("金额不能为负数")
    return amount


def _clean_rate(value):
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise TypeError("比例须为字符串或 Decimal，如 \"0.50\"")
    try:
        rate = Decimal(value)
    except InvalidOperation:
        raise ValueError("比例须为 0 到 1 之间的数字，如 \"0.50\"") from None
    if not rate.is_finite() or not 0 <= rate <= 1:
        raise ValueError("比例须在 0 到 1 之间")
    return rate


def _clean_count(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("须为整数")
    if value < 0:
        raise ValueError("不能为负数")
    return value


def _clean_bool(value):
    if not isinstance(value, bool):
        raise TypeError("须为 true 或 false")
    return value


def _clean_date(value):
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and ISO_DATE.match(value):
        return date.fromisoformat(value)
    raise TypeError("日期须为 YYYY-MM-DD")


def _clean_codes(value):
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise TypeError("须为区县代码列表")
    for code in value:
        if not isinstance(code, str) or not DISTRICT_CODE.match(code):
            raise ValueError(f"区县代码须为6位数字：{code!r}")
    return tuple(value)


def _clean_materials(value):
    from .materials import MATERIALS

    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise TypeError("须为材料代码列表，如 [\"creation_plan\"]")
    for key in value:
        if not isinstance(key, str) or key not in MATERIALS:
            raise ValueError(f"未知材料代码：{key!r}（可选：{'、'.join(MATERIALS)}）")
    return tuple(dict.fromkeys(value))


_CLEANERS = {
    "money": _clean_money,
    "rate": _clean_rate,
    "int": _clean_count,
    "years": _clean_count,
    "bool": _clean_bool,
    "date": _clean_date,
    "codes": _clean_codes,
    "materials": _clean_materials,
}


def clean_parameter(spec: ParamSpec, value):
    """One value, cleaned per `spec.kind`, or ParameterError(spec.key, …)."""
    if value is None:
        if spec.required:
            raise ParameterError(spec.key, f"{spec.label}必须填写")
        return None
    try:
        cleaned = _CLEANERS[spec.kind](value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(spec.key, f"{spec.label}：{exc}") from None
    if spec.choices is not None and cleaned not in spec.choices:
        raise ParameterError(spec.key, f"{spec.label}：不在可选范围内")
    return cleaned


class CleanedParameters(dict):
    """A policy's validated parameters: read-only, and recognised by validate_parameters,
    which returns it as it is instead of cleaning it again (the nightly subsidy run passes
    one version's parameters for 100,000+ projects: cleaning them each time took 12 s)."""

    def __init__(self, policy_code: str, values: dict):
        super().__init__(values)
        self.policy_code = policy_code

    def _read_only(self, *args, **kwargs):
        raise TypeError("已校验的政策参数不可修改；请复制后再改（dict(params)）")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _read_only

    def __reduce__(self):  # copy/pickle as a plain dict
        return (dict, (dict(self),))


def validate_parameters(policy: Policy, mapping: Mapping | None) -> dict:
    """The policy's full parameter dict: defaults overlaid with `mapping`, cleaned.

    Unknown keys are refused (a typo must not silently fall back to a default).
    Idempotent: a cleaned dict validates to itself (and is returned as it is).
    """
    if isinstance(mapping, CleanedParameters) and mapping.policy_code == policy.code:
        return mapping
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, Mapping):
        raise ParameterError("parameters", "参数须为 JSON 对象")
    specs = {spec.key: spec for spec in policy.PARAMETERS}
    for key in mapping:
        if key not in specs:
            raise ParameterError(str(key), f"{policy.short_name}政策没有此参数")
    return CleanedParameters(policy.code, {
        key: clean_parameter(spec, mapping[key] if key in mapping else spec.default)
        for key, spec in specs.items()
    })


def parameters_as_json(policy: Policy, params: Mapping | None = None) -> dict:
    """Cleaned parameters as JSON values ("0.70", "2023-08-01", ["330402"]) that validate
    back to themselves, e.g. to store the document's values as a first parameter version."""

    def as_json(value):
        if isinstance(value, Decimal):
            return format(value, "f")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple):
            return list(value)
        return value

    return {key: as_json(value) for key, value in validate_parameters(policy, params).items()}
