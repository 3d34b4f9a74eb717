"""What every policy module shares: facts in, rulings out, parameters and their checks.

A policy module (fuyang.py, jiaxing.py, shaoxing_2019.py, shaoxing_2023.py) subclasses
`Policy`, writes the document's numbers as `PARAMETERS`, its review chains and quotas as
data, and overrides only the rules its document has (subsidy, pre-checks, ...).

Every ruling carries its basis (依据): the clause it comes from, "未设定（…）" where the
document is silent, or "管理员设定参数（…）" where an administrator's parameter decided it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .dates import add_years, next_month
from .facts import Facts  # rules and callers import Facts from base
from .parameters import (  # noqa: F401  (re-exported: the parameter API lives in base too)
    DISTRICT_CODE,
    PARAM_KINDS,
    ParameterError,
    ParamSpec,
    clean_parameter,
    parameters_as_json,
    validate_parameters,
)

TIER_LABELS = {"provincial": "省级", "municipal": "市级", "county": "县级"}
TIER_RANK = {"county": 0, "municipal": 1, "provincial": 2}
CATEGORY_LABELS = {"renovation": "旧改类", "new_build": "新建类"}
OFFICE_LEVELS = ("street", "district", "city", "leading_group")
STEP_ACTIONS = ("review", "record_listing", "record_acceptance", "record_naming")
SEVERITIES = ("block", "warning", "info")
PAYMENT_KINDS = ("advance", "settlement", "award")
PAYERS = ("city", "district", "county")
PAYER_LABELS = {"city": "市财政", "district": "区财政", "county": "县（市）财政"}
# The statement's names of the tranches (决算表, what-if page, ledger)
PAYMENT_KIND_LABELS = {"advance": "年底预拨", "settlement": "决算拨付", "award": "命名奖补"}

Basis = str  # "富阳 四(六)", "未设定（…）", "管理员设定参数（…）"
OPEN_APPLICATION_BASIS = "平台规则（同一社区同一创建级别只能有一个未办结的创建项目）"


# ---------------------------------------------------------------- errors


class FactsError(ValueError):
    """Bad facts; `field` is the JSON key (e.g. "listed_on"), `message` is in Chinese."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NoPolicyInForce(FactsError):
    """No policy covers this district on this date (field "district_code" or "listed_on")."""


def _one_of(value, allowed, what):
    if value not in allowed:
        raise ValueError(f"{what} {value!r} not in {allowed}")


# ---------------------------------------------------------------- rulings


@dataclass(frozen=True)
class Step:
    """One step of a review chain (审核流程).

    action "review": the office level approves / returns / rejects; record_*: the office
    level records a decision (provincial ones are recorded by city staff, or in Fuyang by
    the district office) with its document number and date.
    """

    key: str
    office_level: str
    action: str
    label: str
    basis: str
    decides: bool = False  # a record step that may also return or refuse (审定)

    def __post_init__(self):
        _one_of(self.office_level, OFFICE_LEVELS, "office_level")
        _one_of(self.action, STEP_ACTIONS, "action")


@dataclass(frozen=True)
class Check:
    """A pre-check result or warning: block (不得提交) / warning / info."""

    code: str
    severity: str
    message: str
    basis: str

    def __post_init__(self):
        _one_of(self.severity, SEVERITIES, "severity")


@dataclass(frozen=True)
class DeadlineRuling:
    """A deadline (时限); `date` None means 未设定 or not computable, as `basis` says."""

    date: date | None
    basis: str
    label: str


@dataclass(frozen=True)
class Payment:
    """One tranche (拨付批次). `trigger` is a stable key; (trigger, payer) is unique per project."""

    kind: str
    amount: Decimal
    payer: str
    due_on: date | None
    trigger: str
    basis: str

    def __post_init__(self):
        _one_of(self.kind, PAYMENT_KINDS, "kind")
        _one_of(self.payer, PAYERS, "payer")


@dataclass(frozen=True)
class Settlement:
    """决算. A negative `payment` is the amount to recover (应退回)."""

    payable: Decimal
    borne_by_street: Decimal
    reward: Decimal
    total: Decimal
    payment: Decimal


@dataclass(frozen=True)
class RulingLine:
    """One line of a ruling's explanation (说明), as the settlement statement shows it: what
    it is, how much (None: not determined yet), and why — the clause and the formula.

    `payment` is the tranche the line explains, if any: a statement shows its amount only
    once that tranche is due (the year-end advance is explained before its 31 December)."""

    key: str
    label: str
    amount: Decimal | None
    basis: str
    note: str = ""
    payment: Payment | None = None


