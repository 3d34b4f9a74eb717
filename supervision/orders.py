"""督办单 and 催办 (DOMAIN §9; 嘉兴 三(三) “对未来社区建设进展缓慢的县(市、区)开展督办”; 富阳 五(六)):
the only place that changes them. Each step is a compare-and-set on `version` in one
transaction with its history row (reply, 办结 and send-back are supervision.replies' steps,
shared with an inspection's 整改单); the office that must act next is notified.

催办 of an overdue deadline is a 督办单 in one click: from a city 风貌办 to the project's
district 风貌办, from a district 风貌办 to its street; the reply deadline is the platform's
`URGE_REPLY_DAYS` (no document sets one), and a second click while one is open returns it.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from acceptance.models import Deadline
from communities.models import Office
from communities.scope import region_filter
from portal.errors import InvalidInput
from portal.notifications import notify
from portal.permissions import require
from projects.models import CreationProject
from supervision import inputs, permissions, replies
from supervision.models import SupervisionEvent, SupervisionOrder

URGE_REPLY_DAYS = 5
URGE_BASIS = "嘉兴 三(三) 对建设进展缓慢的开展督办；富阳 五(六) 每月进行评价通报"
URGE_RULE = f"催办回复期限文件未规定，本平台取{URGE_REPLY_DAYS}日"
MAX_PROJECTS = 200
INBOX_EVENTS = {"supervision_issued": "督办", "supervision_replied": "督办回复", "supervision_accept": "督办办结",
                "supervision_send_back": "督办退回"}


def today():
    return timezone.localdate()


def _link(order) -> str:
    return reverse("supervision:order", args=[order.pk])


def _event(order, user, action, comment=""):
    return SupervisionEvent.objects.create(order=order, action=action, comment=comment, actor=user,
                                           office=user.office)


def _projects_of(user, target_office, ids) -> list[CreationProject]:
    """The named projects: visible to the issuer and inside the target office's region."""
    if not isinstance(ids, list | tuple) or not ids or len(ids) > MAX_PROJECTS:
        inputs.refuse("projects", f"请选择督办涉及的项目（1至{MAX_PROJECTS}个）")
    try:
        ids = {int(i) for i in ids}
    except (TypeError, ValueError):
        inputs.refuse("projects", "项目编号不正确")
    if any(i <= 0 or i > 2**31 for i in ids):
        inputs.refuse("projects", "项目编号不正确")
    condition = region_filter(user, "street")
    if condition is None:
        inputs.refuse("projects", "项目不存在或不在您的数据权限范围内")
    found = list(CreationProject.objects.filter(condition, pk__in=ids,
                                                street__path__startswith=target_office.region.path)
                 .select_related("community"))
    if len(found) != len(ids):
        inputs.refuse("projects", "所选项目不存在、不在您的数据权限范围内或不属于被督办单位")
    return found


@transaction.atomic
def issue(user, data: dict) -> SupervisionOrder:
    """下发督办单 to the office directly below, about named projects, with a reply deadline."""
    require(permissions.can_issue_supervision(user))
    try:
        target = Office.objects.select_related("region").get(pk=int(data.get("target_office")))
    except (TypeError, ValueError, OverflowError, Office.DoesNotExist):
        inputs.refuse("target_office", "请选择被督办单位")
    require(permissions.can_issue_supervision(user, target))
    projects = _projects_of(user, target, data.get("projects"))
    subject = inputs.text(data, "subject", "督办事项", max_length=200)
    requirements = inputs.text(data, "requirements", "督办要求", max_length=4000)
    due = inputs.date(data, "reply_due_on", "回复期限")
    inputs.future(due, "reply_due_on", "回复期限", today())
    order = SupervisionOrder.objects.create(issuer_office=user.office, target_office=target, subject=subject,
                                            requirements=requirements, reply_due_on=due, created_by=user)
    order.projects.set(projects)
    _event(order, user, SupervisionEvent.Action.ISSUE, requirements)
    _announce(order, user, projects)
    return order


def _announce(order, user, projects):
    names = "、".join(p.display_name for p in projects[:10]) + ("等" if len(projects) > 10 else "")
    notify("supervision_issued", key=f"supervision:{order.pk}", project=projects[0] if len(projects) == 1 else None,
           link=_link(order), link_label=order.subject, offices=[order.target_office],
           title=f"【督办】{order.subject}（请于{order.reply_due_on}前回复）",
           body=f"{user.office.name}督办：{order.requirements}。涉及项目：{names}。")


