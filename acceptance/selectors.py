"""Reads: scoped querysets for pages, the API and other apps."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from acceptance.models import Alert, Deadline, RectificationOrder
from portal.notifications import notifications_for

LIMIT = 10


def deadlines_for(user):
    return Deadline.objects.visible_to(user).select_related("project__community", "order")


def alerts_for(user, everything: bool = False):
    """The caller's alerts: those addressed to their office, always within their data scope.

    `everything` (and administrators) see every alert in scope, whichever office it went to.
    """
    alerts = (Alert.objects.visible_to(user)
              .select_related("office", "deadline__project__community", "deadline__project__street"))
    if everything or user.is_portal_admin:
        return alerts
    return alerts.filter(office_id=user.office_id) if user.office_id else alerts.none()


def _project_url(project_id):
    return reverse("projects:detail", args=[project_id])


def _section(title, rows, item, count=None, **extra):
    return {"title": title, "count": len(rows) if count is None else count,
            "items": [item(row) for row in rows], **extra}


def workbench_sections(user, today: dt.date | None = None) -> list[dict]:
    """Home page sections: deadlines within 30 days, unread alerts, open rectification orders."""
    from portal.heartbeats import stale_jobs

    if user.office_id is None and not user.is_superuser:
        return []
    today = today or timezone.localdate()
    sections = []
    if user.is_portal_admin:
        stale = stale_jobs()
        if stale:
            names = {"worker": "后台任务进程（Celery worker）", "sweep": "每日时限巡检（sweep_deadlines）"}
            sections.append({
                "title": "警告：后台任务已停止运行，预警和邮件不会发出", "count": len(stale), "level": "danger",
                "items": [{"label": names.get(name, name), "url": "/healthz",
                           "note": "请检查 celery worker 与 celery beat 进程"} for name in stale]})
    upcoming = (deadlines_for(user).filter(state=Deadline.State.OPEN, due_on__gte=today,
                                           due_on__lte=today + dt.timedelta(days=30)).order_by("due_on", "pk"))
    rows = list(upcoming[:LIMIT])
    sections.append(_section(
        "30天内到期的时限", rows,
        lambda d: {"label": f"{d.project.display_name} · {d.label}", "url": _project_url(d.project_id),
                   "note": f"{d.due_on} 到期（{d.basis}）"},
        count=len(rows) if len(rows) < LIMIT else upcoming.count()))
    unread = notifications_for(user).filter(read_at=None, event="alert")
    rows = list(unread[:LIMIT])
    sections.append(_section(
        "未读预警", rows,
        lambda n: {"label": n.title, "url": reverse("portal:inbox"), "note": n.body},
        count=len(rows) if len(rows) < LIMIT else unread.count()))
    orders = (RectificationOrder.objects.visible_to(user).filter(closed_at=None)
              .select_related("project__community").order_by("due_on", "pk"))
    rows = list(orders[:LIMIT])
    sections.append(_section(
        "未完成的整改单", rows,
        lambda o: {"label": f"{o.project.display_name} 整改单#{o.pk}", "url": _project_url(o.project_id),
                   "note": f"整改期限 {o.due_on}：{o.requirements[:60]}"},
        count=len(rows) if len(rows) < LIMIT else orders.count()))
    return sections
