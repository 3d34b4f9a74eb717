"""Operations pages (运营档案): the list of named communities and one community's dossier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from communities.scope import get_visible_or_404
from portal.errors import ProjectError
from portal.filters import Filtering
from portal.listing import Col, ListSpec, attr, export_response, sorted_page
from portal.permissions import require_page
from projects.models import CreationProject
from supervision import operations, permissions
from supervision.models import FundInflow, Operator


def rows(user, params, shown: dict | None = None):
    return Filtering(operations.operated_rows(user), params, shown).text("q", "name", "community__name").queryset


OPERATIONS = ListSpec("未来社区运营档案", (
    Col("社区", attr("display_name"), key="name", width=30),
    Col("街道", attr("street.name"), key="street", order=("street__code",), width=14),
    Col("命名日期", attr("named_on"), key="named", order=("named_on",), kind="date", width=12),
    Col("运营商（家）", attr("operator_count"), key="operators", order=("operator_count",), kind="int", width=10),
    Col("综合集成运营商", lambda p: "已确定" if p.comprehensive else "未确定", width=12),
    Col("最近运营报告年度", attr("last_report"), key="report", order=("last_report",), kind="int", width=12),
    Col("运营基金累计（元）", attr("fund_total"), key="fund", order=("fund_total",), kind="money", width=16),
), default="street", export="supervision:operations_list", rows=rows,
   can_export=permissions.can_view_supervision)


@login_required
def operations_list(request, fmt=None):
    require_page(permissions.can_view_supervision(request.user))
    if fmt:
        return export_response(request, OPERATIONS, fmt)
    shown = {}
    return render(request, "supervision/operations_list.html", {
        "listing": sorted_page(request, rows(request.user, request.GET, shown), OPERATIONS), "filters": shown})


ACTIONS = {"operator": operations.add_operator, "report": operations.file_report, "inflow": operations.add_inflow}


@login_required
def operations_dossier(request, project_pk):
    project = get_visible_or_404(CreationProject.objects.select_related("community", "street"), request.user,
                                 pk=project_pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    require_page(permissions.can_view_supervision(request.user))
    if request.method == "POST":
        which = request.POST.get("what")
        try:
            if which not in ACTIONS:
                raise ProjectError("请选择要登记的内容")
            if which == "report":
                operations.file_report(request.user, project, request.POST, request.FILES.get("attachment"))
            else:
                ACTIONS[which](request.user, project, request.POST)
            messages.success(request, "已保存。")
        except ProjectError as exc:
            messages.error(request, exc.message)
        return redirect("supervision:operations", project.pk)
    return render(request, "supervision/operations_dossier.html", {
        "project": project, "d": operations.dossier(project),
        "can_record": operations.can_record(request.user, project)[0],
        "kinds": Operator.Kind.choices, "selections": Operator.Selection.choices,
        "sources": FundInflow.Source.choices})
