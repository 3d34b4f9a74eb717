"""Monthly progress reports (月报) and spending records (实际支出) by the street."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from policies.dates import next_month
from portal.errors import Conflict, InvalidInput, InvalidTransition
from portal.permissions import require
from projects import permissions
from projects.models import LISTED_STATUSES, CreationProject, MonthlyReport, SpendingRecord, Status


def report_due(project, month: dt.date):
    policy = project.policy
    return policy.monthly_report_due(month.year, month.month, project.parameters())


def report_locked(project, month: dt.date, today: dt.date | None = None) -> bool:
    from projects.services import today as local_today

    due = report_due(project, month).date
    return due is not None and (today or local_today()) > due


def _check_month(project, month: dt.date, today: dt.date) -> dt.date:
    month = month.replace(day=1)
    if project.status not in LISTED_STATUSES:
        raise InvalidTransition("仅列入创建名单至验收通过前的项目需要填报月报")
    if project.listed_on and month < project.listed_on.replace(day=1):
        raise InvalidInput("月份早于列入创建名单的月份", {"month": "月份早于列入创建名单的月份"})
    if month > today.replace(day=1):
        raise InvalidInput("不能填报未来月份", {"month": "不能填报未来月份"})
    return month


def next_due_month(project, today: dt.date) -> dt.date:
    """The month the form pre-fills: the oldest month since listing without a report, else the
    current month (DOMAIN §4.2: a report for every month from listing)."""
    current = today.replace(day=1)
    if not project.listed_on:
        return current
    reported = set(project.monthly_reports.values_list("month", flat=True))
    month = project.listed_on.replace(day=1)
    while month < current:
        if month not in reported:
            return month
        month = dt.date(*next_month(month.year, month.month), 1)
    return current


def previous_report(project, month: dt.date) -> MonthlyReport | None:
    """The latest report before `month` ("last month's figures")."""
    return project.monthly_reports.filter(month__lt=month.replace(day=1)).order_by("-month").first()


def decreases(project, month: dt.date, progress, investment) -> list[str]:
    """Drops of 形象进度 or 累计完成投资 against the previous report: each needs a reason.
    Both figures are cumulative (累计), so a drop is a correction or an error."""
    before = previous_report(project, month)
    found = []
    if before is None:
        return found
    if progress is not None and progress < before.progress_percent:
        found.append(f"形象进度由{before.progress_percent}%（{before.month:%Y年%m月}）降至{progress}%")
    if investment is not None and investment < before.investment_completed:
        found.append(f"累计完成投资由{before.investment_completed:,.2f}元（{before.month:%Y年%m月}）"
                     f"降至{investment:,.2f}元")
    return found


def late_warning(project, month: dt.date, today: dt.date | None = None) -> str:
    """Why saving a report for `month` now locks it at once ("" when it is still on time)."""
    if not report_locked(project, month, today):
        return ""
    due = report_due(project, month)
    return (f"{month:%Y年%m月}月报的填报截止日为{due.date}（{due.basis}），已逾期：保存后立即锁定，不能再修改；"
            "如有错误，须提交更正申请，由区县（市）风貌办审批。")


def require_reason(project, month, fields) -> str:
    """The stored reason for a drop ("" without one), or InvalidInput naming decrease_reason."""
    reason = (fields.get("decrease_reason") or "").strip()
    found = decreases(project, month, fields.get("progress_percent"), fields.get("investment_completed"))
    if found and not reason:
        message = f"{'；'.join(found)}，请确认并填写下降原因"
        raise InvalidInput(message, {"decrease_reason": message})
    return reason if found else ""


def submit_monthly_report(user, project, *, month, **fields) -> MonthlyReport:
    from projects.services import today as local_today

    require(permissions.can_add_monthly_report(user, project))
    today = local_today()
    month = _check_month(project, month, today)
    fields["decrease_reason"] = require_reason(project, month, fields)
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(project=project, month=month, submitted_by=user,
                                                **fields)
    except IntegrityError:
        raise InvalidInput(f"{month:%Y年%m月}的月报已填报，请修改原月报",
                           {"month": "该月月报已填报"}) from None


STALE = "该月报已被他人修改（当前为第{current}版，您修改的是第{mine}版），本次保存未执行；请查看最新内容后重新修改"


def update_monthly_report(user, report: MonthlyReport, *, version: int | None = None, **fields) -> MonthlyReport:
    """Edit a report before its due day. `version`: the version the editor read (form field,
    API If-Match); a stale one is Conflict (409) and nothing is written. Compare-and-set on the
    row's version, so of two simultaneous edits exactly one is saved."""
    require(permissions.can_add_monthly_report(user, report.project))
    if report_locked(report.project, report.month):
        due = report_due(report.project, report.month)
        raise InvalidTransition(f"{report.month:%Y年%m月}月报已过填报截止日（{due.date}，{due.basis}），已锁定")
    seen = report.version if version is None else version
    if seen != report.version:
        raise Conflict(STALE.format(current=report.version, mine=seen))
    fields.pop("month", None)
    fields.pop("project", None)
    merged = {name: fields.get(name, getattr(report, name))
              for name in ("progress_percent", "investment_completed", "decrease_reason")}
    fields["decrease_reason"] = require_reason(report.project, report.month, merged)
    changes = {name: value for name, value in fields.items() if getattr(report, name) != value}
    if not changes:
        return report  # posted back unchanged: nothing written
    with transaction.atomic():
        updated = MonthlyReport.objects.filter(pk=report.pk, version=seen).update(
            **changes, version=F("version") + 1, updated_at=timezone.now())
        if updated != 1:
            current = MonthlyReport.objects.filter(pk=report.pk).values_list("version", flat=True).first()
            raise Conflict(STALE.format(current=current, mine=seen))
    report.refresh_from_db()
    return report


