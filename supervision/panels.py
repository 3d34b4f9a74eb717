"""The project page's supervision section: its inspections and their 整改单 (one query each)."""

from django.urls import reverse

from supervision import approvals, permissions
from supervision.models import InspectionOrder


def project_panels(project, user):
    if not permissions.can_view_supervision(user)[0]:
        return []
    items = (InspectionOrder.objects.filter(inspection__project=project)
             .select_related("inspection__office", "order").order_by("inspection__inspected_on", "order_id"))
    rows = [[item.inspection.inspected_on, item.inspection.office.name, f"#{item.order_id}",
             item.order.requirements, item.order.due_on, item.get_state_display()] for item in items]
    panel = {"title": "检查与整改单（绍兴2023 四 限时督促整改）",
             "headers": ["检查日期", "检查单位", "整改单", "整改要求", "整改期限", "状态"], "rows": rows,
             "links": []}
    if items:
        panel["links"].append({"label": "查看检查记录与整改回复",
                               "url": reverse("supervision:inspection", args=[items[0].inspection_id])})
    if permissions.can_inspect(user, project)[0]:
        panel["links"].append({"label": "录入检查并下达整改单",
                               "url": reverse("supervision:inspection_new", args=[project.pk])})
    if project.status == "named":
        panel["links"].append({"label": "运营档案", "url": reverse("supervision:operations", args=[project.pk])})
    return [panel, *approval_panel(project, user)]


def approval_panel(project, user):
    """绍兴 旧改 审批清单 (绍兴2023 三(四)) on the project page."""
    rows = approvals.checklist(project)
    if not rows:
        return []
    panel = {"title": "审批清单（绍兴2023 三(四) 优化项目审批）", "headers": ["事项", "状态", "说明", "依据"],
             "rows": [[r.item, r.state, r.detail, r.basis] for r in rows], "links": []}
    if approvals.can_record(user, project)[0]:
        panel["links"].append({"label": "填写审批记录", "url": reverse("supervision:approvals", args=[project.pk])})
    return [panel]
