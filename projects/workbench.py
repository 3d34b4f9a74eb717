"""To-do sections of the home page (工作台) contributed by the projects app."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from communities.scope import scope_token
from portal import compiled
from projects import permissions, selectors
from projects.models import LISTED_STATUSES, CreationProject, Status, Transition

LIMIT = 10


def _items(projects, note=lambda p: ""):
    return [{"label": p.display_name, "url": reverse("projects:detail", args=[p.pk]), "note": note(p)}
            for p in projects]


def _section(title, queryset, note=lambda p: ""):
    rows = list(queryset[:LIMIT])
    count = len(rows) if len(rows) < LIMIT else queryset.count()
    return {"title": title, "count": count, "items": _items(rows, note)}


# What waits on a street office in the 创建项目 list (its to-do count): returned applications
# and open rectifications.
STREET_TODO = (Status.RETURNED, Status.RECTIFYING)


def street_todo_query(user) -> tuple[tuple, object] | None:
    """创建项目's to-do count as a compiled count (key, build; portal.compiled): for a street, its
    returned and rectifying projects; None for any other office."""
    office = user.office
    if office is None or office.kind != office.Kind.STREET:
        return None
    return (("street_todo", scope_token(user)),
            lambda: CreationProject.objects.visible_to(user).filter(status__in=STREET_TODO))


def street_todo(user) -> int:
    query = street_todo_query(user)
    return 0 if query is None else compiled.count(*query)


def review_todo_query(user) -> tuple[tuple, object]:
    """待我审核's to-do count as a compiled count: the review queue's length (its statement depends
    only on the office's chain level and the scope, so it is compiled once for them)."""
    level = user.office.chain_level if user.office_id else None
    return (("review_todo", level, scope_token(user)), lambda: selectors.review_waiting_projects(user))


def review_todo(user) -> int:
    return compiled.count(*review_todo_query(user))


def done_by(user, limit: int = LIMIT):
    """已办: the user's own latest moves from the project history, within the user's scope."""
    visible = CreationProject.objects.visible_to(user).values("pk")
    return (Transition.objects.filter(actor=user, project__in=visible)
            .select_related("project__community").order_by("-at", "-id")[:limit])


def done_section(user) -> dict:
    rows = list(done_by(user))
    return {"title": "已办（最近办理）", "count": len(rows), "key": "done",
            "items": [{"label": f"{t.action_label} · {t.project.display_name}",
                       "url": reverse("projects:detail", args=[t.project_id]),
                       "note": f"{timezone.localtime(t.at):%Y-%m-%d %H:%M}"
                               + (f"：{t.comment[:60]}" if t.comment and t.comment != t.action_label else "")}
                      for t in rows]}


def sections(user):
    office = user.office
    if office is None:
        return []
    return [*todo_sections(user, office), done_section(user)]


def todo_sections(user, office):
    mine = CreationProject.objects.visible_to(user).for_list()
    if office.kind == office.Kind.STREET:
        today = timezone.localdate()
        last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        return [
            _section("草稿", mine.filter(status=Status.DRAFT)),
            _section("谋划储备", mine.filter(status=Status.RESERVE)),
            _section("被退回（请按意见修改后重新提交）", mine.filter(status=Status.RETURNED),
                     lambda p: p.last_comment),
            _section("整改中", mine.filter(status=Status.RECTIFYING), lambda p: p.last_comment),
            _section(f"待报月报（{last_month:%Y年%m月}）",
                     mine.filter(status__in=LISTED_STATUSES, listed_on__lt=today.replace(day=1))
                     .exclude(monthly_reports__month=last_month)),
            _section("30天内到期的建设完成时限",
                     mine.filter(status__in=LISTED_STATUSES, construction_deadline__gte=today,
                                 construction_deadline__lte=today + dt.timedelta(days=30))
                     .order_by("construction_deadline"),
                     lambda p: f"时限 {p.construction_deadline}（{p.construction_deadline_basis}）"),
        ]
    result = []
    if permissions.can_view_review_queue(user)[0]:
        queue = selectors.review_queue(user)  # COUNT, and only the shown rows read (a city's queue is long)
        result.append({"title": "待我审核", "count": queue.count(),
                       "items": _items(queue[:LIMIT], lambda p: p.step.label)})
    if office.kind == office.Kind.DISTRICT_TOWNSCAPE:
        result.append(_corrections(user))
    return result


def _corrections(user):
    """月报更正申请 waiting for the district's decision (projects.report_corrections)."""
    from projects.models import ReportCorrection

    pending = (ReportCorrection.objects.visible_to(user).filter(state=ReportCorrection.State.PENDING)
               .select_related("report__project__community").order_by("requested_at", "pk"))
    rows = list(pending[:LIMIT])
    return {"title": "待审批的月报更正申请", "count": len(rows) if len(rows) < LIMIT else pending.count(),
            "items": [{"label": f"{c.report.project.display_name} · {c.report.month:%Y年%m月}月报",
                       "url": reverse("projects:detail", args=[c.report.project_id]), "note": c.reason[:60]}
                      for c in rows]}
