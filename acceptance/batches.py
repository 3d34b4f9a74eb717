"""Acceptance batches (机动验收 / 定时验收, 嘉兴 二(二)6) and naming batches.

A batch is a convenience over the workflow: every result is an ordinary transition made
by projects.services.perform_action, all of a batch in one transaction (all or nothing).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from acceptance import permissions
from acceptance.models import AcceptanceBatch, NamingBatch
from portal.errors import InvalidInput
from portal.permissions import require
from portal.validators import require_text
from projects import dates, services, workflow
from projects.models import CreationProject, Status

ACCEPTANCE_STATUSES = {Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_REVIEW}


def _waiting_on(user, projects, statuses, actions):
    """The projects (visible to the user) waiting on an action of the user's office level."""
    level = user.office.chain_level
    ready, refused = [], []
    for project in projects:
        moves = [m for m in workflow.moves(project) if m.action in actions and m.office_level == level]
        if project.status in statuses and moves:
            ready.append(project)
        else:
            refused.append(project)
    return ready, refused


def batch_candidates(user, kind: str):
    """Projects the user's office could put into an acceptance ("acceptance") or naming batch."""
    projects = (CreationProject.objects.visible_to(user).for_list().select_related("policy_version")
                .filter(status__in=ACCEPTANCE_STATUSES if kind == "acceptance" else {Status.ACCEPTED}))
    actions = ("approve", "record_acceptance") if kind == "acceptance" else ("record_naming",)
    if user.office is None or user.office.chain_level is None:
        return []
    return _waiting_on(user, projects, ACCEPTANCE_STATUSES | {Status.ACCEPTED}, actions)[0]


def _require_date(field: str, label: str, value) -> None:
    if not isinstance(value, dt.date):
        raise InvalidInput(f"请填写{label}（格式 YYYY-MM-DD）", {field: f"请填写{label}"})


def _load(user, project_ids):
    projects = list(CreationProject.objects.visible_to(user).for_list().select_related("policy_version")
                    .filter(pk__in=project_ids))
    if not project_ids or len(projects) != len(set(project_ids)):
        raise InvalidInput("请选择数据权限范围内的项目", {"projects": "请选择数据权限范围内的项目"})
    return projects


@transaction.atomic
def create_acceptance_batch(user, *, kind: str, held_on: dt.date, title: str, project_ids) -> AcceptanceBatch:
    require(permissions.can_create_batch(user, "acceptance"))
    title = require_text("title", "批次名称", title, 120, required=True)
    _require_date("held_on", "验收日期", held_on)
    if kind not in AcceptanceBatch.Kind.values:
        raise InvalidInput("验收方式应为机动验收或定时验收", {"kind": "验收方式不正确"})
    projects = _load(user, project_ids)
    _, refused = _waiting_on(user, projects, ACCEPTANCE_STATUSES, ("approve", "record_acceptance"))
    if refused:
        names = "、".join(p.display_name for p in refused)
        raise InvalidInput(f"以下项目当前不在本单位验收环节：{names}", {"projects": names})
    for project in projects:  # the results will be recorded as accepted on `held_on`
        dates.check_decision_dates(project, {"accepted_on": held_on}, None, prefix=f"{project.display_name}：")
    batch = AcceptanceBatch.objects.create(kind=kind, held_on=held_on, title=title, office=user.office,
                                           created_by=user)
    batch.projects.set(projects)
    return batch


ACCEPTANCE_MOVES = ("approve", "record_acceptance")


def _open_batch(batch: AcceptanceBatch) -> AcceptanceBatch:
    """The batch locked for this transaction; refused (400, as before) once recorded or cancelled."""
    batch = AcceptanceBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.cancelled_at is not None:
        raise InvalidInput("该批次已取消", {"batch": "已取消"})
    if batch.results_recorded_at is not None:
        raise InvalidInput("该批次的验收结果已录入", {"batch": "已录入"})
    return batch


def stale_projects(user, projects) -> list:
    """The projects of a batch that no longer wait on the user's office's acceptance step
    (returned, under rectification, accepted elsewhere…): they must be dropped first."""
    return _waiting_on(user, projects, ACCEPTANCE_STATUSES, ACCEPTANCE_MOVES)[1]


