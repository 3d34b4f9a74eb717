"""Surveys (嘉兴 二(五)13): created from a template for a project and answered by QR code, or
entered by staff as totals; results; the retention purge. The only place that changes them."""

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.errors import InvalidInput, InvalidTransition
from portal.permissions import require
from projects.models import LISTED_STATUSES, Status
from residents import permissions
from residents.models import Objection, Response, Survey, SurveyTemplate, TemplateQuestion
from residents.validation import clean_date, clean_int, clean_phone, clean_text

K = Survey.Kind
AFTER_LISTING = {*LISTED_STATUSES, Status.ACCEPTED, Status.NAMED}
TEMPLATES_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "survey_templates.json"


class AlreadyAnswered(InvalidTransition):
    """This device has already answered this survey."""


class RateLimited(InvalidTransition):
    status_code = 429


def today() -> dt.date:
    return timezone.localdate()


def retention_days() -> int:
    return settings.RESIDENTS_CONTACT_RETENTION_DAYS


# ---------------------------------------------------------------- templates


@transaction.atomic
def load_default_templates() -> int:
    """The first questionnaires (fixtures/survey_templates.json), once; administrators edit them."""
    if SurveyTemplate.objects.exists():
        return 0
    data = json.loads(TEMPLATES_FIXTURE.read_text(encoding="utf-8"))
    for entry in data:
        template = SurveyTemplate.objects.create(kind=entry["kind"], title=entry["title"], intro=entry["intro"])
        TemplateQuestion.objects.bulk_create([
            TemplateQuestion(template=template, order=index, text=q["text"], kind=q["kind"],
                             options=q.get("options", []), satisfied_options=q.get("satisfied", []),
                             required=q.get("required", True))
            for index, q in enumerate(entry["questions"])])
    return len(data)


# ---------------------------------------------------------------- the survey's period


def check_period(project, kind: str, on: dt.date) -> None:
    """Each survey belongs to a period of the project (嘉兴 二(五)13: 创建前需求调研、创建过程动态
    征询反馈、验收前满意度调研): needs before listing, the other two from the listing date on."""
    if kind == K.NEEDS:
        if project.listed_on is not None and on >= project.listed_on:
            raise InvalidInput("需求调研属于创建前调研，日期应早于列入创建名单日期",
                               {"kind": "需求调研应在列入创建名单之前开展"})
        return
    if project.status not in AFTER_LISTING or project.listed_on is None:
        raise InvalidInput(f"{K(kind).label}在项目列入创建名单之后开展（创建过程中、验收前）",
                           {"kind": f"项目尚未列入创建名单，不能开展{K(kind).label}"})
    if on < project.listed_on:
        raise InvalidInput(f"{K(kind).label}的日期不能早于列入创建名单日期（{project.listed_on}）",
                           {"opens_on": "日期早于列入创建名单日期"})


def _kind(value) -> str:
    if value not in K.values:
        raise InvalidInput("请选择调研类型", {"kind": "请选择调研类型"})
    return value


@transaction.atomic
def create_qr_survey(user, project, template: SurveyTemplate, *, opens_on, closes_on) -> Survey:
    require(permissions.can_manage_surveys(user, project))
    opens_on = clean_date(opens_on, "开始日期", "opens_on")
    closes_on = clean_date(closes_on, "截止日期", "closes_on")
    if closes_on < opens_on:
        raise InvalidInput("截止日期不能早于开始日期", {"closes_on": "截止日期不能早于开始日期"})
    if not template.active:
        raise InvalidInput("该问卷模板已停用", {"template": "该问卷模板已停用"})
    check_period(project, template.kind, opens_on)
    questions = template.question_snapshot()
    if not questions:
        raise InvalidInput("该问卷模板没有题目", {"template": "该问卷模板没有题目"})
    return Survey.objects.create(community=project.community, project=project, kind=template.kind,
                                 source=Survey.Source.QR, title=template.title, intro=template.intro,
                                 questions=questions, opens_on=opens_on, closes_on=closes_on, created_by=user)


