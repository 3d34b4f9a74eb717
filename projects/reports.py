"""Monthly progress reports (月报) and spending records (实际支出) by the street."""

import datetime as dt

from django.db import IntegrityError, transaction

from portal.errors import InvalidInput, InvalidTransition
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


def submit_monthly_report(user, project, *, month, **fields) -> MonthlyReport:
    from projects.services import today as local_today

    require(permissions.can_add_monthly_report(user, project))
    today = local_today()
    month = _check_month(project, month, today)
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(project=project, month=month, submitted_by=user,
                                                **fields)
    except IntegrityError:
        raise InvalidInput(f"{month:%Y年%m月}的月报已填报，请修改原月报",
                           {"month": "该月月报已填报"}) from None


def update_monthly_report(user, report: MonthlyReport, **fields) -> MonthlyReport:
    require(permissions.can_add_monthly_report(user, report.project))
    if report_locked(report.project, report.month):
        due = report_due(report.project, report.month)
        raise InvalidTransition(f"{report.month:%Y年%m月}月报已过填报截止日（{due.date}，{due.basis}），已锁定")
    fields.pop("month", None)
    fields.pop("project", None)
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
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
