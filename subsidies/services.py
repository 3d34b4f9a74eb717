"""The only place that changes subsidy records: the computation run (compute_subsidies),
核定 (approve) and 拨付 (mark paid).

compute_subsidies, step by step (the Celery task and the management command call it):
0. Decide which communities to compute (subsidies.run_marks): those whose rows changed since
   their last computation or whose result moves with the date by `today`; every community
   when the rules' code, the policy versions or the regions changed, in a new year, on a date
   before the last run's, or when asked (`full`). None: stop, the ledger is its fixed point.
1. Read the candidate projects of those communities — listed on or before `today`, not
   withdrawn, rejected or terminated — a chunk of communities at a time, with their spending
   sum and current A annotated (one query per chunk).
2. Read the chunk's communities' approved subsidies (for the community cap) and its
   projects' ledger rows (one query each).
3. Per community, in Python, its projects in the community cap's order
   (computation.community_rulings, which the statement page reads too): facts as of
   `today` → the policy's ruling → the tranches due → the changes that reconcile the
   ledger (subsidies.computation).
4. Write the chunk in one transaction with a fixed set of statements (subsidies.bulk):
   new rows ON CONFLICT DO NOTHING, compare-and-set updates and deletes of unpaid rows,
   the upsert of A. A crash rolls back the chunk; a rerun converges to the same ledger.
5. Mark the chunk's communities with the inputs they were computed from (run_marks.mark_chunk).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from portal.errors import Conflict, Forbidden, InvalidInput
from projects.models import LEFT_STATUSES, CreationProject, PolicyVersion
from subsidies import bulk, run_marks
from subsidies.computation import (
    approved_basis,
    community_rulings,
    next_due,
    precedence,
    reconcile,
    wanted_tranches,
)
from subsidies.models import ApprovedSubsidy, Payment, SubsidyOverride
from subsidies.permissions import can_handle

log = logging.getLogger(__name__)
CHUNK = 2000  # communities per chunk (a few projects each)
MAX_SELECTION = 1000  # payments per 核定/拨付 request


@dataclass
class RunResult:
    projects: int = 0
    planned: int = 0  # new ledger rows (including adjustments)
    changed: int = 0  # unpaid rows recomputed in place or removed
    adjustments: int = 0
    approved_changed: int = 0
    skipped: int = 0  # projects whose facts or parameters the rules refused
    unchanged: bool = False  # inputs as the last complete run on this day left them: nothing computed
    # Writes that found their row moved on (a compare-and-set that matched nothing: a 核定 or 拨付
    # between our read and our write, or a concurrent run): the ledger is not yet this run's
    # fixed point, so the run records no mark and the next run computes in full.
    missed: int = 0

    def __str__(self):
        text = (f"payments planned={self.planned} changed={self.changed} "
                f"adjustments={self.adjustments} approved_subsidies_changed={self.approved_changed} "
                f"projects={self.projects} skipped={self.skipped}")
        return text + (" unchanged_since_last_run" if self.unchanged else "")


def spent_subquery(today: date | None = None):
    """The projects' actual spending as of `today`: the one reading of projects.spending, which the
    finalise move declares too (rows dated after today are refused at input)."""
    from projects.spending import spent_subquery as owner

    return owner(today)


# The project columns the run reads (subsidy_facts, precedence, the ledger lines).
FACT_FIELDS = ["id", "community_id", "street_id", "policy_code", "policy_version_id", "tier", "category",
               "involves_demolition", "involves_relocation", "listed_on", "task_year", "accepted_on",
               "named_on", "spending_final", "status"]
# …and what it reads of the related rows, as columns.
def _override(column: str):
    """The project's latest approved 一事一议 override (subsidies.overrides), one column of it."""
    latest = (SubsidyOverride.objects.filter(project=OuterRef("pk"), state=SubsidyOverride.State.APPROVED)
              .order_by("-decided_at", "-id").values(column)[:1])
    return Subquery(latest)