@dataclass(frozen=True)
class SubsidyRuling:
    """奖补核定. `approved` None: not yet determined (e.g. not yet accepted or named).

    The ruling explains itself: `scheme` ("settlement" 决算 or "award" 命名奖补), a one-line
    `summary` of where the project stands, and the `lines` of its statement, each with its
    basis; pages and reports render these rather than recompute them."""

    approved: Decimal | None
    payments: list[Payment]
    settlement: Settlement | None
    basis: list[str]
    warnings: list[Check]
    scheme: str = ""
    summary: str = ""
    lines: list[RulingLine] = field(default_factory=list)
    reading: str = ""  # which reading of the document this version applies (e.g. 补助范围)


# ---------------------------------------------------------------- facts (policies.facts)


def validate_district_code(code, field: str = "district_code") -> str:
    if not isinstance(code, str) or not DISTRICT_CODE.match(code):
        raise FactsError(field, "区县代码须为6位数字字符串，如 \"330111\"")
    return code


# ---------------------------------------------------------------- policy

# Construction deadline (DOMAIN 4.1): the years parameter per category and flag.
CONSTRUCTION_YEARS_KEYS = {
    ("renovation", False): "years_renovation",
    ("renovation", True): "years_renovation_demolition",
    ("new_build", False): "years_new_build",
    ("new_build", True): "years_new_build_relocation",
}


