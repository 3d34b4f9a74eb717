"""嘉兴 月报月例会 pages: the list (with its export), the record form and one meeting with its figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from communities.scope import get_visible_or_404
from portal.errors import ProjectError
from portal.filters import Filtering
from portal.listing import Col, ListSpec, attr, export_response, sorted_page
from portal.permissions import require_page
from supervision import meetings
from supervision.models import MonthlyMeeting


def meeting_rows(user, params, shown: dict | None = None):
    return Filtering(MonthlyMeeting.objects.visible_to(user).select_related("city"), params, shown).year(
        "year", "month").queryset


MEETINGS = ListSpec("月报月例会记录", (
    Col("城市", attr("city.name"), width=10),
    Col("月份", lambda m: f"{m.month:%Y-%m}", key="month", width=10),
    Col("例会日期", attr("held_on"), key="held", order=("held_on",), kind="date", width=12),
    Col("参会单位和人员", attr("attendees"), width=40),
    Col("会议纪要", attr("minutes"), width=60),
), default="-month", export="supervision:meetings", rows=meeting_rows, can_export=meetings.can_view)


@login_required
def meeting_list(request, fmt=None):
    require_page(meetings.can_view(request.user))
    if fmt:
        return export_response(request, MEETINGS, fmt)
    can_record = meetings.can_record(request.user)[0]
    if request.method == "POST":
        try:
            meeting = meetings.record(request.user, {k: request.POST.get(k, "") for k in
                                                     ("month", "held_on", "attendees", "minutes")})
            messages.success(request, "已记录月例会，并附当月数据。")
            return redirect("supervision:meeting", meeting.pk)
        except ProjectError as exc:
            messages.error(request, exc.message)
        return redirect("supervision:meetings")
    shown = {}
    return render(request, "supervision/meetings.html", {
        "listing": sorted_page(request, meeting_rows(request.user, request.GET, shown), MEETINGS),
        "filters": shown, "can_record": can_record, "basis": meetings.BASIS})


@login_required
def meeting_detail(request, pk):
    meeting = get_visible_or_404(MonthlyMeeting.objects.select_related("city"), request.user, pk=pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    headers, rows = meetings.figure_table(meeting)
    return render(request, "supervision/meeting_detail.html", {"meeting": meeting, "headers": headers,
                                                                 "rows": rows, "basis": meetings.BASIS})
