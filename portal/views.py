"""Pages of the plumbing: the home page (工作台, each app contributes its sections), the inbox
(消息) and the export pages (portal.export_views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal import notifications
from portal.filters import Filtering
from portal.listing import Col, ListSpec, attr, export_response, sorted_page


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the portal's icon
    (resolved per request: the static manifest exists only after collectstatic)."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)


@login_required
def home(request):
    """工作台: a tile per to-do section (its count), the sections that hold something, and on the
    side 已办 (sections keyed "done") and the latest notices."""
    from portal.notices import notices_for

    sections = workbench_sections(request.user)
    return render(request, "home.html", {
        "workbench": [s for s in sections if s.get("key") != "done"],
        "done": [s for s in sections if s.get("key") == "done"],
        "latest_notices": notices_for(request.user).select_related(None)[:5]})


def workbench_sections(user):
    """Each app contributes its own to-do sections for the user's role."""
    from django.apps import apps

    sections = []
    for config in apps.get_app_configs():
        provider = getattr(config, "workbench", None)
        if provider:
            sections.extend(provider(user))
    return sections


def _event_label(note) -> str:
    return notifications.event_label(note.event)


def inbox_rows(user, params, shown: dict | None = None):
    """The user's own notifications filtered by read state, type and keyword (`shown`, when
    given, receives the filters applied)."""
    return (Filtering(notifications.notifications_for(user), params, shown)
            .choice("unread", {"1": Q(read_at=None)})
            .choice("event", {"alert": Q(event="alert"), "notice": ~Q(event="alert")})
            .text("q", "title", "body")).queryset


def _inbox_title(user) -> str:
    return f"{user.get_username()}的站内消息"


INBOX = ListSpec("站内消息", (
    Col("时间", attr("created_at"), key="created", order=("created_at",), kind="datetime", width=18),
    Col("类型", _event_label, key="event", width=10),
    Col("标题", attr("title"), key="title", width=40),
    Col("内容", attr("body"), width=60),
    Col("项目", attr("link_label"), key="project", order=("link_label",), width=30),
    Col("状态", lambda n: "已读" if n.read_at else "未读", key="read", order=("read_at",), width=8),
    Col("已读时间", attr("read_at"), kind="datetime", width=18, page=False),
    Col(""),  # the 标为已读 button
), default="-created", export="portal:inbox", rows=inbox_rows, export_title=_inbox_title)


@login_required
def inbox(request, fmt=None):
    """The user's own notifications (预警 and 通知): filter by read state, type and keyword."""
    if fmt:
        return export_response(request, INBOX, fmt)
    shown = {}
    listing = sorted_page(request, inbox_rows(request.user, request.GET, shown), INBOX)
    for note in listing.page:
        note.event_label = _event_label(note)
    return render(request, "portal/inbox.html", {
        "listing": listing, "filters": shown, "unread_only": "unread" in shown})


@login_required
@require_POST
def mark_read(request, pk):
    if not notifications.mark_read(request.user, pk) and not notifications.notifications_for(
            request.user).filter(pk=pk).exists():
        raise Http404("消息不存在")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "portal:inbox"
    return redirect(target)


@login_required
@require_POST
def mark_all_read(request):
    marked = notifications.mark_read(request.user)
    messages.success(request, f"已将 {marked} 条消息标记为已读")
    return redirect("portal:inbox")
