"""奖补资金 pages: the ledger with totals, 核定/拨付 in bulk with a confirmation step, the
settlement statement of a project and the per-district / per-year summary. Thin: reads
through subsidies.selectors (scoped), changes through subsidies.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communities.regions import region_filter
from communities.scope import get_visible_or_404
from portal.confirm import confirmed
from portal.errors import Forbidden, ProjectError
from portal.formatting import unit_of
from portal.listing import Col, ListSpec, attr, export_response, sorted_page
from portal.permissions import require_page
from projects.models import CreationProject
from subsidies import overrides, selectors, services, statements
from subsidies.models import Payment
from subsidies.permissions import can_handle, can_view_ledger, is_finance

ACTIONS = {"approve": "核定", "mark_paid": "拨付"}


def _next(request):
    """Back to the page the selection came from (only pages of this app)."""
    target = request.POST.get("next", "")
    return target if target.startswith("/subsidies/") and "//" not in target else "subsidies:ledger"


def payment_rows(user, params, shown: dict | None = None):
    """The ledger's rows: the user's payments filtered by the parameters they understand."""
    payments, filters = selectors.payments(user, params)
    if shown is not None:
        shown.update(filters)
    return payments


PAYMENTS = ListSpec("奖补资金拨付台账", (
    Col("区县", attr("project.street.parent.name"), key="district",
        order=("project__street__parent__path",), width=10),
    Col("街道", attr("project.street.name"), key="street", order=("project__street__path",), width=12),
    Col("项目", attr("project.display_name"), key="project", order=("project_id",), width=30),
    Col("类型", attr("get_kind_display"), key="kind", width=10),
    Col("拨付财政", attr("get_payer_display"), key="payer", width=10),
    Col("金额（元）", attr("amount"), key="amount", kind="money", width=16),
    Col("应拨付日期", attr("due_on"), key="due_on", kind="date", width=12),
    Col("年度", attr("fiscal_year"), key="year", order=("fiscal_year",), kind="year", page=False),
    Col("状态", attr("get_state_display"), key="state", width=8),
    Col("凭证号", attr("voucher_no"), width=16),
    Col("依据 / 说明", attr("basis"), width=40),
    Col("政策执行期说明", attr("period_flag"), width=40, page=False),
), default="district", tiebreak="id", export="subsidies:payments", rows=payment_rows,
   can_export=can_view_ledger, totals=selectors.totals, money=True)


def actable(user, payment) -> bool:
    """May `user` select this row for 核定/拨付 (same check as the action: can_handle)? Paid
    rows are final."""
    return payment.state != Payment.State.PAID and can_handle(user, payment)[0]


@login_required
def ledger(request, fmt=None):
    require_page(can_view_ledger(request.user))
    regions = region_filter(request.user, request.GET)
    if fmt:
        return export_response(request, PAYMENTS, fmt)
    filters = {}
    rows = payment_rows(request.user, request.GET, filters)
    listing = sorted_page(request, rows, PAYMENTS)
    finance = is_finance(request.user)
    return render(request, "subsidies/ledger.html", {
        "listing": listing, "filters": filters, "totals": listing.totals, "regions": regions,
        "rows": [(p, finance and actable(request.user, p)) for p in listing.page],
        "approved": selectors.approved_total(selectors.approved_subsidies(request.user)[0]),
        "states": Payment.State.choices, "kinds": Payment.Kind.choices, "payers": Payment.Payer.choices,
        "finance": finance, "unit": listing.unit,
    })


@login_required
def approved(request):
    """核定补助台账: every approved subsidy in scope as soon as it is approved, linked to its 决算表."""
    require_page(can_view_ledger(request.user))
    rows, filters = selectors.approved_subsidies(request.user, request.GET)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "subsidies/approved.html", {
        "page": page, "filters": filters, "totals": selectors.approved_total(rows)})


@login_required
def summary(request):
    require_page(can_view_ledger(request.user))
    regions = region_filter(request.user, request.GET)
    rows, filters = selectors.by_district_and_year(request.user, request.GET)
    return render(request, "subsidies/summary.html", {
        "rows": rows, "filters": filters, "totals": selectors.totals_of(rows), "regions": regions,
        "unit": unit_of(request.GET)})


@login_required
def project_statement(request, pk):
    project = get_visible_or_404(
        CreationProject.objects.select_related("street__parent", "community", "policy_version"),
        request.user, pk=pk)
    statement = statements.settlement_statement(project)
    finance = is_finance(request.user)
    return render(request, "subsidies/project.html", {
        "project": project, "statement": statement, "finance": finance,
        "actable_ids": {p.pk for p in statement.payments if finance and actable(request.user, p)},
        "overrides": project.subsidy_overrides.select_related("requested_by", "decided_by"),
        "can_request_override": overrides.can_request_override(request.user, project)[0],
        "can_decide_override": overrides.can_decide_override(request.user, _override_probe(project))[0]})


def _override_probe(project):
    from subsidies.models import SubsidyOverride

    return SubsidyOverride(project=project)


@login_required
def request_override(request, pk):
    """一事一议: district finance proposes another approved amount (富阳 五(三))."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    project = get_visible_or_404(CreationProject.objects.select_related("street__parent"), request.user, pk=pk)
    try:
        overrides.request_override(request.user, project, amount=request.POST.get("amount", ""),
                                   reason=request.POST.get("reason", ""),
                                   document_no=request.POST.get("document_no", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ProjectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提出一事一议核定，待区领导小组办公室审批。")
    return redirect("subsidies:project", pk)


@login_required
def decide_override(request, pk, override_id):
    """一事一议: the district office approves or refuses the proposal."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    from subsidies.models import SubsidyOverride

    project = get_visible_or_404(CreationProject.objects.select_related("street__parent"), request.user, pk=pk)
    override = get_object_or_404(SubsidyOverride.objects.select_related("project__street__parent"),
                                 pk=override_id, project=project)
    try:
        overrides.decide_override(request.user, override, approve=request.POST.get("decision") == "approve",
                                  comment=request.POST.get("comment", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ProjectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已审批一事一议核定。")
    return redirect("subsidies:project", pk)


def _selection(request):
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, "请选择要执行的操作（核定或拨付）")
        return None, None
    ids = request.POST.getlist("ids")
    if not ids:
        messages.error(request, "请至少勾选一笔资金记录")
        return None, None
    try:
        payments = services.selected_payments(request.user, ids)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ProjectError as exc:
        messages.error(request, exc.message)
        return None, None
    return action, payments


@login_required
@require_POST
def confirm(request):
    """Step 1 of 核定/拨付: show what was selected, its total and (for 拨付) ask the voucher."""
    action, payments = _selection(request)
    if action is None:
        return redirect(_next(request))
    expected = Payment.State.PLANNED if action == "approve" else Payment.State.APPROVED
    ready = [p for p in payments if p.state == expected]
    return render(request, "subsidies/confirm.html", {
        "action": action, "action_label": ACTIONS[action], "payments": payments, "ready": ready,
        "not_ready": [p for p in payments if p.state != expected], "expected": Payment.State(expected).label,
        "total": sum(p.amount for p in ready), "next": request.POST.get("next", ""),
    })


@login_required
@require_POST
def apply(request):
    """Step 2: the confirmed action, compare-and-set (a second click changes nothing). A POST
    without confirm=1 (portal.confirm) gets step 1's page instead of acting."""
    if not confirmed(request):
        return confirm(request)
    action, payments = _selection(request)
    if action is None:
        return redirect(_next(request))
    ids = [p.pk for p in payments]
    try:
        if action == "approve":
            changed = services.approve_payments(request.user, ids)
        else:
            changed = services.mark_paid(request.user, ids, request.POST.get("voucher_no", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ProjectError as exc:
        messages.error(request, exc.message)
    else:
        skipped = len(ids) - len(changed)
        note = f"，{skipped} 笔状态已变化未处理" if skipped else ""
        messages.success(request, f"已{ACTIONS[action]} {len(changed)} 笔{note}。")
    return redirect(_next(request))
