"""公示 (public notices): an office publishes a list or a plan for a period, residents object,
the office replies and closes the notice with its outcome — for the 实施方案 that uses stock land
(绍兴2023 三(一) "实施方案公示7天后，经利害关系人同意") also the stakeholders' consent, which
is the fact the 绍兴 acceptance check and the 公示 deadline read (residents.facts)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from communities.scope import ScopedQuerySet
from portal.errors import Conflict, InvalidInput, InvalidTransition
from portal.notifications import notify
from portal.permissions import require
from portal.validators import ascii_int
from projects.models import CreationProject
from projects.signals import project_facts_changed
from residents import permissions
from residents.models import Notice, Objection
from residents.validation import clean_date, clean_int, clean_phone, clean_text

N = Notice.Kind
# The documents give a period for the 实施方案 only (绍兴2023 三(一), a policy parameter); the
# lists' periods are the platform's default (RESIDENTS_NOTICE_DEFAULT_DAYS) and say so.
PLATFORM_PERIOD = "公示天数为本平台默认值（文件未规定）"
INBOX_EVENTS = {"notice_objection": "公示异议"}


def today() -> dt.date:
    return timezone.localdate()


def default_period(kind: str, projects) -> tuple[int, str]:
    """(days, basis) of a notice's period."""
    if kind == N.IMPLEMENTATION_PLAN:
        for project in projects:
            days = project.policy.public_notice_days(project.parameters()) if project.policy else None
            if days:
                return days, project.policy.basis_of("public_notice_days", days)
    return settings.RESIDENTS_NOTICE_DEFAULT_DAYS, PLATFORM_PERIOD


def ends_on(starts_on: dt.date, days: int) -> dt.date:
    """The last day of a period of `days` days that starts on `starts_on` (both counted)."""
    return starts_on + dt.timedelta(days=days - 1)


def is_active(notice: Notice, on: dt.date) -> bool:
    return notice.outcome == "" and notice.starts_on <= on <= notice.ends_on


def active_notices(on: dt.date):
    return Notice.objects.filter(outcome="", starts_on__lte=on, ends_on__gte=on)


@transaction.atomic
def publish_notice(user, *, kind, title, body, project_ids, starts_on, period_days=None) -> Notice:
    require(permissions.can_manage_notices(user))
    if kind not in N.values:
        raise InvalidInput("请选择公示类型", {"kind": "请选择公示类型"})
    title = clean_text(title, "标题", "title", max_length=120, required=True)
    body = clean_text(body, "公示内容", "body", max_length=5000, required=True)
    starts_on = clean_date(starts_on, "公示开始日期", "starts_on")
    if starts_on < today():
        raise InvalidInput("公示开始日期不能早于今天", {"starts_on": "公示开始日期不能早于今天"})
    projects = list(CreationProject.objects.visible_to(user).select_related("policy_version", "street")
                    .filter(pk__in=[n for n in (ascii_int(str(p)) for p in project_ids) if n is not None]))
    if not projects or len(projects) != len(set(project_ids)):
        raise InvalidInput("请选择数据范围内的项目", {"projects": "请选择数据范围内的项目"})
    if kind == N.IMPLEMENTATION_PLAN and len(projects) != 1:
        raise InvalidInput("实施方案公示针对一个项目", {"projects": "实施方案公示针对一个项目"})
    minimum, _ = default_period(kind, projects)
    if period_days in (None, ""):
        days = minimum
    else:
        days = clean_int(period_days, "公示天数", "period_days", low=1, high=90)
        if kind == N.IMPLEMENTATION_PLAN and days < minimum:
            raise InvalidInput(f"实施方案公示不少于{minimum}天（绍兴2023 三(一)）",
                               {"period_days": f"不少于{minimum}天"})
    office = user.office
    notice = Notice.objects.create(office=office, region=office.region, kind=kind, title=title, body=body,
                                   starts_on=starts_on, period_days=days, ends_on=ends_on(starts_on, days),
                                   published_by=user)
    notice.projects.set(projects)
    return notice