@transaction.atomic
def record_acceptance_results(user, batch: AcceptanceBatch, *, document_no: str, results: dict) -> int:
    """results: {project_id: {"passed": bool, "comment": str, "due_on": date}} for every project."""
    require(permissions.can_record_batch_results(user, batch))
    document_no = require_text("document_no", "验收文号", document_no, 80)
    for result in results.values():
        result["comment"] = require_text("comment", "验收意见", result.get("comment"), 2000, single=False)
    batch = _open_batch(batch)
    projects = _load(user, [p.pk for p in batch.projects.all()])
    stale = stale_projects(user, projects)
    if stale:
        names = "、".join(f"{p.display_name}（{p.get_status_display()}）" for p in stale)
        raise InvalidInput(f"以下项目已不在本单位验收环节，请先将其移出本批次：{names}", {"projects": names})
    missing = [p.display_name for p in projects if p.pk not in results]
    if missing:
        raise InvalidInput(f"请为每个项目录入结果：{'、'.join(missing)}", {"results": "不完整"})
    for project in projects:
        result = results[project.pk]
        if result.get("passed"):
            move = next(m for m in workflow.moves(project) if m.action in ACCEPTANCE_MOVES)
            services.perform_action(project, user, move.action, {
                "accepted_on": batch.held_on, "document_no": document_no,
                "comment": result.get("comment") or f"{batch.get_kind_display()}：{batch.title}"})
        else:
            services.perform_action(project, user, "issue_rectification", {
                "due_on": result.get("due_on"), "comment": result.get("comment")})
    AcceptanceBatch.objects.filter(pk=batch.pk).update(results_recorded_at=timezone.now())
    return len(projects)


@transaction.atomic
def drop_project(user, batch: AcceptanceBatch, project_id, reason: str) -> AcceptanceBatch:
    """Take a project out of a batch whose results are not recorded yet (e.g. it was returned),
    keeping who, when and why in `batch.dropped`."""
    require(permissions.can_record_batch_results(user, batch))
    reason = require_text("reason", "移出原因", reason, 200, required=True)
    batch = _open_batch(batch)
    project = batch.projects.filter(pk=project_id).first() if isinstance(project_id, int) else None
    if project is None:
        raise InvalidInput("该项目不在本批次中", {"project": "该项目不在本批次中"})
    batch.projects.remove(project)
    batch.dropped = [*batch.dropped, {"project": project.pk, "name": project.display_name, "reason": reason,
                                      "by": user.get_username(), "at": timezone.now().isoformat()}]
    batch.save(update_fields=["dropped"])
    return batch


@transaction.atomic
def cancel_batch(user, batch: AcceptanceBatch, reason: str) -> AcceptanceBatch:
    """Cancel a batch whose results are not recorded (empty, or stuck on projects that left the
    step); its projects are untouched and can go into another batch."""
    require(permissions.can_record_batch_results(user, batch))
    reason = require_text("reason", "取消原因", reason, 200, required=True)
    batch = _open_batch(batch)
    batch.cancelled_at, batch.cancel_reason = timezone.now(), reason
    batch.save(update_fields=["cancelled_at", "cancel_reason"])
    return batch


@transaction.atomic
def create_naming_batch(user, *, title: str, document_no: str, named_on: dt.date, project_ids) -> NamingBatch:
    require(permissions.can_create_batch(user, "naming"))
    title = require_text("title", "批次名称", title, 120, required=True)
    document_no = require_text("document_no", "命名文号", document_no, 80, required=True)
    _require_date("named_on", "命名日期", named_on)
    projects = _load(user, project_ids)
    _, refused = _waiting_on(user, projects, {Status.ACCEPTED}, ("record_naming",))
    if refused:
        names = "、".join(p.display_name for p in refused)
        raise InvalidInput(f"以下项目当前不在本单位命名环节：{names}", {"projects": names})
    batch = NamingBatch.objects.create(title=title, document_no=document_no, named_on=named_on,
                                       office=user.office, created_by=user)
    batch.projects.set(projects)
    for project in projects:
        services.perform_action(project, user, "record_naming",
                                {"named_on": named_on, "document_no": document_no,
                                 "comment": f"命名批次：{title}"})
    return batch
