"""Inspections and their 整改单 (DOMAIN §9; 绍兴2023 四 “不定期组织开展检查，对存在问题下发整改单，
限时督促整改”): the only place that changes them.

A 整改单 is an acceptance.RectificationOrder with origin "inspection", so its deadline and
alerts are the deadline sweep's (acceptance.deadlines) and, while open, it blocks the
acceptance request (acceptance.receivers.open_inspection_orders). Reply, close (销号) and
send-back are supervision.replies' steps, shared with the 督办单.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from acceptance.deadlines import recompute_deadlines
from acceptance.models import RectificationOrder
from communities.models import Office
from portal.errors import InvalidInput
from portal.notifications import notify
from portal.permissions import require
from projects.attachments import check_upload
from projects.models import Attachment
from supervision import inputs, permissions, replies
from supervision.models import Inspection, InspectionOrder, OrderEvent

MAX_ITEMS = 50
INBOX_EVENTS = {"inspection_orders_issued": "整改单下达", "inspection_order_replied": "整改回复",
                "inspection_order_close": "整改销号", "inspection_order_send_back": "整改退回"}
MAX_FILES = 10


def today():
    return timezone.localdate()


def store_files(user, project, kind: str, uploads, field: str) -> list[Attachment]:
    """Photos and evidence become the project's attachments (type and content checked)."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        inputs.refuse(field, f"一次最多上传{MAX_FILES}个文件")
    stored = []
    for upload in uploads:
        try:
            name, content_type = check_upload(upload)
        except InvalidInput as exc:
            inputs.refuse(field, exc.message)
        attachment = Attachment(project=project, kind=kind, original_name=name, content_type=content_type,
                                size=upload.size, uploaded_by=user)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def clean_items(raw_items) -> list[dict]:
    """[{requirements, due_on}] → cleaned, each due date after today."""
    if raw_items is None:
        return []
    if not isinstance(raw_items, list) or len(raw_items) > MAX_ITEMS:
        inputs.refuse("items", f"整改事项须为列表，且不超过{MAX_ITEMS}项")
    cleaned = []
    for index, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            inputs.refuse("items", f"第{index}项整改事项格式不正确")
        requirements = inputs.text(raw, "requirements", f"第{index}项整改要求", max_length=2000)
        due_on = inputs.date(raw, "due_on", f"第{index}项整改期限")
        inputs.future(due_on, "items", f"第{index}项整改期限", today())
        cleaned.append({"requirements": requirements, "due_on": due_on})
    return cleaned


def _street_offices(project):
    return Office.objects.filter(kind=Office.Kind.STREET, region_id=project.street_id)


def _link(item) -> str:
    return reverse("supervision:inspection", args=[item.inspection_id])


@transaction.atomic
def record_inspection(user, project, data: dict, photos=()) -> Inspection:
    """检查记录 (date, inspectors, findings, photos) and the 整改单 it issues at once."""
    require(permissions.can_inspect(user, project))
    inspected_on = inputs.date(data, "inspected_on", "检查日期")
    inputs.not_after(inspected_on, "inspected_on", "检查日期", today())
    if project.listed_on and inspected_on < project.listed_on:
        inputs.refuse("inspected_on", f"检查日期不能早于列入创建名单日期（{project.listed_on}）")
    inspectors = inputs.text(data, "inspectors", "检查人员", max_length=200)
    findings = inputs.text(data, "findings", "检查发现", max_length=4000)
    items = clean_items(data.get("items"))
    inspection = Inspection.objects.create(project=project, office=user.office, inspected_on=inspected_on,
                                           inspectors=inspectors, findings=findings, created_by=user)
    inspection.photos.set(store_files(user, project, Attachment.Kind.PHOTO, photos, "photos"))
    if items:
        _issue(user, inspection, items)
    return inspection


@transaction.atomic
def issue_orders(user, inspection: Inspection, raw_items) -> list[InspectionOrder]:
    """More 整改单 from an inspection, later (by the office that inspected)."""
    require(permissions.can_inspect(user, inspection.project))
    if user.office_id != inspection.office_id:
        require((False, "只有录入该检查的单位可以据此下达整改单"))
    items = clean_items(raw_items)
    if not items:
        inputs.refuse("items", "请至少填写一项整改要求")
    return _issue(user, inspection, items)


def _issue(user, inspection, items) -> list[InspectionOrder]:
    project = inspection.project
    created = []
    for entry in items:
        order = RectificationOrder.objects.create(
            project=project, issued_by=user, office=user.office, due_on=entry["due_on"],
            requirements=entry["requirements"], origin=RectificationOrder.Origin.INSPECTION)
        item = InspectionOrder.objects.create(inspection=inspection, order=order)
        OrderEvent.objects.create(item=item, action=OrderEvent.Action.ISSUE, comment=entry["requirements"],
                                  due_on=entry["due_on"], actor=user, office=user.office)
        created.append(item)
    recompute_deadlines(project)
    lines = "；".join(f"#{i.order_id} {i.order.requirements}（{i.order.due_on}前）" for i in created)
    notify("inspection_orders_issued", key=f"inspection-orders:{created[0].order_id}", project=project,
           link=_link(created[0]), link_label=project.display_name, offices=_street_offices(project),
           title=f"【整改通知】{project.display_name} 检查发现问题，下达整改单{len(created)}份",
           body=f"{user.office.name}于{inspection.inspected_on}检查，下达整改单：{lines}。"
                f"请按期整改并逐项回复（绍兴2023 四 限时督促整改）。")
    return created


@transaction.atomic
def reply(user, item: InspectionOrder, data: dict, evidence=()) -> OrderEvent:
    """The street answers one item with what it did and its evidence (照片 / 材料)."""
    require(permissions.can_reply_order(user, item))
    comment = inputs.text(data, "comment", "整改情况说明", max_length=4000)
    project = item.inspection.project
    files = store_files(user, project, Attachment.Kind.PHOTO, evidence, "evidence")
    event = replies.take(user, item, replies.REPLY, comment)
    event.evidence.set(files)
    notify("inspection_order_replied", project=project, link=_link(item), link_label=project.display_name,
           offices=[item.order.office],
           title=f"【整改回复】{project.display_name} 整改单#{item.order_id} 已回复，请审核销号",
           body=f"{user.office.name}回复：{comment}")
    return event


@transaction.atomic
def review(user, item: InspectionOrder, data: dict) -> OrderEvent:
    """The issuing office closes the item (销号: the deadline is met) or sends it back, with a new
    due date if it gives one."""
    require(permissions.can_review_order(user, item))
    decision, comment, new_due = replies.read_review(item, data, "due_on", "新的整改期限", today())
    project = item.inspection.project
    order = RectificationOrder.objects.select_for_update().get(pk=item.order_id)
    event = replies.take(user, item, decision, comment, due_on=new_due)
    if decision == item.CLOSE_DECISION:
        order.closed_at = timezone.now()
        order.save(update_fields=["closed_at"])
        title = f"【整改销号】{project.display_name} 整改单#{order.pk} 已审核销号"
    else:
        if new_due is not None:
            order.due_on = new_due
            order.save(update_fields=["due_on"])
        title = f"【整改退回】{project.display_name} 整改单#{order.pk} 未通过审核，请重新整改（期限{order.due_on}）"
    item.order = order
    recompute_deadlines(project)
    notify(f"inspection_order_{decision}", project=project, link=_link(item), link_label=project.display_name,
           offices=_street_offices(project), title=title, body=comment)
    return event
