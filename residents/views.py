"""Staff pages: a project's resident participation (surveys, public disclosure, 共富指数), a
survey's results and A4 poster, and the 公示 an office publishes."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from communities.scope import get_visible_or_404
from portal.errors import ProjectError
from portal.permissions import require, require_page
from portal.validators import ascii_int
from projects.models import CreationProject
from residents import notices, permissions, prosperity, services
from residents.models import Notice, Objection, PublicDisclosure, Survey, SurveyTemplate
from residents.selectors import project_surveys, survey_results


def _project(request, pk):
    return get_visible_or_404(CreationProject.objects.select_related("community", "street", "policy_version"),
                              request.user, pk=pk)


def _fail(request, exc: ProjectError):
    messages.error(request, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def project_residents(request, pk):
    project = _project(request, pk)
    user = request.user
    if request.method == "POST":
        action, data = request.POST.get("action"), request.POST
        try:
            if action == "qr":
                template = SurveyTemplate.objects.filter(pk=data.get("template") or 0, active=True).first() \
                    if ascii_int(data.get("template", "")) is not None else None
                if template is None:
                    raise services.InvalidInput("请选择问卷模板", {"template": "请选择问卷模板"})
                survey = services.create_qr_survey(user, project, template, opens_on=data.get("opens_on"),
                                                   closes_on=data.get("closes_on"))
                messages.success(request, "已发起调研，可打印二维码海报")
                return redirect("residents:survey", survey.pk)
            if action == "staff":
                services.record_staff_survey(user, project, kind=data.get("kind"),
                                             conducted_on=data.get("conducted_on"), sample_size=data.get("sample_size"),
                                             satisfied_share=data.get("satisfied_share"), summary=data.get("summary"))
                messages.success(request, "已录入调研结果（工作人员录入）")
            elif action == "disclosure":
                _save_disclosure(user, project, data)
                messages.success(request, "已保存公开信息设置")
            elif action == "prosperity":
                prosperity.file_index(user, project, period=data.get("period"), data=data)
                messages.success(request, "已填报共富指数")
            else:
                messages.error(request, "未知操作")
        except ProjectError as exc:
            _fail(request, exc)
        return redirect("residents:project_surveys", project.pk)
    disclosure = PublicDisclosure.objects.filter(project=project).prefetch_related("attachments").first()
    surveys = [(s, survey_results(s)) for s in project_surveys(project)]
    return render(request, "residents/project.html", {
        "project": project, "surveys": surveys, "templates": SurveyTemplate.objects.filter(active=True),
        "kinds": Survey.Kind.choices, "can_manage": permissions.can_manage_surveys(user, project)[0],
        "disclosure": disclosure, "attachments": project.attachments.all(),
        "public_ids": {a.pk for a in disclosure.attachments.all()} if disclosure else set(),
        "indicators": prosperity.indicators(), "filings": prosperity.filings(project),
        "can_file": permissions.can_file_prosperity(user, project)[0]})


def _save_disclosure(user, project, data):
    require(permissions.can_manage_disclosure(user, project))
    ids = [n for n in (ascii_int(x) for x in data.getlist("attachments")) if n is not None]
    chosen = list(project.attachments.filter(pk__in=ids))
    disclosure, _ = PublicDisclosure.objects.get_or_create(project=project)
    disclosure.show_investment = data.get("show_investment") == "on"
    disclosure.save()
    disclosure.attachments.set(chosen)


def _survey(request, pk):
    return get_visible_or_404(Survey.objects.select_related("project__community", "community"), request.user, pk=pk)


@login_required
def survey(request, pk):
    item = _survey(request, pk)  # scope first: out of scope is 404 whatever the method
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "residents/survey.html", {
        "survey": item, "results": survey_results(item, with_texts=True),
        "public_url": request.build_absolute_uri(reverse("public:survey", args=[item.token]))})


@login_required
def poster(request, pk):
    """A4 poster with a QR code generated locally (segno), printable from the browser."""
    item = _survey(request, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    require_page((item.source == Survey.Source.QR, "工作人员录入的调研没有二维码"))
    url = request.build_absolute_uri(reverse("public:survey", args=[item.token]))
    qr_svg = segno.make(url, error="m").svg_inline(scale=8, border=2)
    return render(request, "residents/poster.html", {"survey": item, "url": url, "qr_svg": qr_svg,
                                                     "retention_days": services.retention_days()})


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request):
    require_page(permissions.can_manage_notices(request.user))
    if request.method == "POST":
        data = request.POST
        try:
            item = notices.publish_notice(request.user, kind=data.get("kind"), title=data.get("title"),
                                          body=data.get("body"), project_ids=data.getlist("projects"),
                                          starts_on=data.get("starts_on"), period_days=data.get("period_days"))
            messages.success(request, "公示已发布")
            return redirect("residents:notice", item.pk)
        except ProjectError as exc:
            _fail(request, exc)
    rows = notices.notices_for_office(request.user).order_by("-starts_on", "-id")[:200]
    candidates = (CreationProject.objects.visible_to(request.user).select_related("community")
                  .exclude(status__in=["withdrawn", "rejected", "terminated"]).order_by("-id")[:300])
    return render(request, "residents/notices.html", {"notices": rows, "kinds": Notice.Kind.choices,
                                                       "candidates": candidates, "today": notices.today()})


@login_required
@require_http_methods(["GET", "POST"])
def notice(request, pk):
    item = get_visible_or_404(Notice.objects.select_related("office"), request.user, pk=pk)
    if request.method == "POST":
        data = request.POST
        try:
            if data.get("action") == "reply":
                objection = Objection.objects.filter(notice=item, pk=data.get("objection") or 0).first() \
                    if ascii_int(data.get("objection", "")) is not None else None
                if objection is None:
                    raise services.InvalidInput("异议不存在", {"objection": "异议不存在"})
                notices.reply_objection(request.user, objection, data.get("reply"))
                messages.success(request, "已答复")
            elif data.get("action") == "close":
                notices.close_notice(request.user, item, outcome=data.get("outcome"), note=data.get("outcome_note"),
                                     consent=data.get("consent") == "on", consent_note=data.get("consent_note"))
                messages.success(request, "公示已结束")
            else:
                messages.error(request, "未知操作")
        except ProjectError as exc:
            _fail(request, exc)
        return redirect("residents:notice", item.pk)
    return render(request, "residents/notice.html", {
        "notice": item, "objections": item.objections.select_related("replied_by"),
        "projects": item.projects.select_related("community"),
        "can_handle": permissions.can_handle_notice(request.user, item)[0],
        "outcomes": [c for c in Notice.Outcome.choices if c[0]], "today": notices.today(),
        "public_url": reverse("public:notice", args=[item.pk])})