RELATED = {"spent_total": None, "district_code": F("street__parent__code"),
           "approved_amount": F("approved_subsidy__amount"), "approved_basis": F("approved_subsidy__basis"),
           "approved_version": F("approved_subsidy__policy_version_id"),
           "override_amount": _override("amount"), "override_reason": _override("reason"),
           "override_document_no": _override("document_no")}


class FactsRow:
    """One candidate project as the run reads it: a values() row with the attribute names of
    CreationProject (district_code included, which the model derives from its street), so
    projects.facts.core_facts reads it like a project. Model instances of the project, its
    street, district, policy version and approved row cost the nightly run 15 s of 30 at
    nation scale (128,000 candidates)."""

    def __init__(self, row: dict):
        self.__dict__.update(row)
        self.pk = row["id"]

    @property
    def policy(self):
        from policies import get_policy

        return get_policy(self.policy_code) if self.policy_code else None


def candidates(today: date):
    """Projects the rules may pay (values() rows: FACT_FIELDS and RELATED)."""
    return (CreationProject.objects
            .filter(listed_on__isnull=False, listed_on__lte=today)
            .exclude(status__in=LEFT_STATUSES)
            .annotate(**{**RELATED, "spent_total": spent_subquery(today)})
            .values(*FACT_FIELDS, *RELATED))


def _read(queryset) -> list[FactsRow]:
    return [FactsRow(row) for row in queryset]


PAYMENT_FIELDS = ["id", "project_id", "kind", "payer", "trigger", "amount", "due_on", "fiscal_year",
                  "basis", "reason", "state", "policy_version_id"]


def compute_subsidies(today: date | None = None, *, full: bool = False, chunk_size: int = CHUNK) -> RunResult:
    """Bring every candidate project's A and ledger in line with its policy (see above),
    computing only the communities whose result can have changed since they were last computed
    (subsidies.run_marks); `full` computes every community."""
    today = today or timezone.localdate()
    run = run_marks.plan(today, full=full)
    if run.unchanged:
        return RunResult(unchanged=True)
    result = RunResult()
    params = _params_cache()
    for start in range(0, len(run.communities), chunk_size):
        communities = run.communities[start:start + chunk_size]
        wanted = set(communities)
        chunk = [p for p in _read(candidates(today).filter(_of(communities, "community_id"))
                                  .order_by("community_id", "id")) if p.community_id in wanted]
        missed = result.missed
        written, due = _compute_chunk(chunk, communities, today, result, params)
        run_marks.mark_chunk(run, communities, written, due, missed=result.missed > missed)
    run_marks.finish(run)
    return result


def _of(communities: list[int], field: str) -> Q:
    """Rows of the sorted `communities` and maybe of others between them (the caller keeps its
    own): by range when they lie close together (a full run's chunk), else by list."""
    if communities[-1] - communities[0] < 2 * len(communities):
        return Q(**{f"{field}__gte": communities[0], f"{field}__lte": communities[-1]})
    return Q(**{f"{field}__in": communities})


def _params_cache():
    """Each policy version's cleaned parameters, read once (one small query) per run and
    cleaned on first use (a version that no longer validates skips its projects only)."""
    versions = {v.pk: v for v in PolicyVersion.objects.all()}
    cleaned = {}

    def params(project):
        key = project.policy_version_id
        if key is None:
            return None
        if key not in cleaned:
            cleaned[key] = versions[key].cleaned_parameters()
        return cleaned[key]

    return params


APPROVAL_FIELDS = ("project_id", "amount", "project__community_id", "project__tier",
                   "project__accepted_on", "project__named_on")


def approvals_on_file(approvals, today: date) -> dict[int, dict[int, tuple]]:
    """community → project → (tier, precedence, A) of the approved subsidies on file."""
    on_file: dict[int, dict[int, tuple]] = {}
    for row in approvals.values(*APPROVAL_FIELDS):
        project = CreationProject(pk=row["project_id"], accepted_on=row["project__accepted_on"],
                                  named_on=row["project__named_on"])
        on_file.setdefault(row["project__community_id"], {})[row["project_id"]] = (
            row["project__tier"], precedence(project, today), row["amount"])
    return on_file