def file_objection(notice: Notice, data, *, address_key: str, on: dt.date | None = None) -> Objection:
    """A resident's 异议: text required, name and phone optional. It lands in the publishing
    office's inbox as a task with a reply deadline (RESIDENTS_OBJECTION_REPLY_DAYS, the
    platform's: the documents set none)."""
    on = on or today()
    if not is_active(notice, on):
        raise InvalidTransition("该公示不在公示期内，不能提出异议")
    text = clean_text(data.get("text"), "异议内容", "text", max_length=2000, required=True)
    name = clean_text(data.get("name"), "姓名", "name", max_length=40)
    phone = clean_phone(data.get("phone"))
    since = timezone.now() - dt.timedelta(seconds=settings.RESIDENTS_RATE_WINDOW_SECONDS)
    if address_key and Objection.objects.filter(address_key=address_key, submitted_at__gte=since).count() \
            >= settings.RESIDENTS_ANSWERS_PER_ADDRESS:
        from residents.services import RateLimited

        raise RateLimited("提交过于频繁，请稍后再试")
    due = on + dt.timedelta(days=settings.RESIDENTS_OBJECTION_REPLY_DAYS)
    with transaction.atomic():
        objection = Objection.objects.create(notice=notice, name=name, phone=phone, text=text,
                                             address_key=address_key, reply_due_on=due)
        notify("notice_objection", offices=[notice.office_id], key=f"objection:{objection.pk}",
               title=f"公示异议待答复（{due:%Y-%m-%d}前）：{notice.title}",
               body=f"{text}\n答复期限：{due:%Y-%m-%d}（本平台默认{settings.RESIDENTS_OBJECTION_REPLY_DAYS}天）",
               link=reverse("residents:notice", args=[notice.pk]), link_label=notice.title)
    return objection


@transaction.atomic
def reply_objection(user, objection: Objection, reply) -> Objection:
    require(permissions.can_handle_notice(user, objection.notice))
    reply = clean_text(reply, "答复", "reply", max_length=2000, required=True)
    updated = Objection.objects.filter(pk=objection.pk, replied_at=None).update(
        reply=reply, replied_at=timezone.now(), replied_by=user)
    if not updated:
        raise Conflict("该异议已答复")
    objection.refresh_from_db()
    return objection


@transaction.atomic
def close_notice(user, notice: Notice, *, outcome, note="", consent=False, consent_note="",
                 on: dt.date | None = None) -> Notice:
    """结束公示: after its period (or withdrawn), every objection answered. For 实施方案 the
    stakeholders' consent is recorded as given or not, never assumed (DOMAIN §4.2)."""
    require(permissions.can_handle_notice(user, notice))
    on = on or today()
    if outcome not in {c for c in Notice.Outcome.values if c}:
        raise InvalidInput("请选择公示结果", {"outcome": "请选择公示结果"})
    note = clean_text(note, "结果说明", "outcome_note", max_length=2000)
    consent_note = clean_text(consent_note, "利害关系人同意情况", "consent_note", max_length=2000)
    if outcome != Notice.Outcome.WITHDRAWN and on <= notice.ends_on:
        raise InvalidTransition(f"公示期至{notice.ends_on}，期满后才能结束")
    if notice.objections.filter(replied_at=None).exists() and outcome != Notice.Outcome.WITHDRAWN:
        raise InvalidTransition("还有未答复的异议")
    if outcome == Notice.Outcome.NO_OBJECTION and notice.objections.exists():
        raise InvalidInput("该公示收到过异议，请选择“异议已处理”", {"outcome": "该公示收到过异议"})
    consent = bool(consent) and notice.kind == N.IMPLEMENTATION_PLAN and outcome != Notice.Outcome.WITHDRAWN
    if consent and not consent_note:
        raise InvalidInput("请说明利害关系人同意情况（如书面同意份数）", {"consent_note": "请说明利害关系人同意情况"})
    updated = Notice.objects.filter(pk=notice.pk, version=notice.version, outcome="").update(
        outcome=outcome, outcome_note=note, consent_recorded=consent, consent_note=consent_note,
        closed_on=on, version=F("version") + 1)
    if not updated:
        raise Conflict("该公示已被他人结束或修改，请刷新后重试")
    notice.refresh_from_db()
    for project in notice.projects.all():
        project_facts_changed.send(sender=CreationProject, project=project)
    return notice


def consented_notice(project) -> Notice | None:
    """The project's 实施方案 公示 closed with the stakeholders' consent (绍兴2023 三(一))."""
    return (Notice.objects.filter(projects=project, kind=N.IMPLEMENTATION_PLAN, consent_recorded=True,
                                  closed_on__isnull=False).order_by("closed_on").first())


def notices_for_office(user) -> ScopedQuerySet:
    return Notice.objects.visible_to(user).select_related("office")
