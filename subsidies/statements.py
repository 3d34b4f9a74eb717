"""The settlement statement (决算表) of one project: the columns of DOMAIN §6.2's table —
advance, A, payable, borne by the street, reward, total, settlement payment — each with
its basis, beside the ledger rows. The policy's ruling explains itself (SubsidyRuling.lines,
summary, scheme); this module renders that explanation and recomputes nothing.

Award policies (嘉兴 三(二); 绍兴2023 once an administrator sets amounts) show the award
and each payer's share; a policy without an award rule says 本政策未规定奖补标准.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from policies.money import ZERO, format_money
from projects.services import policy_notes
from subsidies.computation import KIND_LABELS, is_due
from subsidies.models import Payment
from subsidies.services import project_ruling

NO_RULE = "本政策未规定奖补标准"


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
    reading: str = ""  # which reading of the document applies (policies SubsidyRuling.reading)

    def line(self, key) -> Line:
        return next(line for line in self.lines if line.key == key)


def settlement_statement(project, today=None) -> Statement:
    """The statement of the project's ruling as of `today`: the ruling's own lines
    (policies.base.RulingLine), a line's amount shown once the tranche it explains is due."""
    today = today or timezone.localdate()
    payments = list(project.payments.select_related("approved_by", "paid_by").order_by("id"))
    paid_total = project.payments.filter(state=Payment.State.PAID).aggregate(s=Sum("amount"))["s"] or ZERO
    _facts, ruling = project_ruling(project, today)
    statement = Statement(project, "none", payments=payments, paid_total=paid_total,
                          spent=project.spending.filter(spent_on__lte=today).aggregate(s=Sum("amount"))["s"])
    if ruling is None:
        statement.message = NO_RULE
        policy = project.policy
        statement.lines.append(Line("approved", "核定补助", None,
                                    policy.NO_AWARD_BASIS if policy else NO_RULE))
        return statement
    statement.kind = ruling.scheme
    statement.message = ruling.summary
    statement.reading = ruling.reading
    # 超出文件执行期（沿用） and bindings flag every number the project gets (DOMAIN policy periods)
    statement.warnings = [*policy_notes(project), *ruling.warnings]
    statement.lines = [_shown(line, today) for line in ruling.lines]
    return statement


def _shown(line, today) -> Line:
    """A ruling's line on the statement; the amount of a tranche not yet due is not shown yet
    (the year-end advance is explained before its 31 December)."""
    due = line.payment is None or is_due(line.payment, today)
    return Line(line.key, line.label, line.amount if due else None, line.basis, line.note)


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind]


def as_json(statement: Statement) -> dict:
    return {
        "project": statement.project.pk,
        "policy": statement.project.policy_code,
        "kind": statement.kind,
        "message": statement.message,
        "reading": statement.reading,
        "spent": format_money(statement.spent) if statement.spent is not None else None,
        "paid_total": format_money(statement.paid_total),
        "lines": [{"key": line.key, "label": line.label,
                   "amount": format_money(line.amount) if line.amount is not None else None,
                   "basis": line.basis, "note": line.note} for line in statement.lines],
        "warnings": [{"code": w.code, "severity": w.severity, "message": w.message, "basis": w.basis}
                     for w in statement.warnings],
    }
