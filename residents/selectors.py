"""Reads: survey results (one owner: the project page, the public page and the API call it),
the project's panels."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from residents.models import Survey
from residents.services import percent


@dataclass
class QuestionResult:
    text: str
    kind: str
    counts: list = field(default_factory=list)  # [(option, n, share %)]
    answered: int = 0
    texts: list = field(default_factory=list)


@dataclass
class Results:
    sample_size: int
    satisfied_share: Decimal | None
    questions: list
    source_label: str


def survey_results(survey: Survey, *, with_texts: bool = False) -> Results:
    """样本量, 满意率 (share of answers to the satisfaction question in its satisfied options) and
    per-question counts. Staff-entered surveys give their typed-in totals."""
    if survey.source == Survey.Source.STAFF:
        return Results(survey.sample_size or 0, survey.satisfied_share, [], survey.get_source_display())
    answers = [response.answers for response in survey.responses.all()]  # prefetched on list pages
    questions, satisfied_share = [], None
    for question in survey.questions:
        key = question["key"]
        given = [a[key] for a in answers if key in a]
        result = QuestionResult(question["text"], question["kind"], answered=len(given))
        if question["kind"] == "choice":
            result.counts = [(option, given.count(option), percent(given.count(option), len(given)))
                             for option in question["options"]]
            if question.get("satisfied") and satisfied_share is None:
                satisfied = sum(1 for g in given if g in question["satisfied"])
                satisfied_share = percent(satisfied, len(given))
        elif with_texts:
            result.texts = given
        questions.append(result)
    return Results(len(answers), satisfied_share, questions, survey.get_source_display())


def project_surveys(project):
    return (Survey.objects.filter(project=project).annotate(answer_count=Count("responses"))
            .prefetch_related("responses")
            .order_by("-created_at", "-id"))


def project_panels(project, user) -> list[dict]:
    """居民调研 on the project page: one row per survey with its results."""
    from django.urls import reverse
    from django.utils.html import format_html

    rows = []
    for survey in project_surveys(project):
        results = survey_results(survey)
        link = format_html('<a href="{}">{}</a>', reverse("residents:survey", args=[survey.pk]),
                           survey.title or survey.get_kind_display())
        rows.append([survey.get_kind_display(), link, survey.get_source_display(),
                     survey.dated_on or "—", results.sample_size,
                     "—" if results.satisfied_share is None else f"{results.satisfied_share}%"])
    new_link = {"url": reverse("residents:project_surveys", args=[project.pk]), "label": "发起或录入调研"}
    return [{"title": "居民调研（嘉兴 二(五)13）", "headers": ["类型", "调研", "来源", "日期", "样本量", "满意率"],
             "rows": rows, "link": new_link}]


def open_objections_section(user) -> list[dict]:
    """工作台: objections to the office's notices still awaiting a reply, soonest deadline first
    (shown only when there are some)."""
    from django.urls import reverse

    from residents.models import Objection

    office = getattr(user, "office", None)
    if not getattr(user, "is_authenticated", False) or office is None:
        return []
    waiting = (Objection.objects.filter(notice__office=office, replied_at=None).select_related("notice")
               .order_by("reply_due_on", "pk"))
    rows = list(waiting[:10])
    if not rows:
        return []
    return [{"title": "待答复的公示异议", "count": len(rows) if len(rows) < 10 else waiting.count(),
             "items": [{"label": o.notice.title, "url": reverse("residents:notice", args=[o.notice_id]),
                        "note": f"答复期限 {o.reply_due_on}"} for o in rows]}]
