"""From project facts to the tranches the rules want, and from those to ledger changes.

Pure Python over rows already read (no queries here): `ruling_for` runs the project's
policy (policies/*.subsidy), `community_rulings` rules a community's projects in the order
of the community cap (the nightly run and the statement page both go through it),
`wanted_tranches` keeps the tranches due by `today`, and
`reconcile` compares them with the ledger rows of the project, line by line (every reading of
`today` here is listed in subsidies.run_marks, which skips communities by it):

- a line is one tranche of the rules: (payer, kind, trigger), e.g. the Fuyang year-end
  advance of 2022 paid by the district, plus the adjustments made to it later;
- unpaid rows are recomputed in place (or removed when the rules no longer want them);
  a changed amount sends an approved row back to planned, as its 核定 no longer holds;
- a paid row is never touched: the difference between what the rules want now and what
  was paid on the line becomes one unpaid `adjustment` (补拨, or negative: 应退回) with a
  trigger of its own and its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from policies.base import PAYMENT_KIND_LABELS, Facts, FactsError, ParameterError, Payment, SubsidyRuling
from policies.money import ZERO
from projects.facts import core_facts

KIND_LABELS = {**PAYMENT_KIND_LABELS, "adjustment": "调整"}
KIND_PHRASES = {
    "advance": "当年未完成创建任务，年底核定预拨",
    "settlement": "验收通过后按实际支出决算",
    "award": "命名后一次性奖补",
}
BASIS_MAX = 300


def yuan(amount) -> str:
    """9000000 → "9,000,000.00元", as finance writes amounts in text."""
    return f"{amount:,.2f}元"


def _clip(text: str) -> str:
    return text if len(text) <= BASIS_MAX else text[: BASIS_MAX - 1] + "…"


def subsidy_facts(project, *, spent: Decimal | None, prior, today: date) -> Facts:
    """The facts the subsidy rules read, as they stood on `today` (dates after it unknown)."""
    accepted_on = project.accepted_on if project.accepted_on and project.accepted_on <= today else None
    named_on = project.named_on if project.named_on and project.named_on <= today else None
    return Facts(**{
        **core_facts(project),
        "accepted_on": accepted_on,
        "named_on": named_on,
        "spent": spent if accepted_on and project.spending_final else None,
        "prior_approved_for_community": tuple(prior),
        "approved_override": _override(project),
    })


def _override(project):
    """一事一议 approved by the district (subsidies.overrides), as the rules read it."""
    amount = getattr(project, "override_amount", None)
    if amount is None:
        return None
    note = f"{project.override_reason}（{project.override_document_no}，经区领导小组办公室批准）"
    return (Decimal(amount).quantize(Decimal("0.01")), note)


def precedence(project, today: date) -> tuple:
    """Order of the community cap: who was accepted (or named) first counts first."""
    decided = [d for d in (project.accepted_on, project.named_on) if d and d <= today]
    return (min(decided) if decided else date.max, project.pk)


def ruling_for(project, facts: Facts, params: dict | None) -> SubsidyRuling | None:
    policy = project.policy
    return policy.subsidy(facts, params) if policy else None


def community_rulings(projects, on_file: dict, today: date,
                      params: Callable) -> Iterator[tuple[object, Facts | None, SubsidyRuling | None,
                                                          Exception | None]]:
    """The community cap's one owner: rule one community's projects as of `today`, in
    precedence order, yielding (project, facts, ruling, error).

    DOMAIN §6.2: “the sum of A over all its projects never exceeds amount of the highest
    tier it reached (同一个社区创建补助以创建的最高级别对应的补助额为上限); a later higher tier
    gets only the top-up.” So a project is ruled against the A of the projects decided before
    it (accepted or named first, then by id) as the rules give that A on the same day — never
    a stale approval on file, which would let the sum pass the cap while the ledger lags.
    `on_file` (project id → (tier, precedence, A)) holds the approvals on file, which count
    only for projects not ruled here (e.g. terminated after their A was approved).
    `projects` have the attributes of subsidies.services.FactsRow (spent_total included);
    `params(project)` gives the cleaned parameters of the project's policy version."""
    decided = dict(on_file)
    for project in sorted(projects, key=lambda p: precedence(p, today)):
        mine = precedence(project, today)
        prior = [(tier, amount) for pk, (tier, order, amount) in decided.items()
                 if pk != project.pk and order < mine]
        try:
            facts = subsidy_facts(project, spent=project.spent_total, prior=prior, today=today)
            ruling = ruling_for(project, facts, params(project))
        except (FactsError, ParameterError) as exc:
            yield project, None, None, exc
            continue
        approved = ruling.approved if ruling else None
        if approved is None:
            decided.pop(project.pk, None)
        else:
            decided[project.pk] = (project.tier, mine, approved)
        yield project, facts, ruling, None


