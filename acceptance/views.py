"""Pages: the inbox (消息) and the bulletins (通报). Thin: reads through acceptance.selectors
and communities.scope, changes through acceptance.notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from acceptance import notifications, selectors
from acceptance.exports import bulletin_columns, bulletin_title, bulletin_workbook
from acceptance.models import Bulletin
from communities.listing import Col, Filtering, ListSpec, attr, export_response, sorted_page
from communities.scope import get_visible_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


EVENT_LABELS = {"alert": "预警", "rectification_issued": "整改通知"}


def _event_label(note) -> str:
    return EVENT_LABELS.get(note.event, "通知")


INBOX = ListSpec("站内消息", (
    Col("时间", attr("created_at"), key="created", order=("created_at",), kind="datetime", width=18),
    Col("类型", _event_label, key="event", width=10),
    Col("标题", attr("title"), key="title", width=40),
    Col("内容", attr("body"), width=60),
    Col("项目", attr("project.display_name"), key="project", order=("project__community__name",), width=30),
    Col("状态", lambda n: "已读" if n.read_at else "未读", key="read", order=("read_at",), width=8),
    Col("已读时间", attr("read_at"), kind="datetime", width=18, page=False),
    Col(""),  # the 标为已读 button
), default="-created", export="acceptance:inbox")


@login_required
def inbox(request, fmt=None):
    """The user's own notifications (预警 and 通知): filter by read state, type and keyword."""
    filters = (Filtering(selectors.notifications_for(request.user), request.GET)
               .choice("unread", {"1": Q(read_at=None)})
               .choice("event", {"alert": Q(event="alert"), "notice": ~Q(event="alert")})
               .text("q", "title", "body"))
    if fmt:
        return export_response(request, filters.queryset, INBOX, fmt, title=f"{request.user.get_username()}的站内消息")
    listing = sorted_page(request, filters.queryset, INBOX)
    for note in listing.page:
        note.event_label = _event_label(note)
    return render(request, "acceptance/inbox.html", {
        "listing": listing, "filters": filters.active, "unread_only": "unread" in filters.active})


@login_required
@require_POST
def mark_read(request, pk):
    if not notifications.mark_read(request.user, pk) and not selectors.notifications_for(
            request.user).filter(pk=pk).exists():
        raise Http404("消息不存在")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "acceptance:inbox"
    return redirect(target)


@login_required
@require_POST
def mark_all_read(request):
    marked = notifications.mark_read(request.user)
    messages.success(request, f"已将 {marked} 条消息标记为已读")
    return redirect("acceptance:inbox")


@login_required
def bulletin_list(request):
    bulletins = Bulletin.objects.visible_to(request.user).select_related("city")
    return render(request, "acceptance/bulletins.html",
                  {"bulletins": [(b, bulletin_title(b)) for b in bulletins]})


@login_required
def bulletin_detail(request, pk):
    bulletin = get_visible_or_404(Bulletin.objects.select_related("city"), request.user, pk=pk)
    columns = bulletin_columns(bulletin)
    rows = [[row.get(key) for key, _ in columns] for row in bulletin.data["rows"]]
    totals = [bulletin.data["totals"].get(key, "") for key, _ in columns[1:]]
    return render(request, "acceptance/bulletin_detail.html", {
        "bulletin": bulletin, "title": bulletin_title(bulletin), "columns": columns, "rows": rows,
        "totals": totals})


@login_required
def bulletin_download(request, pk):
    bulletin = get_visible_or_404(Bulletin.objects.select_related("city"), request.user, pk=pk)
    response = HttpResponse(bulletin_workbook(bulletin), content_type=XLSX)
    filename = f"bulletin-{bulletin.kind}-{bulletin.period}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
