"""Supervision API (DOMAIN §9); config/api_urls.py calls register(router).

/api/inspections/ (list, detail, create with its 整改单 items), /api/inspection-orders/ (list,
detail, reply, review), /api/supervision-orders/ (list, detail, create, reply, review, urge).
Scope through visible_to: outside it every object is 404; a refused action is 403 with the
reason, a wrong state 409, bad input 400 naming the field (config.api.exception_handler).
"""


from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from acceptance.api import OutOfScopeIsNotFound
from acceptance.models import Deadline
from communities.scope import get_visible_or_404
from portal.errors import InvalidInput
from projects.models import CreationProject
from supervision import inspections, lists, orders, replies
from supervision.models import (
    Inspection,
    InspectionOrder,
    SupervisionOrder,
)

MAX_ID = 2**31 - 1


def _data(request) -> dict:
    return request.data if isinstance(request.data, dict) else {}


def _id(value, field: str, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput(f"{label}不正确", {field: f"{label}不正确"}) from None
    if not 0 < number <= MAX_ID:
        raise InvalidInput(f"{label}不正确", {field: f"{label}不正确"})
    return number


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    comment = serializers.CharField()
    office = serializers.CharField(source="office.name")
    actor = serializers.CharField(source="actor.username")
    at = serializers.DateTimeField()


class InspectionOrderSerializer(serializers.ModelSerializer):
    order_no = serializers.IntegerField(source="order_id", read_only=True)
    project = serializers.IntegerField(source="inspection.project_id", read_only=True)
    requirements = serializers.CharField(source="order.requirements", read_only=True)
    due_on = serializers.DateField(source="order.due_on", read_only=True)
    issued_by_office = serializers.CharField(source="order.office.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text="open / replied / closed")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionOrder
        fields = ["id", "order_no", "inspection", "project", "requirements", "due_on", "issued_by_office",
                  "state", "state_label", "events"]


class InspectionSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.name", read_only=True)
    orders = InspectionOrderSerializer(many=True, read_only=True)
    photos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "project", "office", "inspected_on", "inspectors", "findings", "photos", "orders"]
        read_only_fields = fields


class ItemInput(serializers.Serializer):
    requirements = serializers.CharField(max_length=2000)
    due_on = serializers.DateField()


class InspectionInput(serializers.Serializer):
    project = serializers.IntegerField()
    inspected_on = serializers.DateField()
    inspectors = serializers.CharField(max_length=200)
    findings = serializers.CharField(max_length=4000)
    items = ItemInput(many=True, required=False)


class CommentInput(serializers.Serializer):
    comment = serializers.CharField(max_length=4000)


class ReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[InspectionOrder.CLOSE_DECISION, replies.SEND_BACK])
    comment = serializers.CharField(max_length=2000, required=False)
    due_on = serializers.DateField(required=False)


class SupervisionOrderSerializer(serializers.ModelSerializer):
    issuer_office = serializers.CharField(source="issuer_office.name", read_only=True)
    target_office_name = serializers.CharField(source="target_office.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text="issued / replied / closed")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    projects = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionOrder
        fields = ["id", "subject", "requirements", "issuer_office", "target_office", "target_office_name",
                  "projects", "reply_due_on", "state", "state_label", "overdue", "deadline", "events"]
        read_only_fields = fields

    def get_overdue(self, order) -> bool:
        return orders.overdue(order)


class SupervisionInput(serializers.Serializer):
    target_office = serializers.IntegerField()
    projects = serializers.ListField(child=serializers.IntegerField())
    subject = serializers.CharField(max_length=200)
    requirements = serializers.CharField(max_length=4000)
    reply_due_on = serializers.DateField()


class SupervisionReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[SupervisionOrder.CLOSE_DECISION, replies.SEND_BACK])
    comment = serializers.CharField(max_length=2000, required=False)
    reply_due_on = serializers.DateField(required=False)


class UrgeInput(serializers.Serializer):
    deadline = serializers.IntegerField()