@dataclass(frozen=True)
class Tranche:
    """A tranche the rules want now (policies.base.Payment, placed on a project)."""

    project_id: int
    kind: str
    payer: str
    trigger: str
    amount: Decimal
    due_on: date | None
    basis: str
    policy_version_id: int | None

    @property
    def line(self):
        return (self.payer, self.kind, self.trigger)


def approved_basis(ruling: SubsidyRuling) -> str:
    notes = [*ruling.basis, *(w.message for w in ruling.warnings if w.code == "community_cap_top_up")]
    return _clip("；".join(notes))


def is_due(payment: Payment, today: date) -> bool:
    """Whether a tranche of the rules is due by `today`: the year-end advance only once its
    31 December has come, an award only once the project is named (the rules list it undated
    before); the rest as soon as the rules want it."""
    if payment.kind == "advance":
        return payment.due_on is None or payment.due_on <= today
    if payment.kind == "award":
        return payment.due_on is not None and payment.due_on <= today
    return True


def next_due(ruling: SubsidyRuling | None, today: date) -> date | None:
    """The first day after `today` on which one of the ruling's tranches falls due (is_due's
    dates): until then the ruling's wanted tranches stay those of `today` (subsidies.run_marks)."""
    dates = [p.due_on for p in ruling.payments if p.due_on is not None and p.due_on > today] if ruling else []
    return min(dates, default=None)


def wanted_tranches(project, ruling: SubsidyRuling | None, today: date) -> list[Tranche]:
    """Tranches due by `today` (is_due); nothing of zero amount (no money moves)."""
    if ruling is None:
        return []
    admin_notes = [b for b in ruling.basis if b.startswith("管理员设定参数")]
    wanted = []
    for payment in ruling.payments:
        notes = [note for note in admin_notes if note != payment.basis]
        if not is_due(payment, today) or payment.amount == 0:
            continue
        basis = "；".join([f"{payment.basis} {KIND_PHRASES[payment.kind]}", *notes])
        wanted.append(Tranche(project.pk, payment.kind, payment.payer, payment.trigger,
                              payment.amount, payment.due_on, _clip(basis), project.policy_version_id))
    return wanted


# ---------------------------------------------------------------- reconciliation


def adjustment_trigger(seq: int, kind: str, trigger: str) -> str:
    return f"adjust:{seq}:{kind}:{trigger}"


def line_of(row: dict):
    """(payer, kind, trigger) of the tranche a ledger row belongs to; adjustments name it."""
    if row["kind"] == "adjustment":
        _, seq, kind, trigger = row["trigger"].split(":", 3)
        return (row["payer"], kind, trigger), int(seq)
    return (row["payer"], row["kind"], row["trigger"]), 0


@dataclass
class Changes:
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    deletes: list[dict] = field(default_factory=list)

    @property
    def adjustments(self) -> int:
        return sum(1 for row in self.inserts if row["kind"] == "adjustment")


def _insert(changes: Changes, project_id, kind, payer, trigger, amount, due_on, basis, reason,
            policy_version_id, today: date):
    changes.inserts.append({
        "project_id": project_id, "kind": kind, "payer": payer, "trigger": trigger,
        "amount": amount, "due_on": due_on, "fiscal_year": (due_on or today).year,
        "basis": basis, "reason": reason, "policy_version_id": policy_version_id,
    })


