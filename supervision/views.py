"""Supervision pages (DOMAIN §9). Thin: scope through communities.scope / visible_to, changes
through supervision.inspections and supervision.orders, lists through supervision.lists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from acceptance.models import Deadline
from communities.models import Office
from communities.permissions import office_of
from communities.scope import get_visible_or_404
from portal.errors import ProjectError
from portal.listing import export_response, sorted_page
from portal.permissions import require_page
from projects.models import CreationProject
from supervision import inspections, lists, orders, permissions
from supervision.models import Inspection, InspectionOrder, SupervisionOrder

EXPORTS = {"orders": lists.ORDERS, "supervision": lists.SUPERVISION, "overdue": lists.OVERDUE}


def _items_from_post(post) -> list[dict]:
    """The form's repeated rows (requirements / due_on); blank rows ignored."""
    rows = zip(post.getlist("requirements"), post.getlist("due_on"), strict=False)
    return [{"requirements": r, "due_on": d} for r, d in rows if r.strip() or d.strip()]


def target_offices(user):
    """The offices directly below the user's 风貌办 (督办单 recipients)."""
    office = office_of(user)
    if office is None or not permissions.can_issue_supervision(user)[0]:
        return Office.objects.none()
    kind = Office.Kind.DISTRICT_TOWNSCAPE if office.kind == Office.Kind.CITY_TOWNSCAPE else Office.Kind.STREET
    return Office.objects.filter(kind=kind, region__parent_id=office.region_id).order_by("region__code")


@login_required
def index(request, fmt=None, which=None):
    require_page(permissions.can_view_supervision(request.user))
    if fmt:
        return export_response(request, EXPORTS[which], fmt)
    user = request.user
    shown = {}
    can_issue = permissions.can_issue_supervision(user)[0]
    candidates = []
    if can_issue:
        candidates = list(CreationProject.objects.visible_to(user).filter(listed_on__isnull=False)
                          .select_related("community", "street").order_by("street__code", "name")[:300])
    return render(request, "supervision/index.html", {
        "orders": sorted_page(request, lists.order_rows(user, request.GET, shown), lists.ORDERS),
        "supervision": sorted_page(request, lists.supervision_rows(user, request.GET, shown), lists.SUPERVISION),
        "overdue": sorted_page(request, lists.overdue_rows(user, request.GET, shown), lists.OVERDUE),
        "filters": shown, "can_issue": can_issue, "targets": target_offices(user), "candidates": candidates,
        "today": timezone.localdate(), "order_states": InspectionOrder.State.choices,
        "supervision_states": SupervisionOrder.State.choices, "urge_rule": orders.URGE_RULE,
    })


@login_required
def inspection_new(request, project_pk):
    project = get_visible_or_404(CreationProject.objects.select_related("community", "street"), request.user,
                                 pk=project_pk)
    require_page(permissions.can_inspect(request.user, project))
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("inspected_on", "inspectors", "findings")}
        data["items"] = _items_from_post(request.POST)
        try:
            inspection = inspections.record_inspection(request.user, project, data,
                                                       request.FILES.getlist("photos"))
        except ProjectError as exc:
            messages.error(request, exc.message)
            return render(request, "supervision/inspection_form.html",
                          {"project": project, "data": data, "today": timezone.localdate()}, status=400)
        messages.success(request, f"已录入检查，下达整改单{inspection.orders.count()}份。")
        return redirect("supervision:inspection", inspection.pk)
    return render(request, "supervision/inspection_form.html",
                  {"project": project, "data": {}, "today": timezone.localdate()})


def _inspection(request, pk):
    return get_visible_or_404(Inspection.objects.select_related("project__community", "project__street", "office"),
                              request.user, pk=pk)


