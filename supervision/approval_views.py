"""绍兴 旧改 approvals pages: the checklist form of one project and the ledger (审批台账)."""

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
from supervision import approvals, permissions
from supervision.models import ApprovalRecord

FIELDS = ("joint_review_on", "joint_review_departments", "joint_review_utilities", "residents_present",
          "approval_mode", "approval_document_no", "project_code", "planning_permit_exempt",
          "new_build_filed_on", "new_build_filing_no", "version")
ITEMS = ("联合审查会商", "项目立项", "建设工程规划许可", "施工许可", "新建类方案备案")


def ledger_rows(user, params, shown: dict | None = None):
    """Shaoxing 2023 projects from listing on, in scope, with their approval records."""
    projects = (CreationProject.objects.visible_to(user)
                .filter(policy_code=approvals.POLICY, listed_on__isnull=False)
                .select_related("community", "street__parent", "policy_version", "approvals"))
    return (Filtering(projects, params, shown).text("q", "name", "community__name")
            .exact("category", "category", CreationProject.Category.values).queryset)


def _state(item):
    def get(project):
        record = getattr(project, "approvals", None)
        row = next((r for r in approvals.checklist(project, record or ApprovalRecord(project=project))
                    if r.item == item), None)
        return f"{row.state}：{row.detail}" if row else "不适用"
    return get


LEDGER = ListSpec("旧改项目审批台账（绍兴2023 三(四)）", (
    Col("项目", attr("display_name"), key="name", width=30),
    Col("街道", attr("street.name"), key="street", order=("street__code",), width=14),
    Col("创建类型", attr("get_category_display"), key="category", width=10),
    *(Col(item, _state(item), width=36) for item in ITEMS),
), default="street", export="supervision:approval_ledger", rows=ledger_rows,
   can_export=permissions.can_view_approvals)


@login_required
def ledger(request, fmt=None):
    require_page(permissions.can_view_approvals(request.user))
    if fmt:
        return export_response(request, LEDGER, fmt)
    shown = {}
    listing = sorted_page(request, ledger_rows(request.user, request.GET, shown), LEDGER)
    rows = [(p, [_state(item)(p) for item in ITEMS]) for p in listing.page]
    return render(request, "supervision/approval_ledger.html", {"listing": listing, "rows": rows,
                                                                "filters": shown, "items": ITEMS})


@login_required
def approval_form(request, project_pk):
    project = get_visible_or_404(CreationProject.objects.select_related("community", "street__parent",
                                                                        "policy_version"),
                                 request.user, pk=project_pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    require_page(approvals.can_record(request.user, project))
    record = ApprovalRecord.objects.filter(project=project).first()
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in FIELDS}
        try:
            approvals.record(request.user, project, data, request.FILES.get("minutes"))
        except ProjectError as exc:
            messages.error(request, exc.message)
            return render(request, "supervision/approval_form.html", {
                "project": project, "record": record, "data": data, "rows": approvals.checklist(project, record),
                "modes": ApprovalRecord.Approval.choices}, status=400)
        messages.success(request, "已保存审批记录。")
        return redirect("projects:detail", project.pk)
    data = {f: getattr(record, f, "") if record else "" for f in FIELDS}
    return render(request, "supervision/approval_form.html", {
        "project": project, "record": record, "data": data, "rows": approvals.checklist(project, record),
        "modes": ApprovalRecord.Approval.choices})
