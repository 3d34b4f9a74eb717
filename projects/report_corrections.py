"""月报更正 (issue #15 defect 3): a locked 月报 is corrected only through a request by the
street that the district office approves or rejects. Every step is a row of the project's
append-only history; approval applies the corrected figures here, in one transaction, by
compare-and-set on the request's state and the report's version — the one writer of a
locked report's figures."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.errors import Conflict, InvalidInput, InvalidTransition
from portal.permissions import require
from projects import permissions
from projects.models import MonthlyReport, ReportCorrection
from projects.reports import report_locked

FIGURES = ("progress_percent", "investment_completed", "problems", "next_steps")
INBOX_EVENTS = {"report_correction_request": "月报更正申请", "report_correction_decision": "月报更正审批"}


def _notify(project, correction, kind: str, title: str, body: str) -> None:
    """The other side hears of it: a request reaches the district office, a decision the street."""
    from django.urls import reverse

    from communities.models import Office
    from portal.notifications import notify

    office = (Office.objects.filter(kind=Office.Kind.DISTRICT_TOWNSCAPE, region_id=project.street.parent_id)
              if kind == "request" else Office.objects.filter(kind=Office.Kind.STREET, region_id=project.street_id))
    notify(f"report_correction_{kind}", title=title, body=body, project=project, offices=office,
           link=reverse("projects:detail", args=[project.pk]), link_label=project.display_name,
           key=f"report_correction_{kind}:{correction.pk}")


def _figures(obj) -> dict:
    return {name: str(getattr(obj, name)) for name in FIGURES}


def _history(project, user, action, comment, details):
    from projects.services import _record

    return _record(project, user, action, project.status, project.status, comment=comment, details=details)


def request_correction(user, report: MonthlyReport, *, reason: str, **figures) -> ReportCorrection:
    project = report.project
    require(permissions.can_request_report_correction(user, project))
    if not report_locked(project, report.month):
        raise InvalidTransition("该月报尚未锁定，请直接修改")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写更正原因", {"reason": "请填写更正原因"})
    if all(str(figures.get(name, getattr(report, name))) == str(getattr(report, name)) for name in FIGURES):
        raise InvalidInput("更正内容与原月报相同", {"progress_percent": "更正内容与原月报相同"})
    with transaction.atomic():
        if ReportCorrection.objects.select_for_update().filter(report=report, state="pending").exists():
            raise Conflict(f"{report.month:%Y年%m月}月报已有待审批的更正申请")
        correction = ReportCorrection.objects.create(
            report=report, reason=reason, requested_by=user,
            **{name: figures.get(name, getattr(report, name)) for name in FIGURES})
        _history(project, user, "report_correction_requested", reason, {
            "correction": correction.pk, "month": f"{report.month:%Y-%m}",
            "before": _figures(report), "after": _figures(correction)})
        _notify(project, correction, "request",
                f"【月报更正申请】{project.display_name} {report.month:%Y年%m月}月报，待审批",
                f"形象进度 {report.progress_percent}% → {correction.progress_percent}%；累计完成投资 "
                f"{report.investment_completed:,.2f} → {correction.investment_completed:,.2f} 元。更正原因：{reason}")
    return correction


def decide_correction(user, correction: ReportCorrection, *, approve: bool, comment: str = "") -> ReportCorrection:
    """Approve (apply the corrected figures to the report) or reject a pending request."""
    report = correction.report
    project = report.project
    require(permissions.can_decide_report_correction(user, project))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise InvalidInput("驳回时请填写意见", {"comment": "驳回时请填写意见"})
    state = ReportCorrection.State.APPROVED if approve else ReportCorrection.State.REJECTED
    now = timezone.now()
    with transaction.atomic():
        decided = ReportCorrection.objects.filter(pk=correction.pk, state=ReportCorrection.State.PENDING).update(
            state=state, decided_by=user, decided_at=now, decision_comment=comment)
        if decided != 1:
            raise Conflict("该更正申请已被处理")
        before = _figures(MonthlyReport.objects.get(pk=report.pk))
        if approve:
            MonthlyReport.objects.filter(pk=report.pk).update(
                **{name: getattr(correction, name) for name in FIGURES},
                version=F("version") + 1, updated_at=now)
        action = "report_correction_approved" if approve else "report_correction_rejected"
        _history(project, user, action, comment, {
            "correction": correction.pk, "month": f"{report.month:%Y-%m}", "before": before,
            "after": _figures(correction)})
        verb = "同意" if approve else "驳回"
        office = user.office.name if user.office_id else ""
        _notify(project, correction, "decision",
                f"【月报更正{verb}】{project.display_name} {report.month:%Y年%m月}月报",
                f"{office}{verb}了更正申请。" + (f"意见：{comment}" if comment else ""))
    correction.refresh_from_db()
    return correction