def _update(changes: Changes, row: dict, *, amount, due_on, basis, reason, policy_version_id):
    """Recompute an unpaid row in place. `reason` None (a tranche's own row) keeps the row's
    note unless its money changes; an approved row whose money changes goes back to planned."""
    same_money = row["amount"] == amount and row["due_on"] == due_on
    if reason is None:
        if same_money:
            reason = row["reason"]
        elif row["state"] == "approved":
            reason = _clip(f"重新计算后金额由{yuan(row['amount'])}变为{yuan(amount)}，原核定作废，需重新核定")
        else:
            reason = ""
    if (same_money and row["basis"] == basis and row["reason"] == reason
            and row["policy_version_id"] == policy_version_id):
        return
    changes.updates.append({
        "id": row["id"], "expected_state": row["state"],
        "state": row["state"] if same_money else "planned",
        "amount": amount, "due_on": due_on,
        "fiscal_year": due_on.year if due_on else row["fiscal_year"],
        "basis": basis, "reason": reason, "policy_version_id": policy_version_id,
    })


def _cause(target: Tranche | None, base: dict) -> str:
    if target is None:
        return "该笔拨付按最新事实已不再适用（如验收日期更正）"
    if target.policy_version_id != base["policy_version_id"]:
        return "项目适用的政策参数版本已变更"
    return "项目事实（验收日期、实际支出等）或政策参数变更后重新计算"


def reconcile(project_id: int, wanted: list[Tranche], rows: list[dict], today: date) -> Changes:
    """The ledger changes that make one project's rows match what the rules want."""
    changes = Changes()
    targets = {t.line: t for t in wanted}
    lines: dict[tuple, dict] = {}
    for row in rows:
        line, seq = line_of(row)
        entry = lines.setdefault(line, {"base": None, "adjustments": []})
        if seq:
            entry["adjustments"].append((seq, row))
        else:
            entry["base"] = row
    for line in list(targets) + [key for key in lines if key not in targets]:
        target = targets.get(line)
        entry = lines.get(line, {"base": None, "adjustments": []})
        base = entry["base"]
        payer, kind, trigger = line
        if base is None:
            if target is not None:
                _insert(changes, project_id, kind, payer, trigger, target.amount, target.due_on,
                        target.basis, "", target.policy_version_id, today)
            continue
        if base["state"] != "paid":
            if target is None:
                changes.deletes.append({"id": base["id"], "expected_state": base["state"]})
            else:
                _update(changes, base, amount=target.amount, due_on=target.due_on,
                        basis=target.basis, reason=None, policy_version_id=target.policy_version_id)
            continue
        _adjust_paid_line(changes, project_id, line, target, base, entry["adjustments"], today)
    return changes


def _adjust_paid_line(changes, project_id, line, target, base, adjustments, today):
    payer, kind, trigger = line
    wanted = target.amount if target else ZERO
    paid = base["amount"] + sum((row["amount"] for _, row in adjustments if row["state"] == "paid"), ZERO)
    open_rows = sorted(((seq, row) for seq, row in adjustments if row["state"] != "paid"),
                       key=lambda item: item[0])
    delta = wanted - paid
    if delta == 0:
        changes.deletes.extend({"id": row["id"], "expected_state": row["state"]} for _, row in open_rows)
        return
    label = KIND_LABELS[kind]
    action = f"补拨{yuan(delta)}" if delta > 0 else f"应退回{yuan(-delta)}"
    reason = _clip(f"{label}已拨付{yuan(paid)}，按最新核定应为{yuan(wanted)}，{action}（{_cause(target, base)}）")
    basis = target.basis if target else base["basis"]
    version = target.policy_version_id if target else base["policy_version_id"]
    if open_rows:
        (_, keep), *extra = open_rows
        _update(changes, keep, amount=delta, due_on=None, basis=basis, reason=reason,
                policy_version_id=version)
        changes.deletes.extend({"id": row["id"], "expected_state": row["state"]} for _, row in extra)
        return
    seq = max((s for s, _ in adjustments), default=0) + 1
    _insert(changes, project_id, "adjustment", payer, adjustment_trigger(seq, kind, trigger), delta,
            None, basis, reason, version, today)