@login_required
def inspection_detail(request, pk):
    inspection = _inspection(request, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    require_page(permissions.can_view_supervision(request.user))
    user = request.user
    items = list(inspection.orders.select_related("order__office").prefetch_related(
        "events__actor", "events__office", "events__evidence"))
    rows = [{"item": item, "can_reply": permissions.can_reply_order(user, item)[0],
             "can_review": permissions.can_review_order(user, item)[0]} for item in items]
    return render(request, "supervision/inspection_detail.html", {
        "inspection": inspection, "rows": rows, "photos": inspection.photos.all(),
        "can_issue": (permissions.can_inspect(user, inspection.project)[0]
                      and user.office_id == inspection.office_id),
        "today": timezone.localdate(),
    })


@login_required
def inspection_issue(request, pk):
    inspection = _inspection(request, pk)  # scope first: out of scope is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        issued = inspections.issue_orders(request.user, inspection, _items_from_post(request.POST))
        messages.success(request, f"已下达整改单{len(issued)}份。")
    except ProjectError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:inspection", inspection.pk)


def _item(request, pk):
    return get_visible_or_404(InspectionOrder.objects.select_related("order__office", "inspection__project"),
                              request.user, pk=pk)


def _handle(request, step, done: str, back):
    """A reply or review form of a 整改单 or 督办单 already fetched in scope (out of scope is 404
    whatever the method): POST only; the service's refusal becomes the page's message."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        step()
        messages.success(request, done)
    except ProjectError as exc:
        messages.error(request, exc.message)
    return back


def _review_data(request, due_field: str) -> dict:
    return {k: request.POST.get(k, "") for k in ("decision", "comment", due_field)}


@login_required
def item_reply(request, pk):
    item = _item(request, pk)
    return _handle(request, lambda: inspections.reply(request.user, item, {"comment": request.POST.get("comment", "")},
                                                      request.FILES.getlist("evidence")),
                   f"已回复整改单#{item.order_id}，待下达单位审核。",
                   redirect("supervision:inspection", item.inspection_id))


@login_required
def item_review(request, pk):
    item = _item(request, pk)
    data = _review_data(request, "due_on")
    return _handle(request, lambda: inspections.review(request.user, item, data),
                   "已销号。" if data["decision"] == item.CLOSE_DECISION else "已退回重新整改。",
                   redirect("supervision:inspection", item.inspection_id))


def _order(request, pk):
    return get_visible_or_404(SupervisionOrder.objects.select_related("issuer_office", "target_office", "deadline"),
                              request.user, pk=pk)


@login_required
def order_detail(request, pk):
    order = _order(request, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    require_page(permissions.can_view_supervision(request.user))
    user = request.user
    return render(request, "supervision/order_detail.html", {
        "order": order, "projects": order.projects.select_related("community", "street"),
        "events": order.events.select_related("actor", "office"), "late": orders.overdue(order),
        "can_reply": permissions.can_reply_supervision(user, order)[0],
        "can_review": permissions.can_review_supervision(user, order)[0],
    })


@login_required
@require_POST
def order_new(request):
    require_page(permissions.can_view_supervision(request.user))
    data = {k: request.POST.get(k, "") for k in ("target_office", "subject", "requirements", "reply_due_on")}
    data["projects"] = request.POST.getlist("projects")
    try:
        order = orders.issue(request.user, data)
    except ProjectError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:index")
    messages.success(request, f"已下发督办单#{order.pk}。")
    return redirect("supervision:order", order.pk)


@login_required
def order_reply(request, pk):
    order = _order(request, pk)
    return _handle(request, lambda: orders.reply(request.user, order, {"comment": request.POST.get("comment", "")}),
                   "已回复督办单，待下发单位审核。", redirect("supervision:order", order.pk))


@login_required
def order_review(request, pk):
    order = _order(request, pk)
    data = _review_data(request, "reply_due_on")
    return _handle(request, lambda: orders.review(request.user, order, data),
                   "督办已办结。" if data["decision"] == order.CLOSE_DECISION else "已退回重新回复。",
                   redirect("supervision:order", order.pk))


@login_required
def urge(request, deadline_pk):
    deadline = get_visible_or_404(Deadline.objects.select_related("project__community", "project__street"),
                                  request.user, pk=deadline_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        order, created = orders.urge(request.user, deadline)
    except ProjectError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:index")
    messages.success(request, f"已催办，生成督办单#{order.pk}。" if created
                     else f"该事项已在催办中（督办单#{order.pk}）。")
    return redirect("supervision:order", order.pk)
