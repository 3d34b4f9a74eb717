"""月报 pages: the form (pre-filled month, last month's figures, a confirm step before a late
report locks, a reason for a drop, a version against lost edits) and the correction request
of a locked report with the district's decision (issue #15 defects 3, 4; #20 item 11)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from communities.scope import get_visible_or_404
from portal import confirm
from portal.errors import Conflict, ProjectError
from portal.permissions import require_page
from projects import permissions, reports, services
from projects import report_corrections as corrections
from projects.forms import CorrectionForm, DecisionForm, MonthlyReportForm
from projects.models import MonthlyReport, ReportCorrection
from projects.views import _fail, _project


def _report(request, project, report_pk):
    return get_visible_or_404(MonthlyReport.objects, request.user, pk=report_pk, project=project)


def _render(request, project, report, form, *, month, late="", confirm=False, status=200):
    previous = reports.previous_report(project, month) if month else None
    return render(request, "projects/monthly_report_form.html", {
        "form": form, "project": project, "report": report, "previous": previous, "late": late,
        "confirm_late": confirm}, status=status)


@login_required
def monthly_report_form(request, pk, report_pk=None):
    project = _project(request, pk)
    report = _report(request, project, report_pk) if report_pk is not None else None
    require_page(permissions.can_add_monthly_report(request.user, project))
    today = services.today()
    initial = {} if report else {"month": reports.next_due_month(project, today)}
    form = MonthlyReportForm(request.POST or None, instance=report, initial=initial)
    month = report.month if report else initial["month"]
    if request.method != "POST" or not form.is_valid():
        typed = getattr(form, "cleaned_data", {}).get("month")  # a bodiless POST leaves the form unbound
        if not report and typed:
            month = typed.replace(day=1)
        return _render(request, project, report, form, month=month,
                       late="" if report else reports.late_warning(project, month, today))
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    late = ""
    if report is None:
        month = data["month"].replace(day=1)
        late = reports.late_warning(project, month, today)
        if late and request.POST.get("confirm_late") != "1":
            # the confirm step: nothing saved until the street confirms the report will lock; a drop
            # without its reason is said on the same page
            try:
                reports.require_reason(project, month, data)
            except ProjectError as exc:
                _fail(request, form, exc)
            return _render(request, project, report, form, month=month, late=late, confirm=True)
    try:
        if report is None:
            reports.submit_monthly_report(request.user, project, **data)
        else:
            reports.update_monthly_report(request.user, report, version=version, **data)
    except Conflict as exc:
        # someone saved first: show their values (and their version) with the reason
        messages.error(request, exc.message)
        fresh = MonthlyReport.objects.get(pk=report.pk) if report else None
        return _render(request, project, fresh, MonthlyReportForm(instance=fresh, initial=initial),
                       month=month, status=409)
    except ProjectError as exc:
        _fail(request, form, exc)
        return _render(request, project, report, form, month=month, late=late, confirm=bool(late))
    messages.success(request, "月报已保存。")
    return redirect("projects:detail", pk)


@login_required
def correction_request(request, pk, report_pk):
    project = _project(request, pk)
    report = _report(request, project, report_pk)
    require_page(permissions.can_request_report_correction(request.user, project))
    initial = {name: getattr(report, name) for name in corrections.FIGURES}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.request_correction(request.user, report, **form.cleaned_data)
        except ProjectError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, "更正申请已提交，待区县（市）风貌办审批。")
            return redirect("projects:detail", pk)
    return render(request, "projects/correction_form.html", {"form": form, "project": project, "report": report})


@login_required
def correction_decide(request, pk, correction_pk):
    project = _project(request, pk)
    correction = get_visible_or_404(ReportCorrection.objects.select_related("report"), request.user,
                                    pk=correction_pk, report__project=project)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_page(permissions.can_decide_report_correction(request.user, project))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或驳回")
        return redirect("projects:detail", pk)
    if not confirm.confirmed(request):
        verb = "同意" if form.cleaned_data["decision"] == "approve" else "驳回"
        return confirm.confirmation_page(
            request, title=f"确认{verb}月报更正", cancel_url=reverse("projects:detail", args=[pk]),
            question=f"确认{verb}{correction.report.month:%Y年%m月}月报的更正申请？此操作不可撤销。",
            details=[("更正原因", correction.reason), ("意见", form.cleaned_data["comment"] or "—")])
    try:
        corrections.decide_correction(request.user, correction, approve=form.cleaned_data["decision"] == "approve",
                                      comment=form.cleaned_data["comment"])
    except ProjectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已同意更正，月报已按更正内容修改。" if form.cleaned_data["decision"] == "approve"
                         else "已驳回更正申请。")
    return redirect("projects:detail", pk)