class InspectionViewSet(OutOfScopeIsNotFound, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """检查：数据权限范围内的检查记录及其整改单；区县（市）、市风貌办录入（可同时下达整改单）。"""

    serializer_class = InspectionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Inspection.objects.none()
        return (Inspection.objects.visible_to(self.request.user).select_related("office")
                .prefetch_related("photos", "orders__order__office", "orders__events__office",
                                  "orders__events__actor").order_by("-inspected_on", "-id"))

    @extend_schema(request=InspectionInput, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        data = _data(request)
        project = get_visible_or_404(CreationProject.objects, request.user,
                                     pk=_id(data.get("project"), "project", "项目编号"))
        inspection = inspections.record_inspection(request.user, project, data)
        return Response(InspectionSerializer(self.get_queryset().get(pk=inspection.pk)).data,
                        status=status.HTTP_201_CREATED)


class InspectionOrderViewSet(OutOfScopeIsNotFound, viewsets.ReadOnlyModelViewSet):
    """检查整改单：数据权限范围内；街道逐项回复，下达单位审核销号或退回。"""

    serializer_class = InspectionOrderSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InspectionOrder.objects.none()
        return (lists.order_rows(self.request.user, self.request.query_params)
                .prefetch_related("events__office", "events__actor").order_by("order__due_on", "id"))

    @extend_schema(request=CommentInput, responses=InspectionOrderSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """街道回复整改情况（JSON 或 multipart：comment，evidence 文件可多个）。"""
        item = self.get_object()
        inspections.reply(request.user, item, _data(request), request.FILES.getlist("evidence"))
        return Response(InspectionOrderSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=ReviewInput, responses=InspectionOrderSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """下达单位审核：decision=close 销号，send_back 退回（可给新的 due_on）。"""
        item = self.get_object()
        inspections.review(request.user, item, _data(request))
        return Response(InspectionOrderSerializer(self.get_queryset().get(pk=item.pk)).data)


class SupervisionOrderViewSet(OutOfScopeIsNotFound, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """督办单：市→区县风貌办、区县→街道，含回复期限、回复、审核办结与履历；urge 对逾期事项一键催办。"""

    serializer_class = SupervisionOrderSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SupervisionOrder.objects.none()
        return (lists.supervision_rows(self.request.user, self.request.query_params)
                .prefetch_related("events__office", "events__actor").order_by("-id"))

    def _one(self, pk):
        return SupervisionOrderSerializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=SupervisionInput, responses={201: SupervisionOrderSerializer})
    def create(self, request, *args, **kwargs):
        order = orders.issue(request.user, _data(request))
        return Response(self._one(order.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=CommentInput, responses=SupervisionOrderSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """被督办单位回复办理情况。"""
        order = self.get_object()
        orders.reply(request.user, order, _data(request))
        return Response(self._one(order.pk))

    @extend_schema(request=SupervisionReviewInput, responses=SupervisionOrderSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """下发单位审核回复：decision=accept 办结，send_back 退回（可给新的 reply_due_on）。"""
        order = self.get_object()
        orders.review(request.user, order, _data(request))
        return Response(self._one(order.pk))

    @extend_schema(request=UrgeInput, responses={200: SupervisionOrderSerializer, 201: SupervisionOrderSerializer})
    @action(detail=False, methods=["post"])
    def urge(self, request):
        """催办：对数据权限范围内一项逾期时限生成督办单（已在催办中则返回该督办单，200）。"""
        deadline = get_visible_or_404(Deadline.objects.select_related("project__street", "project__community"),
                                      request.user, pk=_id(_data(request).get("deadline"), "deadline", "时限编号"))
        order, created = orders.urge(request.user, deadline)
        return Response(self._one(order.pk), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def register(router):
    from supervision.api_operations import ApprovalChecklistViewSet, OperationsViewSet, WorkSummaryViewSet
    from supervision.api_periodic import MeetingViewSet

    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("inspection-orders", InspectionOrderViewSet, basename="inspection-order")
    router.register("supervision-orders", SupervisionOrderViewSet, basename="supervision-order")
    router.register("approval-checklists", ApprovalChecklistViewSet, basename="approval-checklist")
    router.register("operations", OperationsViewSet, basename="operations")
    router.register("work-summaries", WorkSummaryViewSet, basename="work-summary")
    router.register("meetings", MeetingViewSet, basename="meeting")


def _extra_urls():
    from django.urls import path

    from supervision.api_periodic import EvaluationView

    return [path("evaluations/", EvaluationView.as_view(), name="evaluation-list")]


extra_urls = _extra_urls()
