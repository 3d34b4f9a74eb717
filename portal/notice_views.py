"""Pages of 通知公告 (notices, per-user read marks) and 政策文件库 (the four documents by clause)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from portal import notices
from portal.models import Notice
from portal.permissions import require_page
from portal.policy_library import documents


@login_required
def notice_list(request):
    require_page(notices.can_view_notices(request.user))
    page = Paginator(notices.notices_for(request.user).select_related("author"), 20).get_page(request.GET.get("page"))
    return render(request, "portal/notices.html", {
        "page": page, "can_manage": notices.can_manage_notices(request.user)[0],
        "today": timezone.localdate()})


@login_required
def notice_detail(request, pk):
    require_page(notices.can_view_notices(request.user))
    notice = get_object_or_404(notices.notices_for(request.user).select_related("author"), pk=pk)
    notices.mark_notice_read(request.user, notice)
    return render(request, "portal/notice_detail.html", {
        "notice": notice, "can_manage": notices.can_manage_notices(request.user)[0]})


@login_required
def notice_edit(request, pk=None):
    require_page(notices.can_manage_notices(request.user))
    notice = get_object_or_404(Notice, pk=pk) if pk else None
    form = notices.NoticeForm(request.POST or None, instance=notice)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.author_id is None:
            saved.author = request.user
        saved.save()
        messages.success(request, f"通知公告“{saved.title}”已{'修改' if notice else '发布'}")
        return redirect("portal:notice_detail", saved.pk)
    return render(request, "portal/notice_form.html", {"form": form, "notice": notice})


@login_required
def policy_library(request):
    """政策文件库: every document, its clauses as a table of contents and its full text."""
    return render(request, "portal/policy_library.html", {"documents": documents()})
