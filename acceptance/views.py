"""Pages: the inbox (消息) and the bulletins (通报). Thin: reads through acceptance.selectors
and communities.scope, changes through acceptance.notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from acceptance import notifications, selectors
from acceptance.exports import bulletin_columns, bulletin_title, bulletin_workbook
from acceptance.models import Bulletin
from communities.scope import get_visible_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def inbox(request):
    notes = selectors.notifications_for(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notes = notes.filter(read_at=None)
    page = Paginator(notes.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "acceptance/inbox.html", {"page": page, "unread_only": unread_only})


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
