"""The supervision lists (整改单, 督办单, 逾期事项): one `rows(user, params)` each, read by the
page, the API, the direct export and the background export job alike (portal.listing)."""

from django.db.models import Q
from django.utils import timezone

from acceptance.models import Deadline
from portal.filters import Filtering
from portal.listing import Col, ListSpec, attr
from supervision import permissions
from supervision.models import InspectionOrder, SupervisionOrder


def order_rows(user, params, shown: dict | None = None):
    """Inspection 整改单 items in scope, filtered by keyword (project or requirement) and state."""
    today = timezone.localdate()
    items = (InspectionOrder.objects.visible_to(user)
             .select_related("order__office", "inspection__project__community", "inspection__project__street"))
    return (Filtering(items, params, shown)
            .text("q", "inspection__project__name", "inspection__project__community__name", "order__requirements")
            .exact("state", "state", InspectionOrder.State.values)
            .choice("late", {"1": Q(state=InspectionOrder.State.OPEN, order__due_on__lt=today)})
            .queryset)


def supervision_rows(user, params, shown: dict | None = None):
    """督办单 in scope (addressed to the user's region or below), by keyword and state."""
    today = timezone.localdate()
    orders = SupervisionOrder.objects.visible_to(user).select_related(
        "issuer_office", "target_office").prefetch_related("projects__community")
    return (Filtering(orders, params, shown)
            .text("q", "subject", "requirements", "projects__community__name")
            .exact("state", "state", SupervisionOrder.State.values)
            .choice("late", {"1": Q(state=SupervisionOrder.State.ISSUED, reply_due_on__lt=today)})
            .queryset.distinct())


def overdue_rows(user, params, shown: dict | None = None):
    """Overdue deadlines (逾期事项) in scope: what 催办 acts on."""
    deadlines = (Deadline.objects.visible_to(user).filter(state=Deadline.State.OVERDUE)
                 .select_related("project__community", "project__street"))
    return (Filtering(deadlines, params, shown)
            .text("q", "project__name", "project__community__name", "label")
            .exact("kind", "kind", Deadline.Kind.values)
            .queryset)


def _late(item) -> str:
    return "是" if item.state == InspectionOrder.State.OPEN and item.order.due_on < timezone.localdate() else "否"


def _projects(order) -> str:
    return "、".join(p.display_name for p in order.projects.all())


def _reply_late(order) -> str:
    from supervision.orders import overdue

    return "是" if overdue(order) else "否"


ORDERS = ListSpec("检查整改单", (
    Col("整改单号", attr("order_id"), key="order", order=("order_id",), kind="int", width=10),
    Col("项目", attr("inspection.project.display_name"), key="project",
        order=("inspection__project__name",), width=30),
    Col("街道", attr("inspection.project.street.name"), width=14),
    Col("检查日期", attr("inspection.inspected_on"), key="inspected", order=("inspection__inspected_on",),
        kind="date", width=12),
    Col("整改要求", attr("order.requirements"), width=40),
    Col("整改期限", attr("order.due_on"), key="due", order=("order__due_on",), kind="date", width=12),
    Col("下达单位", attr("order.office.name"), width=16),
    Col("状态", attr("get_state_display"), key="state", width=12),
    Col("逾期", _late, width=6),
), default="due", export="supervision:inspection_orders", prefix="o_", rows=order_rows,
   can_export=permissions.can_view_supervision)

SUPERVISION = ListSpec("督办单", (
    Col("编号", attr("pk"), key="id", order=("id",), kind="int", width=8),
    Col("督办事项", attr("subject"), key="subject", width=30),
    Col("下发单位", attr("issuer_office.name"), width=16),
    Col("被督办单位", attr("target_office.name"), width=16),
    Col("涉及项目", _projects, width=36),
    Col("回复期限", attr("reply_due_on"), key="due", order=("reply_due_on",), kind="date", width=12),
    Col("状态", attr("get_state_display"), key="state", width=12),
    Col("逾期未回复", _reply_late, width=8),
), default="-id", export="supervision:supervision_orders", prefix="s_", rows=supervision_rows,
   can_export=permissions.can_view_supervision)

OVERDUE = ListSpec("逾期事项", (
    Col("项目", attr("project.display_name"), key="project", order=("project__name",), width=30),
    Col("街道", attr("project.street.name"), width=14),
    Col("事项", attr("label"), width=24),
    Col("到期日", attr("due_on"), key="due", order=("due_on",), kind="date", width=12),
    Col("依据", attr("basis"), width=36),
), default="due", export="supervision:overdue_items", prefix="d_", rows=overdue_rows,
   can_export=permissions.can_view_supervision)