def _compute_chunk(chunk: list[FactsRow], communities: list[int], today: date, result: RunResult,
                   params) -> tuple[set[int], dict[int, date]]:
    """Compute the candidates `chunk` of `communities` and write the changes; returns the
    communities written to and, per community, the first day after today a tranche falls due."""
    if not chunk:
        return set(), {}
    ids = {p.pk for p in chunk}
    # Community cap (同一社区以最高级别补助额为上限): every approved A in these communities.
    on_file = approvals_on_file(ApprovedSubsidy.objects.filter(_of(communities, "project__community_id")), today)
    ledger: dict[int, list[dict]] = {}
    for row in (Payment.objects.filter(_of(communities, "project__community_id"))
                .order_by("id").values(*PAYMENT_FIELDS)):
        if row["project_id"] in ids:
            ledger.setdefault(row["project_id"], []).append(row)
    written: set[int] = set()
    due: dict[int, date] = {}

    inserts, updates, deletes, approved_rows, approved_gone = [], [], [], [], []
    by_community: dict[int, list[FactsRow]] = {}
    for project in chunk:
        by_community.setdefault(project.community_id, []).append(project)
    for community_id, projects in sorted(by_community.items()):
        rulings = community_rulings(projects, on_file.get(community_id, {}), today, params)
        for project, _facts, ruling, error in rulings:
            result.projects += 1
            if error is not None:
                result.skipped += 1
                log.warning("subsidy of project %s not computed: %s", project.pk, error)
                continue
            changes = reconcile(project.pk, wanted_tranches(project, ruling, today),
                                ledger.get(project.pk, []), today)
            if (day := next_due(ruling, today)) is not None:
                due[community_id] = min(day, due.get(community_id, day))
            if changes.inserts or changes.updates or changes.deletes:
                written.add(community_id)
            inserts += changes.inserts
            updates += changes.updates
            deletes += changes.deletes
            result.adjustments += changes.adjustments
            current = project.approved_amount is not None
            approved = ruling.approved if ruling else None
            if approved is None:
                if current:
                    approved_gone.append(project.pk)
                    written.add(community_id)
                continue
            basis = approved_basis(ruling)
            if not current or (project.approved_amount, project.approved_basis, project.approved_version) != (
                    approved, basis, project.policy_version_id):
                approved_rows.append({"project_id": project.pk, "amount": approved, "basis": basis,
                                      "policy_version_id": project.policy_version_id})
                written.add(community_id)

    now = timezone.now()
    with transaction.atomic():
        inserted = bulk.insert_payments(inserts, now)
        updated = bulk.update_unpaid_payments(updates, now)
        deleted = bulk.delete_unpaid_payments(deletes)
        result.planned += inserted
        result.changed += updated + deleted
        result.missed += len(inserts) - inserted + len(updates) - updated + len(deletes) - deleted
        result.approved_changed += bulk.upsert_approved(approved_rows, now)
        result.approved_changed += bulk.delete_approved(approved_gone)
    return written, due


def recompute_community(community_id: int, today: date | None = None) -> RunResult:
    """The same computation for one community's projects (after an acceptance, a naming or
    spending declared final), so finance sees the tranche before the nightly run."""
    today = today or timezone.localdate()
    result = RunResult()
    chunk = _read(candidates(today).filter(community_id=community_id).order_by("id"))
    if chunk:
        _compute_chunk(chunk, [community_id], today, result, _params_cache())
    return result


# ---------------------------------------------------------------- one project (pages, API)


