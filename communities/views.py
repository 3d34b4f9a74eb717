from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from communities.importing import ImportRefused, build_template, import_communities
from communities.models import Community
from communities.scope import get_visible_or_404
from projects.models import Attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def home(request):
    return render(request, "home.html", {"workbench": workbench_sections(request.user)})


def workbench_sections(user):
    """Each app contributes its own to-do sections for the user's role."""
    from django.apps import apps

    sections = []
    for config in apps.get_app_configs():
        provider = getattr(config, "workbench", None)
        if provider:
            sections.extend(provider(user))
    return sections


@login_required
def community_list(request):
    communities = (Community.objects.visible_to(request.user)
                   .select_related("street__parent__parent"))
    query = request.GET.get("q", "").strip()
    if query:
        communities = communities.filter(name__icontains=query)
    page = Paginator(communities, 50).get_page(request.GET.get("page"))
    return render(request, "communities/community_list.html", {"page": page, "q": query})


@login_required
def community_detail(request, pk):
    community = get_visible_or_404(
        Community.objects.select_related("street__parent__parent"), request.user, pk=pk)
    return render(request, "communities/community_detail.html", {
        "community": community,
        "surveys": community.surveys.all(),
        "projects": community.projects.select_related("street").order_by("-batch_year", "-id"),
        "attachments": Attachment.objects.filter(project__community=community)
        .select_related("project").order_by("-uploaded_at"),
    })


@login_required
def import_template(request):
    response = HttpResponse(build_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''community_import_template.xlsx"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def community_import(request):
    can_import = request.user.is_portal_admin or request.user.has_perm("communities.change_community")
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


def _admin_only(request):
    from django.http import Http404

    if not request.user.is_portal_admin:
        raise Http404("页面不存在")


@login_required
def operation_log(request):
    """操作日志 viewer for administrators (filters: user, path, date)."""
    from communities.models import OperationLog

    _admin_only(request)
    rows = OperationLog.objects.select_related("user").order_by("-at")
    for name, lookup in [("user", "user__username__icontains"), ("path", "path__icontains"),
                         ("date", "at__date")]:
        if request.GET.get(name):
            rows = rows.filter(**{lookup: request.GET[name]})
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "communities/operation_log.html", {"page": page})


@login_required
def login_log(request):
    from communities.models import LoginEvent

    _admin_only(request)
    rows = LoginEvent.objects.order_by("-at")
    if request.GET.get("user"):
        rows = rows.filter(username__icontains=request.GET["user"])
    if request.GET.get("event"):
        rows = rows.filter(event=request.GET["event"])
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "communities/login_log.html", {"page": page, "events": LoginEvent.Event.choices})