def lock_spending(project):
    """Lock the project row for a spending write and return its current (status, spending_final):
    an insert and the finalise move (projects.services.perform_action locks the same row) exclude
    each other, so the declared total is exactly the rows committed before it. Call inside a
    transaction."""
    row = (CreationProject.objects.select_for_update().filter(pk=project.pk)
           .values_list("status", "spending_final").first())
    if row is None:
        raise InvalidTransition("项目不存在")
    status, final = row
    if final:
        raise InvalidTransition("实际支出已决算，不能再录入")
    if status not in {*LISTED_STATUSES, Status.ACCEPTED, Status.NAMED}:
        raise InvalidTransition("仅列入创建名单后的项目可以录入实际支出")
    return row


def record_spending(user, project, *, spent_on, amount, description, form_token=None) -> SpendingRecord:
    """A spending row, checked by projects.spending (ASCII digits, below the maximum, not dated
    after today). `form_token` (the form's one-time token, the API's Idempotency-Key) makes a
    repeated POST return the first row (`duplicate` True) instead of creating another."""
    from projects.services import today
    from projects.spending import clean_amount, clean_spent_on

    require(permissions.can_add_spending(user, project))
    amount, spent_on = clean_amount(amount), clean_spent_on(spent_on, today())
    if form_token is not None and (not isinstance(form_token, str) or not 8 <= len(form_token) <= 64):
        raise InvalidInput("表单已失效，请刷新页面后重新录入", {"form_token": "表单令牌无效"})
    try:
        with transaction.atomic():
            lock_spending(project)
            record = SpendingRecord.objects.create(project=project, recorded_by=user, spent_on=spent_on,
                                                   amount=amount, description=description, form_token=form_token)
    except IntegrityError:
        record = SpendingRecord.objects.filter(form_token=form_token, project=project).first()
        if form_token is None or record is None:
            raise
        record.duplicate = True
        return record
    record.duplicate = False
    return record


def finalise_spending(user, project, comment: str = ""):
    """The street declares its actual spending final (决算): the workflow move
    `finalise_spending`, taken like every other move (history row with the total, 409 twice)."""
    from projects.services import perform_action

    return perform_action(project, user, "finalise_spending", {"comment": comment})