def urge_target(user, project) -> Office | None:
    """Whom a 催办 by `user` goes to: the office directly below on the project's path."""
    office = user.office
    if office is None:
        return None
    if office.kind == Office.Kind.CITY_TOWNSCAPE:
        return Office.objects.filter(kind=Office.Kind.DISTRICT_TOWNSCAPE, region_id=project.street.parent_id).first()
    if office.kind == Office.Kind.DISTRICT_TOWNSCAPE:
        return Office.objects.filter(kind=Office.Kind.STREET, region_id=project.street_id).first()
    return None


def urge(user, deadline: Deadline) -> tuple[SupervisionOrder, bool]:
    """催办 an overdue deadline the user can see: (the 督办单, created now?)."""
    require(permissions.can_issue_supervision(user))
    if deadline.state != Deadline.State.OVERDUE:
        raise InvalidInput("该事项未逾期，无需催办", {"deadline": "该事项未逾期"})
    project = deadline.project
    target = urge_target(user, project)
    if target is None:
        raise InvalidInput("未找到项目所在的下一级单位", {"deadline": "未找到被催办单位"})
    existing = SupervisionOrder.objects.filter(deadline=deadline, issuer_office=user.office,
                                               state__in=[SupervisionOrder.State.ISSUED,
                                                          SupervisionOrder.State.REPLIED]).first()
    if existing:
        return existing, False
    late = (today() - deadline.due_on).days
    requirements = (f"{project.display_name}“{deadline.label}”已于{deadline.due_on}到期，逾期{late}天"
                    f"（依据：{deadline.basis}）。请抓紧办理并回复办理情况。")
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                issuer_office=user.office, target_office=target,
                subject=f"催办：{project.display_name} {deadline.label}"[:200],
                requirements=requirements, reply_due_on=today() + dt.timedelta(days=URGE_REPLY_DAYS),
                deadline=deadline, created_by=user)
            order.projects.set([project])
            _event(order, user, SupervisionEvent.Action.ISSUE, f"{requirements}（{URGE_RULE}）")
            _announce(order, user, [project])
    except IntegrityError:  # a concurrent click created it first
        return SupervisionOrder.objects.get(deadline=deadline, issuer_office=user.office,
                                            state__in=[SupervisionOrder.State.ISSUED,
                                                       SupervisionOrder.State.REPLIED]), False
    return order, True


@transaction.atomic
def reply(user, order: SupervisionOrder, data: dict) -> SupervisionEvent:
    require(permissions.can_reply_supervision(user, order))
    comment = inputs.text(data, "comment", "回复内容", max_length=4000)
    event = replies.take(user, order, replies.REPLY, comment, changes={"replied_at": timezone.now()})
    notify("supervision_replied", link=_link(order), link_label=order.subject, offices=[order.issuer_office],
           title=f"【督办回复】{order.subject} 已回复，请审核", body=f"{user.office.name}回复：{comment}")
    return event


@transaction.atomic
def review(user, order: SupervisionOrder, data: dict) -> SupervisionEvent:
    """Accept the reply (办结) or send it back for another reply, with a new deadline if given."""
    require(permissions.can_review_supervision(user, order))
    decision, comment, due = replies.read_review(order, data, "reply_due_on", "新的回复期限", today())
    if decision == order.CLOSE_DECISION:
        event = replies.take(user, order, decision, comment, changes={"closed_at": timezone.now()})
        title = f"【督办办结】{order.subject} 回复已审核，督办办结"
    else:
        event = replies.take(user, order, decision, comment, changes={} if due is None else {"reply_due_on": due})
        title = f"【督办退回】{order.subject} 回复未通过，请于{order.reply_due_on}前重新回复"
    notify(f"supervision_{decision}", link=_link(order), link_label=order.subject, offices=[order.target_office],
           title=title, body=comment)
    return event


def overdue(order: SupervisionOrder, on: dt.date | None = None) -> bool:
    """The reply is late: still awaited after its deadline (the one reading, for page, API, Excel)."""
    return order.state == SupervisionOrder.State.ISSUED and order.reply_due_on < (on or today())
