"""更正 of a recorded spending row (issue #20 item 8): never a silent edit.

The project's street asks for a correction (new amount and reason); the townscape office of
the project's district approves or rejects it. Both steps are history rows (Transition,
append-only) and notices; the spending row itself never changes — an approved correction's
amount becomes the row's effective amount (projects.spending.effective_amount), which the
finalise move, the subsidy run and the ledger read. Corrections stop once the spending is
declared final (决算), under the same project-row lock as inserts and the finalise move.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.errors import InvalidInput, InvalidTransition
from portal.permissions import require
from projects import permissions
from projects.models import SpendingCorrection, SpendingRecord
from projects.reports import lock_spending
from projects.spending import clean_amount

ACTIONS = {"request_spending_correction": "申请更正实际支出",
           "approve_spending_correction": "批准更正实际支出",
           "reject_spending_correction": "驳回更正实际支出"}


def _text(value, field: str, label: str, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > 200 or (required and not value.strip()):
        raise InvalidInput(f"请填写{label}（不超过200字）", {field: f"请填写{label}（不超过200字）"})
    return value.strip()


def _history(project, user, action: str, correction: SpendingCorrection, comment: str):
    from projects.services import _record

    record = correction.record
    _record(project, user, action, project.status, project.status, comment=comment, details={
        "spending": record.pk, "spent_on": record.spent_on.isoformat(), "recorded_amount": f"{record.amount:.2f}",
        "corrected_amount": f"{correction.amount:.2f}", "correction": correction.pk})


INBOX_EVENTS = {"spending_correction": "支出更正"}


def _notify(project, title: str, body: str, offices=(), users=()):
    from portal.notifications import notify

    notify("spending_correction", title=title, body=body, project=project,
           link=f"/projects/{project.pk}/", link_label="查看项目", offices=offices, users=users)


def district_office(project):
    from communities.models import Office

    return Office.objects.filter(kind=Office.Kind.DISTRICT_TOWNSCAPE, region_id=project.street.parent_id).first()


def request_correction(user, record: SpendingRecord, *, amount, reason) -> SpendingCorrection:
    project = record.project
    require(permissions.can_add_spending(user, project))
    amount, reason = clean_amount(amount), _text(reason, "reason", "更正原因")
    if amount == record.amount:
        raise InvalidInput("更正后金额与原金额相同", {"amount": "更正后金额与原金额相同"})
    try:
        with transaction.atomic():
            lock_spending(project)
            correction = SpendingCorrection.objects.create(record=record, amount=amount, reason=reason,
                                                           requested_by=user)
            comment = f"{record.spent_on:%Y-%m-%d} 支出 {record.amount:.2f} 元申请更正为 {amount:.2f} 元：{reason}"
            _history(project, user, "request_spending_correction", correction, comment)
            office = district_office(project)
            _notify(project, f"{project.display_name}申请更正实际支出", comment, offices=[office] if office else ())
    except IntegrityError:
        raise InvalidInput("该笔支出已有待审核的更正，请等待区县审核",
                           {"amount": "该笔支出已有待审核的更正"}) from None
    return correction


def decide_correction(user, correction: SpendingCorrection, *, approve: bool, comment="") -> SpendingCorrection:
    project = correction.record.project
    require(permissions.can_decide_spending_correction(user, project))
    comment = _text(comment, "comment", "审核意见", required=not approve)
    with transaction.atomic():
        lock_spending(project)
        state = SpendingCorrection.State.APPROVED if approve else SpendingCorrection.State.REJECTED
        now = timezone.now()
        decided = SpendingCorrection.objects.filter(pk=correction.pk, state=SpendingCorrection.State.PENDING).update(
            state=state, decided_by=user, decided_at=now, decision_comment=comment)
        if decided != 1:
            raise InvalidTransition("该更正已审核")
        correction.refresh_from_db()
        action = "approve_spending_correction" if approve else "reject_spending_correction"
        verdict = "批准" if approve else "驳回"
        note = (f"{verdict}更正：{correction.record.spent_on:%Y-%m-%d} 支出 {correction.record.amount:.2f} 元"
                f" → {correction.amount:.2f} 元" + (f"；{comment}" if comment else ""))
        _history(project, user, action, correction, note)
        _notify(project, f"{project.display_name}实际支出更正已{verdict}", note, users=[correction.requested_by])
    return correction
