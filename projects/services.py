"""The only place that changes projects: creation, edits and workflow transitions."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Community
from policies import bind
from policies.base import Check, FactsError
from portal import generation
from portal.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from portal.permissions import require
from projects import dates, materials, periods, permissions, workflow
from projects.facts import project_facts
from projects.models import CreationProject, PolicyVersion, Status, Transition
from projects.signals import project_facts_changed, project_transitioned

OTHER_LABELS = {"create": "创建项目", "request_spending_correction": "申请更正实际支出",
                "approve_spending_correction": "批准更正实际支出", "reject_spending_correction": "驳回更正实际支出",
                "report_correction_requested": "申请更正月报",
                "report_correction_approved": "同意更正月报", "report_correction_rejected": "驳回月报更正"}
EDITABLE_STATUSES = {Status.RESERVE, Status.DRAFT, Status.RETURNED}
# Applications that are over (DOMAIN 3.1 one open application per community and tier); a
# 谋划储备 entry is not an application yet.
CLOSED_APPLICATION = (Status.RESERVE, Status.RETURNED, Status.WITHDRAWN, Status.REJECTED,
                      Status.TERMINATED)
# Fields whose change can move the construction deadline or the subsidy.
DEADLINE_FACTS = {"category", "involves_demolition", "involves_relocation", "tier", "task_year"}


def today() -> dt.date:
    return timezone.localdate()


def version_in_force(policy_code: str, on: dt.date) -> PolicyVersion | None:
    return (PolicyVersion.objects.filter(policy_code=policy_code, effective_from__lte=on)
            .order_by("-effective_from").first())


def bind_policy(project: CreationProject, on: dt.date) -> None:
    """Bind to the policy and parameter version in force for the district on `on`."""
    try:
        policy = bind(project.street.district_code, on, project.tier).policy
    except FactsError as exc:
        raise InvalidInput(exc.message, {"community": exc.message}) from None
    project.policy_code = policy.code
    project.policy_version = version_in_force(policy.code, on)
    try:
        policy.validate_tier(project.tier)
    except FactsError as exc:
        raise InvalidInput(exc.message, {exc.field: exc.message}) from None


def open_application(project: CreationProject) -> CreationProject | None:
    """Another open project of the same community at the same tier (DOMAIN 3.1: draft to
    named, not returned, withdrawn, rejected or terminated), or None."""
    return (CreationProject.objects.filter(community_id=project.community_id, tier=project.tier)
            .exclude(status__in=CLOSED_APPLICATION).exclude(pk=project.pk)
            .select_related("community").order_by("pk").first())


def prechecks(project: CreationProject):
    """Pre-checks shown at submission and in review (DOMAIN §5), each with its basis: the
    policy's application_prechecks (the one computation simulate_policy also runs), the required
    materials of the submission (DOMAIN §9) and those registered by other apps
    (workflow.prerequisite)."""
    other = open_application(project) if project.status in EDITABLE_STATUSES else None
    facts = project_facts(project, open_project=_open_name(other) if other else None)
    checks = list(project.policy.application_prechecks(facts, project.parameters()))
    checks += materials.missing_checks(project, "submit")
    return checks + [c for check in workflow.prerequisites_of("prechecks") for c in check(project)]


def _open_name(project: CreationProject) -> str:
    return f"{project.display_name}（编号{project.pk}，{project.get_status_display()}）"


def refuse_open_application(project: CreationProject) -> None:
    """409 naming the open project when the community already has one at this tier."""
    other = open_application(project)
    if other is not None:
        message = (f"该社区已有同级别（{other.get_tier_display()}）未办结的创建项目"
                   f"“{_open_name(other)}”，不得重复申报")
        raise Conflict(message, {"community": message})


def policy_notes(project: CreationProject) -> list[Check]:
    """How the project is bound, flagged on every number it gets: to a later policy for a tier
    the earlier one does not know, or beyond the document's own period (超出文件执行期)."""
    policy = project.policy
    if policy is None:
        return []
    on = project.listed_on or today()
    notes = []
    try:
        binding = bind(project.district_code, on, project.tier)
    except FactsError:
        binding = None
    if binding and binding.note and binding.policy is policy:
        notes.append(Check("bound_to_later_policy", "info", binding.note,
                           policy.counts_years_basis))
    beyond = periods.period_note(project, on)
    if beyond:
        notes.append(beyond)
    return notes


def acceptance_prerequisites(project: CreationProject):
    """What an acceptance request needs (DOMAIN §3.1 "deadline met, no open rectification
    order, required materials and surveys on file"): the policy's checks, the required
    materials, and the checks other apps register (open inspection orders: acceptance)."""
    checks = project.policy.acceptance_prerequisites(project_facts(project), project.parameters())
    checks += materials.missing_checks(project, "request_acceptance")
    return checks + [c for check in workflow.prerequisites_of("acceptance_prerequisites")
                     for c in check(project)]