@transaction.atomic
def record_staff_survey(user, project, *, kind, conducted_on, sample_size, satisfied_share=None,
                        summary="") -> Survey:
    """Totals of a survey done offline, typed in by staff and marked as such (来源：工作人员录入)."""
    require(permissions.can_manage_surveys(user, project))
    kind = _kind(kind)
    conducted_on = clean_date(conducted_on, "调研日期", "conducted_on")
    if conducted_on > today():
        raise InvalidInput("调研日期不能晚于今天", {"conducted_on": "调研日期不能晚于今天"})
    check_period(project, kind, conducted_on)
    sample = clean_int(sample_size, "样本量", "sample_size", low=1, high=1_000_000)
    share = None
    if satisfied_share not in (None, ""):
        share = clean_int(satisfied_share, "满意率（%）", "satisfied_share", low=0, high=100)
    elif kind == K.SATISFACTION:
        raise InvalidInput("满意度调研须填写满意率", {"satisfied_share": "满意度调研须填写满意率"})
    summary = clean_text(summary, "摘要", "summary", max_length=2000)
    return Survey.objects.create(community=project.community, project=project, kind=kind,
                                 source=Survey.Source.STAFF, title=f"{K(kind).label}（工作人员录入）",
                                 conducted_on=conducted_on, sample_size=sample, summary=summary,
                                 satisfied_share=None if share is None else Decimal(share), created_by=user)


# ---------------------------------------------------------------- answering


def is_open(survey: Survey, on: dt.date) -> bool:
    return (survey.source == Survey.Source.QR and survey.opens_on is not None
            and survey.opens_on <= on <= survey.closes_on)


def clean_answers(survey: Survey, data) -> dict:
    answers, errors = {}, {}
    for question in survey.questions:
        key, raw = question["key"], data.get(question["key"], "")
        if question["kind"] == "choice":
            if raw in ("", None):
                if question["required"]:
                    errors[key] = f"请回答：{question['text']}"
                continue
            if raw not in question["options"]:
                errors[key] = f"“{question['text']}”的选项无效"
                continue
            answers[key] = raw
        else:
            try:
                text = clean_text(raw, question["text"], key, max_length=500, required=question["required"])
            except InvalidInput as exc:
                errors[key] = exc.message
                continue
            if text:
                answers[key] = text
    if errors:
        raise InvalidInput("；".join(errors.values()), errors)
    return answers


def submit_answer(survey: Survey, data, *, device: str, address_key: str, now: dt.datetime | None = None) -> Response:
    """Record one resident's answers: once per device (the unique key decides, also under
    concurrency) and at most RESIDENTS_ANSWERS_PER_ADDRESS per address per window."""
    now = now or timezone.now()
    if not is_open(survey, timezone.localdate(now)):
        raise InvalidTransition("该调研不在填写期内")
    answers = clean_answers(survey, data)
    name = clean_text(data.get("contact_name"), "联系人", "contact_name", max_length=40)
    phone = clean_phone(data.get("contact_phone"), "contact_phone")
    consent = data.get("contact_consent") in ("on", "1", "true", True)
    if (name or phone) and not consent:
        raise InvalidInput("留下联系方式须勾选同意个人信息处理说明", {"contact_consent": "请勾选同意，或不留联系方式"})
    if Response.objects.filter(survey=survey, device=device).exists():
        raise AlreadyAnswered("本设备已提交过该调研，感谢参与")
    if address_key:
        since = now - dt.timedelta(seconds=settings.RESIDENTS_RATE_WINDOW_SECONDS)
        recent = Response.objects.filter(address_key=address_key, submitted_at__gte=since).count()
        if recent >= settings.RESIDENTS_ANSWERS_PER_ADDRESS:
            raise RateLimited("提交过于频繁，请稍后再试")
    try:
        with transaction.atomic():
            return Response.objects.create(survey=survey, answers=answers, device=device, address_key=address_key,
                                           contact_name=name, contact_phone=phone,
                                           contact_consent=bool(consent and (name or phone)))
    except IntegrityError:
        raise AlreadyAnswered("本设备已提交过该调研，感谢参与") from None


# ---------------------------------------------------------------- retention (个人信息保护法 第十九条)


def purge_expired_contacts(now: dt.datetime | None = None) -> int:
    """Erase contact details and address hashes older than the retention period. Set-based and
    idempotent: rows already erased are not touched again."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    erased = (Response.objects.filter(submitted_at__lt=cutoff)
              .exclude(contact_name="", contact_phone="", address_key="", contact_consent=False)
              .update(contact_name="", contact_phone="", address_key="", contact_consent=False))
    erased += (Objection.objects.filter(submitted_at__lt=cutoff).exclude(replied_at=None)
               .exclude(name="", phone="", address_key="").update(name="", phone="", address_key=""))
    return erased


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
