from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from communities.importing import ImportRefused, build_template, import_communities
from communities.models import Community
from communities.permissions import can_import_communities, can_view_admin_logs
from communities.regions import region_filter
from communities.scope import get_visible_or_404
from portal.filters import Filtering
from portal.listing import Col, ListSpec, attr, export_response, seconds, sorted_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def community_rows(user, params, shown: dict | None = None):
    """The communities `user` sees, filtered by keyword, district and street (`shown`, when
    given, receives the filters applied, for the page's form)."""
    return (Filtering(Community.objects.visible_to(user).select_related("street__parent__parent"), params, shown)
            .text("q", "name", "code")
            .exact("district", "street__parent__code")
            .exact("street", "street__code")).queryset


COMMUNITIES = ListSpec("社区档案", (
    Col("社区", attr("name"), key="name", width=18),
    Col("代码", attr("code"), key="code", width=14),
    Col("街道", attr("street.name"), key="street", order=("street__path", "name")),
    Col("区县", attr("street.parent.name"), key="district", order=("street__parent__path", "street__path", "name")),
    Col("户数", attr("households"), key="households", kind="int", width=10),
    Col("人口", attr("population"), kind="int", width=10, page=False),
    Col("面积（公顷）", attr("area_ha"), key="area", order=("area_ha",), kind="money", width=12),
    Col("建成年代", attr("get_built_period_display"), page=False),
), default="street", export="community_list", rows=community_rows)


@login_required
def community_list(request, fmt=None):
    regions = region_filter(request.user, request.GET)
    if fmt:
        return export_response(request, COMMUNITIES, fmt)
    shown = {}
    rows = community_rows(request.user, request.GET, shown)
    return render(request, "communities/community_list.html",
                  {"listing": sorted_page(request, rows, COMMUNITIES), "filters": shown, "regions": regions})


@login_required
def community_detail(request, pk):
    community = get_visible_or_404(
        Community.objects.select_related("street__parent__parent"), request.user, pk=pk)
    context = {"community": community, "surveys": []}  # the residents app contributes them
    for contribute in _dossier_contributors():
        context.update(contribute(community))
    return render(request, "communities/community_detail.html", context)


def _dossier_contributors():
    """Apps above this one add to the dossier (一社一档) through `community_dossier(community)`
    on their AppConfig: the projects app gives the community's projects and documents."""
    from django.apps import apps

    return [c.community_dossier for c in apps.get_app_configs() if hasattr(c, "community_dossier")]


@login_required
def import_template(request):
    response = HttpResponse(build_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''community_import_template.xlsx"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def community_import(request):
    can_import, _ = can_import_communities(request.user)
    context = {"errors": [], "can_import": can_import}
    if request.method == "POST" and can_import:
        upload = request.FILES.get("file")
        if upload is None:
            context["refused"] = "请选择要上传的 .xlsx 文件。"
        else:
            try:
                count, errors = import_communities(upload, request.user)
            except ImportRefused as exc:
                context["refused"] = str(exc)
            else:
                if errors:
                    context["errors"] = errors
                else:
                    messages.success(request, f"已导入 {count} 个社区。")
                    return redirect("community_list")
    return render(request, "communities/community_import.html", context)


METHODS = ("POST", "PUT", "PATCH", "DELETE")
STATUS_CODES = {str(code) for code in range(100, 600)}


def operation_rows(user, params, shown: dict | None = None):
    """The operation log filtered by user, office, action (method), path, result and date range
    (administrators only: `can_view_admin_logs`)."""
    from communities.models import OperationLog

    return (Filtering(OperationLog.objects.select_related("user"), params, shown)
            .text("user", "user__username").text("office", "office_name")
            .text("action", "action", "target").exact("method", "method", METHODS).text("path", "path")
            .exact("status", "status_code", STATUS_CODES)
            .dates("at__date")).queryset


def login_rows(user, params, shown: dict | None = None):
    """The login log filtered by user name, event, IP and date range (administrators only)."""
    from communities.models import LoginEvent

    return (Filtering(LoginEvent.objects.all(), params, shown)
            .text("user", "username").exact("event", "event", LoginEvent.Event.values)
            .text("ip", "ip").dates("at__date")).queryset


OPERATIONS = ListSpec("操作日志", (
    Col("时间", seconds("at"), key="at", width=20),
    Col("用户", attr("user.username"), key="user", order=("user__username",)),
    Col("姓名", lambda r: r.user.get_full_name() if r.user else "", page=False),
    Col("机构", attr("office_name"), key="office", order=("office_name",), width=20),
    Col("操作", attr("action"), key="action", order=("action",), width=16),
    Col("对象", attr("target"), key="target", order=("target",), width=30),
    Col("结果", attr("result"), key="result", order=("result",), width=30),
    Col("范围与条件", attr("detail"), width=40),
    Col("方法", attr("method"), key="method", width=8, page=False),
    Col("路径", attr("path"), key="path", width=40, page=False),
    Col("状态码", attr("status_code"), key="status", order=("status_code",), width=8, page=False),
    Col("IP", attr("ip"), key="ip", width=16),
    Col("客户端", attr("user_agent"), width=40, page=False),
), default="-at", export="operation_log", rows=operation_rows, can_export=can_view_admin_logs)
LOGINS = ListSpec("登录日志", (
    Col("时间", seconds("at"), key="at", width=20),
    Col("用户名", attr("username"), key="user", order=("username",)),
    Col("事件", attr("get_event_display"), key="event", width=10),
    Col("IP", attr("ip"), key="ip", width=16),
    Col("客户端", attr("user_agent"), width=40),
), default="-at", export="login_log", rows=login_rows, can_export=can_view_admin_logs)


@login_required
def operation_log(request, fmt=None):
    """操作日志 viewer for administrators: user, office, action (method), path, result, date range."""
    if fmt:
        return export_response(request, OPERATIONS, fmt)
    OPERATIONS.check(request.user)
    shown = {}
    rows = operation_rows(request.user, request.GET, shown)
    return render(request, "communities/operation_log.html", {
        "listing": sorted_page(request, rows, OPERATIONS), "filters": shown, "methods": METHODS})


@login_required
def login_log(request, fmt=None):
    """登录日志 viewer for administrators: user name, event, IP, date range."""
    from communities.models import LoginEvent

    if fmt:
        return export_response(request, LOGINS, fmt)
    LOGINS.check(request.user)
    shown = {}
    rows = login_rows(request.user, request.GET, shown)
    return render(request, "communities/login_log.html", {
        "listing": sorted_page(request, rows, LOGINS), "filters": shown, "events": LoginEvent.Event.choices})