@transaction.atomic
def create_project(user, community: Community, **fields) -> CreationProject:
    require(permissions.can_create_project(user, community))
    reserve = fields.pop("as_reserve", False)
    project = CreationProject(community=community, street=community.street, created_by=user,
                              status=Status.RESERVE if reserve else Status.DRAFT, **fields)
    bind_policy(project, today())
    if not reserve:
        Community.objects.select_for_update().filter(pk=community.pk).first()  # serialise
        refuse_open_application(project)
    project.save()
    _record(project, user, "create", "", project.status, comment="创建项目")
    return project


@transaction.atomic
def update_project(user, project: CreationProject, **fields) -> CreationProject:
    require(permissions.can_edit_project(user, project))
    if project.status not in EDITABLE_STATUSES:
        raise InvalidTransition(f"项目当前状态为“{project.get_status_display()}”，不能修改申报内容")
    fields = {name: value for name, value in fields.items() if getattr(project, name) != value}
    if not fields:
        return project  # posted back unchanged: nothing written, the version stays
    for name, value in fields.items():
        setattr(project, name, value)
    if "tier" in fields:
        bind_policy(project, today())
        if project.status == Status.DRAFT:
            refuse_open_application(project)
    updated = CreationProject.objects.filter(pk=project.pk, version=project.version).update(
        **fields, policy_code=project.policy_code, policy_version=project.policy_version,
        version=F("version") + 1, updated_at=timezone.now())
    if updated != 1:
        raise Conflict("项目已被他人修改，请刷新后重试")
    generation.changed()
    project.version += 1
    if DEADLINE_FACTS & set(fields):
        project_facts_changed.send(sender=CreationProject, project=project)
    return project


def _record(project, user, action, from_status, to_status, step_label="", comment="",
            document_no="", decision_date=None, details=None) -> Transition:
    return Transition.objects.create(
        project=project, action=action,
        action_label=workflow.ACTIONS.get(action, (OTHER_LABELS.get(action, action),))[0],
        from_status=from_status, to_status=to_status, step_label=step_label,
        actor=user, office=user.office, comment=comment, document_no=document_no,
        decision_date=decision_date, details=details or {},
    )


def _clean_data(move: workflow.Move, data: dict) -> dict:
    """Required fields present and well-formed, or InvalidInput naming each field."""
    errors, cleaned = {}, {}
    labels = {"comment": "意见", "listed_on": "列入名单日期", "document_no": "文号",
              "accepted_on": "验收通过日期", "named_on": "命名日期", "due_on": "整改期限"}
    for name in move.required:
        value = data.get(name)
        if value in (None, ""):
            errors[name] = f"请填写{labels[name]}"
            continue
        if name.endswith("_on"):
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    errors[name] = f"{labels[name]}格式应为 YYYY-MM-DD"
                    continue
            if not isinstance(value, dt.date):
                errors[name] = f"{labels[name]}格式应为 YYYY-MM-DD"
                continue
            if name == "due_on" and value <= today():
                errors[name] = "整改期限应晚于今天"
                continue
        elif not isinstance(value, str) or len(value) > (2000 if name == "comment" else 80):
            errors[name] = f"{labels[name]}过长或格式不正确"
            continue
        cleaned[name] = value
    comment = data.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > 2000:
        errors["comment"] = "意见过长或格式不正确"
    if errors:
        raise InvalidInput("；".join(errors.values()), errors)
    cleaned.setdefault("comment", comment)
    return cleaned


def guard_failures(project, move: workflow.Move) -> list[str]:
    """Why a move the user's office could take is not possible now (empty: it is)."""
    reasons = []
    if "prechecks" in move.guards:
        reasons += [f"{c.message}（{c.basis}）" for c in prechecks(project) if c.severity == "block"]
    if "acceptance_prerequisites" in move.guards:
        reasons += [f"{c.message}（{c.basis}）" for c in acceptance_prerequisites(project)
                    if c.severity == "block"]
    if "spending_open" in move.guards and project.spending_final:
        reasons.append("实际支出已确认决算")
    return reasons


def available_actions(project, user) -> tuple[list[dict], list[dict]]:
    """(actions the user may take now, actions their office has but cannot take yet + why)."""
    allowed, blocked, seen = [], [], set()
    for move in workflow.moves(project):
        if move.action in seen or not permissions.can_take(user, project, move):
            continue
        seen.add(move.action)
        reasons = guard_failures(project, move)
        entry = {"action": move.action, "label": move.label, "required": list(move.required)}
        if reasons:
            blocked.append({**entry, "reasons": reasons})
        else:
            allowed.append(entry)
    return allowed, blocked


def check_action(project: CreationProject, user, action: str, data: dict) -> tuple[workflow.Move, dict]:
    """Everything `perform_action` checks before it writes (the move, the office, the fields, the
    guards), raising the same errors; nothing written. Read by the confirmation step."""
    if action not in workflow.ACTIONS:
        raise InvalidInput(f"未知操作“{action}”", {"action": f"未知操作“{action}”"})
    candidates = [m for m in workflow.moves(project) if m.action == action]
    state = workflow.describe_state(project)
    if not candidates:
        raise InvalidTransition(f"项目当前状态为“{state}”，不能执行“{workflow.ACTIONS[action][0]}”")
    mine = [m for m in candidates if permissions.can_take(user, project, m)]
    if not mine:
        raise Forbidden(permissions.can_act(user, project, action)[1])
    move = mine[0]
    cleaned = _clean_data(move, data)
    recorded = {name: cleaned[name] for name in dates.ORDER if name in cleaned}
    if move.action == "request_acceptance":
        recorded["acceptance_requested_on"] = today()
    dates.check_decision_dates(project, recorded, today())
    if move.action in ("submit", "start_application"):
        refuse_open_application(project)
    reasons = guard_failures(project, move)
    if reasons:
        raise InvalidTransition(f"不能执行“{move.label}”：{'；'.join(reasons)}")
    return move, cleaned


