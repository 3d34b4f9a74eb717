"""富阳 work summaries page (三张清单): streets file, the district compiles and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from portal.errors import ProjectError
from portal.filters import Filtering
from portal.listing import Col, ListSpec, attr, export_response, sorted_page
from portal.permissions import require_page
from supervision import summaries
from supervision.models import WorkSummary


def summary_rows(user, params, shown: dict | None = None):
    rows = WorkSummary.objects.visible_to(user).select_related("office__region")
    return (Filtering(rows, params, shown).exact("kind", "kind", WorkSummary.Kind.values)
            .dates("period_start").text("q", "problems", "work", "innovations", "office__name").queryset)


SUMMARIES = ListSpec("工作总结汇总（问题清单、工作清单、创新清单）", (
    Col("街道（乡镇）", attr("office.name"), key="office", order=("office__region__code",), width=16),
    Col("类型", attr("get_kind_display"), key="kind", width=10),
    Col("期间起始日", attr("period_start"), key="start", order=("period_start",), kind="date", width=12),
    Col("问题清单", attr("problems"), width=40),
    Col("工作清单", attr("work"), width=40),
    Col("创新清单", attr("innovations"), width=40),
), default="-start", export="supervision:summaries", rows=summary_rows, can_export=summaries.can_view)


@login_required
def summary_list(request, fmt=None):
    require_page(summaries.can_view(request.user))
    if fmt:
        return export_response(request, SUMMARIES, fmt)
    can_file = summaries.can_file(request.user)[0]
    if request.method == "POST":
        try:
            summaries.file_summary(request.user, {k: request.POST.get(k, "") for k in
                                                  ("kind", "period_start", "problems", "work", "innovations")})
            messages.success(request, "已报送，区办公室将汇总。")
        except ProjectError as exc:
            messages.error(request, exc.message)
        return redirect("supervision:summaries")
    shown = {}
    return render(request, "supervision/summaries.html", {
        "listing": sorted_page(request, summary_rows(request.user, request.GET, shown), SUMMARIES),
        "filters": shown, "kinds": WorkSummary.Kind.choices, "can_file": can_file,
        "basis": summaries.BASIS, "rule": summaries.PERIOD_RULE})
