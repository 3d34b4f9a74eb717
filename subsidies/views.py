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

from communities.scope import get_visible_or_404
from portal.errors import Forbidden, ProjectError
from portal.permissions import require_page
from projects.models import CreationProject
from subsidies import overrides, selectors, services, statements
from subsidies.models import Payment
from subsidies.permissions import can_view_ledger, is_finance

ACTIONS = {"approve": "核定", "mark_paid": "拨付"}


def _next(request):
    """Back to the page the selection came from (only pages of this app)."""
    target = request.POST.get("next", "")
    return target if target.startswith("/subsidies/") and "//" not in target else "subsidies:ledger"


@login_required
def ledger(request):
    require_page(can_view_ledger(request.user))
    payments, filters = selectors.payments(request.user, request.GET)
    page = Paginator(payments, 50).get_page(request.GET.get("page"))
    return render(request, "subsidies/ledger.html", {
        "page": page, "filters": filters, "totals": selectors.totals(payments),
        "states": Payment.State.choices, "kinds": Payment.Kind.choices, "payers": Payment.Payer.choices,
        "finance": is_finance(request.user),
    })


@login_required
def summary(request):
    require_page(can_view_ledger(request.user))
    rows, filters = selectors.by_district_and_year(request.user, request.GET)
    payments, _ = selectors.payments(request.user, request.GET)
    return render(request, "subsidies/summary.html", {
        "rows": rows, "filters": filters, "totals": selectors.totals(payments)})


@login_required
def project_statement(request, pk):
    project = get_visible_or_404(
        CreationProject.objects.select_related("street__parent", "community", "policy_version"),
        request.user, pk=pk)
    return render(request, "subsidies/project.html", {
        "project": project, "statement": statements.settlement_statement(project),
        "finance": is_finance(request.user),
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
    """Step 2: the confirmed action, compare-and-set (a second click changes nothing)."""
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
