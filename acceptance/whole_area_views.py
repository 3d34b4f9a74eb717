"""县域、街道全域未来社区 pages (绍兴2023 二(三)): the list with the application form for the
district or street, and the city office's 验收 and 公布. Changes through acceptance.whole_area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from acceptance import whole_area
from acceptance.models import WholeAreaApplication
from communities.scope import get_visible_or_404
from portal.errors import Forbidden, ProjectError
from portal.permissions import require_page


def can_view(user):
    kinds = WholeAreaApplication.Kind
    if whole_area.can_decide(user)[0] or whole_area.can_apply(user, kinds.COUNTY)[0] or \
            whole_area.can_apply(user, kinds.STREET)[0]:
        return True, ""
    return False, f"县域、街道全域未来社区申报适用于绍兴市（{whole_area.WHOLE_AREA}）"


@login_required
def whole_area_list(request):
    require_page(can_view(request.user))
    applications = (WholeAreaApplication.objects.visible_to(request.user)
                    .select_related("region__parent", "applied_by", "decided_by"))
    kinds = WholeAreaApplication.Kind
    apply_kind = next((k for k in (kinds.COUNTY, kinds.STREET) if whole_area.can_apply(request.user, k)[0]), None)
    return render(request, "acceptance/whole_area.html", {
        "applications": applications, "apply_kind": apply_kind,
        "apply_label": kinds(apply_kind).label if apply_kind else "",
        "can_decide": whole_area.can_decide(request.user)[0], "basis": whole_area.WHOLE_AREA,
        "coverage_scope": whole_area.COVERAGE_SCOPE})


def _done(request, action, message):
    try:
        action()
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ProjectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect("acceptance:whole_area")


@login_required
@require_POST
def whole_area_apply(request):
    return _done(request, lambda: whole_area.apply(
        request.user, request.POST.get("kind", ""), request.POST.get("year"),
        request.POST.get("operation_note")), "已提交全域未来社区申报，待市风貌办验收。")


@login_required
@require_POST
def whole_area_decide(request, pk):
    application = get_visible_or_404(WholeAreaApplication.objects.select_related("region"), request.user, pk=pk)
    return _done(request, lambda: whole_area.decide(
        request.user, application, accept=request.POST.get("decision") == "accept",
        comment=request.POST.get("comment", "")), "已录入验收结果。")


@login_required
@require_POST
def whole_area_publish(request, pk):
    application = get_visible_or_404(WholeAreaApplication.objects.select_related("region"), request.user, pk=pk)
    return _done(request, lambda: whole_area.publish(
        request.user, application, document_no=request.POST.get("document_no", ""),
        published_on=request.POST.get("published_on", "")), "已公布。")