def perform_action(project: CreationProject, user, action: str, data: dict) -> CreationProject:
    """Take `action` on a project the caller can already see (scope checked by the caller).

    Compare-and-set on `version`: of two reviewers acting at once exactly one transition
    is written; the other gets Conflict (409). Everything in one transaction.
    """
    move, cleaned = check_action(project, user, action, data)
    with transaction.atomic():
        # The project row is locked first: a spending insert (projects.reports.record_spending,
        # which locks the same row) and the finalise move's total exclude each other.
        locked = (CreationProject.objects.select_for_update().filter(pk=project.pk)
                  .values("version", "spending_final").first())
        if locked is None or locked["version"] != project.version:
            raise Conflict("项目状态已被他人更新，本次操作未执行，请刷新后重试")
        if "spending_open" in move.guards and locked["spending_final"]:
            raise InvalidTransition(f"不能执行“{move.label}”：实际支出已确认决算")
        step = workflow.current_step(project)
        changes = _apply(project, move, cleaned)
        updated = CreationProject.objects.filter(
            pk=project.pk, version=project.version, status=project.status,
        ).update(**changes, version=F("version") + 1, updated_at=timezone.now())
        if updated != 1:
            raise Conflict("项目状态已被他人更新，本次操作未执行，请刷新后重试")
        generation.changed()
        from_status, from_step = project.status, project.review_step
        for name, value in changes.items():
            setattr(project, name, value)
        project.version += 1
        moved = (from_status, from_step) != (project.status, project.review_step)
        transition = _record(
            project, user, action, from_status, project.status,
            step_label=step.label if step and moved else "", comment=cleaned.get("comment", ""),
            document_no=cleaned.get("document_no", ""),
            decision_date=cleaned.get("listed_on") or cleaned.get("accepted_on")
            or cleaned.get("named_on"),
            details=_details(cleaned, project if action == "submit" else None),
        )
        for run in workflow.effects_of(move.action):
            run(project=project, user=user, cleaned=cleaned, transition=transition)
        project_transitioned.send(sender=CreationProject, project=project, transition=transition)
    return project


def _details(cleaned: dict, submitted=None) -> dict:
    """The history row's details; a submission keeps a snapshot of every submitted fact
    (projects.submitted: the reviewer's diff after a return)."""
    details = {}
    if submitted is not None:
        from projects.submitted import submitted_facts

        details["facts"] = submitted_facts(submitted)
    if "due_on" in cleaned:
        details["due_on"] = cleaned["due_on"].isoformat()
    if "spending_total" in cleaned:
        details["spending_total"] = f"{cleaned['spending_total']:.2f}"
    return details


def spending_total(project):
    """The street's actual spending (实际支出) as of today, in 元 (projects.spending: the rows the
    subsidy run counts, at their corrected amounts)."""
    from projects.spending import spent_total

    return spent_total(project, today())


def _apply(project, move: workflow.Move, cleaned: dict) -> dict:
    """The field changes a move makes (nothing saved here; the finalise move reads the
    spending total into `cleaned`, for its history row)."""
    changes = {"status": move.to_status, "review_step": move.to_step}
    if move.action in ("return", "reject", "issue_rectification", "terminate"):
        changes["last_comment"] = cleaned["comment"]
    if move.action == "submit":
        bind_policy(project, today())
        changes.update(policy_code=project.policy_code, policy_version=project.policy_version,
                       last_comment="")
    if move.action == "record_listing":
        project.listed_on = cleaned["listed_on"]
        bind_policy(project, project.listed_on)
        # The construction deadline (and its stored copy) follows from the listing: written with
        # the deadline rows by the transition's receiver (projects.deadlines, acceptance.deadlines).
        changes.update(listed_on=project.listed_on, listing_document_no=cleaned["document_no"],
                       policy_code=project.policy_code, policy_version=project.policy_version)
    if move.action == "request_acceptance":
        changes["acceptance_requested_on"] = today()
    if move.action == "record_acceptance":
        changes.update(accepted_on=cleaned["accepted_on"],
                       acceptance_document_no=cleaned["document_no"])
    if move.action == "record_naming":
        changes.update(named_on=cleaned["named_on"], naming_document_no=cleaned["document_no"])
    if move.action == "finalise_spending":
        total = cleaned["spending_total"] = spending_total(project)
        note = f"确认实际支出决算，合计 {total:.2f} 元"
        cleaned["comment"] = f"{note}；{cleaned['comment']}" if cleaned.get("comment") else note
        changes["spending_final"] = True
    return changes