class Policy:
    """One policy document. Subclasses set the attributes below; one instance each."""

    code: str
    document_no: str
    title: str
    short_name: str  # as in bases: "富阳", "嘉兴", "绍兴2019", "绍兴2023"
    region_name: str
    jurisdiction: tuple[str, ...]  # region code prefixes
    in_force_from: date
    in_force_to: date | None = None  # superseded by a later document of the jurisdiction
    # 执行期 the document gives itself (富阳 2021–2023): after it the last version goes on,
    # flagged (policies.period_check); None: the document sets no end.
    period_to: date | None = None
    period_label: str = ""
    period_basis: str = ""
    is_draft: bool = False  # 征求意见稿: said wherever the policy is named
    # Years whose projects this document's plan counts (binding a tier it knows, policies.bind)
    counts_years: tuple[int, ...] = ()
    counts_years_basis: str = ""
    tiers: tuple[str, ...]
    tiers_basis: str = ""  # the clause naming the tiers this document knows
    PARAMETERS: tuple[ParamSpec, ...] = ()
    APPLICATION_CHAINS: dict[str, tuple[Step, ...]] = {}
    ACCEPTANCE_CHAINS: dict[str, tuple[Step, ...]] = {}
    QUOTAS: tuple[dict, ...] = ()
    DEADLINE_LABEL = "建设完成时限"
    # Why subsidy() is None (no award rule): the statement shows it beside 本政策未规定奖补标准.
    NO_AWARD_BASIS = "本政策未规定奖补标准"

    def __repr__(self):
        return f"<Policy {self.code}>"

    @property
    def display_name(self) -> str:
        """The document's name as pages show it, saying 征求意见稿 where it is a draft."""
        if self.is_draft and "征求意见稿" not in self.document_no:
            return f"{self.document_no}（征求意见稿）"
        return self.document_no

    # -- scope

    def covers(self, district_code: str) -> bool:
        return any(district_code.startswith(prefix) for prefix in self.jurisdiction)

    def in_force_on(self, on: date) -> bool:
        return self.in_force_from <= on and (self.in_force_to is None or on <= self.in_force_to)

    def validate_tier(self, tier) -> str:
        if not isinstance(tier, str) or tier not in TIER_LABELS:
            raise FactsError("tier",
                             f"未知的创建级别：{tier!r}（可选 provincial、municipal、county）")
        if tier not in self.tiers:
            known = "、".join(TIER_LABELS[t] for t in self.tiers)
            raise FactsError(
                "tier", f"{self.short_name}政策没有{TIER_LABELS[tier]}未来社区（仅{known}；"
                        f"依据：{self.tiers_basis}）"
            )
        return tier

    def validate_category(self, category) -> str:
        if not isinstance(category, str) or category not in CATEGORY_LABELS:
            raise FactsError("category",
                             f"未知的创建类型：{category!r}（可选 renovation、new_build）")
        return category

    # -- parameters

    def parameter(self, key: str) -> ParamSpec:
        return next(spec for spec in self.PARAMETERS if spec.key == key)

    def defaults(self) -> dict:
        return validate_parameters(self, {})

    def resolve(self, params: Mapping | None) -> dict:
        """Cleaned, complete parameters; None → the document's defaults."""
        return validate_parameters(self, params)

    def basis_of(self, key: str, value) -> str:
        """Basis of a ruling decided by parameter `key` having `value`."""
        spec = self.parameter(key)
        if value is None:
            return f"未设定（{spec.basis}）"
        if value == spec.default:
            return spec.basis
        return f"管理员设定参数（{spec.basis}）"

    def admin_set(self, params: dict, keys) -> list[str]:
        """Bases "管理员设定参数（…）" for those of `keys` an administrator changed."""
        notes = []
        for key in keys:
            note = self.basis_of(key, params[key])
            if note.startswith("管理员设定参数") and note not in notes:
                notes.append(note)
        return notes

    # -- review chains (DOMAIN 3.1)

    def application_chain(self, tier: str, params=None) -> list[Step]:
        return list(self.APPLICATION_CHAINS[self.validate_tier(tier)])

    def acceptance_chain(self, tier: str, params=None) -> list[Step]:
        return list(self.ACCEPTANCE_CHAINS[self.validate_tier(tier)])

    # -- deadlines (DOMAIN 4)

    def construction_deadline(self, facts: Facts, params=None) -> DeadlineRuling:
        """L + N years, N the parameter for the category and its flag (DOMAIN 4.1)."""
        p = self.resolve(params)
        category = self.validate_category(facts.category)
        flag = facts.involves_demolition if category == "renovation" else facts.involves_relocation
        key = CONSTRUCTION_YEARS_KEYS[(category, bool(flag))]
        years = p[key]
        basis = self.basis_of(key, years)
        if years is None:
            return DeadlineRuling(None, basis, self.DEADLINE_LABEL)
        if facts.listed_on is None:
            basis = f"尚未列入创建名单（{basis} 自公布之日起算）"
            return DeadlineRuling(None, basis, self.DEADLINE_LABEL)
        return DeadlineRuling(add_years(facts.listed_on, years), basis, self.DEADLINE_LABEL)

    def task_year(self, facts: Facts, params=None) -> int | None:
        """计划完成年度: given, or else the construction deadline's year (DOMAIN 3)."""
        if facts.task_year is not None:
            return facts.task_year
        deadline = self.construction_deadline(facts, params).date
        return deadline.year if deadline else None

    def monthly_report_due(self, year: int, month: int, params=None) -> DeadlineRuling:
        """The report for month M is due on day N of month M+1 (DOMAIN 4.2)."""
        p = self.resolve(params)
        day = p["monthly_report_day"]
        label = f"{year}年{month}月月报报送时限"
        basis = self.basis_of("monthly_report_day", day)
        if day is None:
            return DeadlineRuling(None, basis, label)
        due_year, due_month = next_month(year, month)
        return DeadlineRuling(date(due_year, due_month, day), basis, label)

    def year_end_deadline(self, facts: Facts, params=None) -> DeadlineRuling | None:
        return None

    def public_notice_days(self, params=None) -> int | None:
        return None

    # -- checks, subsidies, quotas

    def prechecks(self, facts: Facts, params=None) -> list[Check]:
        return []

    def application_prechecks(self, facts: Facts, params=None) -> list[Check]:
        """申报预审 (DOMAIN 5): the platform's own rule, then the document's. The one
        computation behind the form, the review page, the API and simulate_policy."""
        checks = []
        if facts.open_project:
            checks.append(Check(
                "open_application", "block",
                f"该社区已有同级别（{TIER_LABELS.get(facts.tier, facts.tier)}）未办结的创建项目"
                f"“{facts.open_project}”，不得重复申报",
                OPEN_APPLICATION_BASIS))
        return checks + self.prechecks(facts, params)

    def acceptance_prerequisites(self, facts: Facts, params=None) -> list[Check]:
        return []

    def subsidy(self, facts: Facts, params=None) -> SubsidyRuling | None:
        return None

    def quotas(self, params=None) -> list[dict]:
        return [dict(quota) for quota in self.QUOTAS]


def quota(key, label, *, scope, target, basis, tier=None, measure="count", period="cumulative",
          year=None, district_code=None) -> dict:
    """One target of DOMAIN 7, always with the same keys (dashboards read them)."""
    return {
        "key": key,
        "label": label,
        "scope": scope,  # "street" / "district" / "city": whom the target binds
        "district_code": district_code,
        "tier": tier,
        "measure": measure,  # "count" or "share" (a Decimal fraction)
        "target": target,  # at least this many (or this share)
        "period": period,  # "per_year" or "cumulative" (by the end of `year`)
        "year": year,
        "basis": basis,
    }