def project_ruling(project: CreationProject, today: date | None = None):
    """(facts, ruling) of one project exactly as compute_subsidies rules it on `today`: its
    community ruled in precedence order up to it (computation.community_rulings)."""
    today = today or timezone.localdate()
    rows = _read(candidates(today).filter(community_id=project.community_id).order_by("id"))
    if all(row.pk != project.pk for row in rows):  # not a candidate (e.g. not yet listed): rule it too
        rows += _read(CreationProject.objects.filter(pk=project.pk)
                      .annotate(**{**RELATED, "spent_total": spent_subquery(today)})
                      .values(*FACT_FIELDS, *RELATED))
    on_file = approvals_on_file(ApprovedSubsidy.objects.filter(project__community_id=project.community_id),
                                today).get(project.community_id, {})
    for row, facts, ruling, error in community_rulings(rows, on_file, today, _params_cache()):
        if row.pk == project.pk:
            if error is not None:
                raise error
            return facts, ruling
    raise AssertionError("community_rulings yields every project it is given")  # pragma: no cover


# ---------------------------------------------------------------- 核定 and 拨付


def selected_payments(user, ids) -> list[Payment]:
    """The payments `ids` as the user may act on them: all visible, all theirs to handle."""
    if not isinstance(ids, list | tuple) or not ids:
        raise InvalidInput("请选择要处理的资金记录", {"ids": "请选择要处理的资金记录"})
    try:
        wanted = {int(pk) for pk in ids}
    except (TypeError, ValueError):
        raise InvalidInput("资金记录编号应为整数", {"ids": "资金记录编号应为整数"}) from None
    if len(wanted) > MAX_SELECTION or any(not 0 < pk < 2**63 for pk in wanted):
        raise InvalidInput(f"资金记录编号无效或一次选择超过{MAX_SELECTION}笔",
                           {"ids": f"资金记录编号无效或一次选择超过{MAX_SELECTION}笔"})
    payments = list(Payment.objects.visible_to(user).filter(pk__in=wanted)
                    .select_related("project__community"))
    if len(payments) != len(wanted):
        raise Http404("资金记录不存在或不在您的数据权限范围内")
    for payment in payments:
        allowed, reason = can_handle(user, payment)
        if not allowed:
            raise Forbidden(reason)
    return payments


def _compare_and_set(user, ids, from_state: str, **changes) -> list[int]:
    payments = selected_payments(user, ids)
    ready = [p.pk for p in payments if p.state == from_state]
    with transaction.atomic():
        changed = []
        if ready:
            # Exactly the rows still in `from_state` move; a concurrent second click moves none.
            changed = list(Payment.objects.select_for_update().filter(pk__in=ready, state=from_state)
                           .values_list("pk", flat=True))
            Payment.objects.filter(pk__in=changed, state=from_state).update(**changes)
            if changed:
                from subsidies.notices import payments_moved

                payments_moved(user, changed, changes["state"])
    if not changed:
        label = Payment.State(from_state).label
        raise Conflict(f"所选资金记录均不处于“{label}”状态（可能已被他人处理），本次未作任何修改")
    return sorted(changed)


def approve_payments(user, ids) -> list[int]:
    """核定: planned → approved, by the finance office that pays. Returns the ids moved."""
    return _compare_and_set(user, ids, Payment.State.PLANNED, state=Payment.State.APPROVED,
                            approved_by=user, approved_at=timezone.now())


def mark_paid(user, ids, voucher_no) -> list[int]:
    """拨付: approved → paid with the voucher number. Returns the ids moved."""
    voucher_no = voucher_no.strip() if isinstance(voucher_no, str) else ""
    if not voucher_no:
        raise InvalidInput("请填写拨付凭证号", {"voucher_no": "请填写拨付凭证号"})
    if len(voucher_no) > 60:
        raise InvalidInput("拨付凭证号过长（最多60字）", {"voucher_no": "拨付凭证号过长（最多60字）"})
    return _compare_and_set(user, ids, Payment.State.APPROVED, state=Payment.State.PAID,
                            voucher_no=voucher_no, paid_by=user, paid_at=timezone.now())
