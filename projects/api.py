import django_filters
from django.http import FileResponse
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.api import ScopedViewSetMixin
from communities.scope import get_visible_or_404, scope_token
from portal import idlist  # noqa: F401  (registers `__in_ids`)
from portal.api_filters import FilterBackend, IntegerFilter, applied_filters
from portal.errors import InvalidInput, InvalidTransition
from portal.paging import ordered_by_pk
from projects import attachments, corrections, counts, reports, services
from projects.models import (
    Attachment,
    CreationProject,
    MonthlyReport,
    SpendingCorrection,
    SpendingRecord,
    Status,
)
from projects.selectors import overdue_q, text_q
from projects.serializers import (
    ActionSerializer,
    AttachmentSerializer,
    MonthlyReportSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    ProjectWriteSerializer,
    RowPage,
    SpendingSerializer,
    TransitionSerializer,
    project_rows,
)


class ProjectFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="street__parent__parent__code", label="市代码（4位）")
    district = django_filters.CharFilter(field_name="street__parent__code", label="区县代码（6位）")
    street = django_filters.CharFilter(field_name="street__code", label="街道代码（9位）")
    tier = django_filters.ChoiceFilter(choices=CreationProject.Tier.choices)
    category = django_filters.ChoiceFilter(choices=CreationProject.Category.choices)
    # distinct=False: status is a column of the project itself, no join can repeat a row; the
    # default DISTINCT made PostgreSQL sort every matching row (nation: 380 ms instead of 5 ms).
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    batch_year = django_filters.NumberFilter(min_value=2000, max_value=2100)
    community = django_filters.NumberFilter(field_name="community_id", min_value=1, max_value=2**31 - 1)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="已超建设完成时限")
    q = django_filters.CharFilter(method="filter_text", label="名称搜索（社区、项目）")

    class Meta:
        model = CreationProject
        fields = ["city", "district", "street", "tier", "category", "status", "batch_year",
                  "community", "overdue", "q"]

    def filter_overdue(self, queryset, name, value):
        # the list page's filter, the overdue report's and the dashboard's; on the day the list's
        # statements are keyed with (ProjectViewSet.list), should midnight pass in between
        condition = overdue_q(getattr(self.request, "list_today", None))
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_text(self, queryset, name, value):
        return queryset.filter(text_q(value))  # the list page's search (projects.selectors)


def list_key(user, applied: dict | None, today) -> tuple | None:
    """What the project list's filtered queryset depends on, when its statements (COUNT, a
    page's keys) may be compiled once (portal.compiled): the user's scope and the filters'
    cleaned values (`applied`, portal.api_filters.applied_filters), with the day (`today`) when
    the overdue filter compares dates. None when the filters are unknown, or under the name search,
    which reads the matching communities first (two statements)."""
    if applied is None or "q" in applied:
        return None
    values = tuple((name, tuple(sorted(value)) if isinstance(value, list | tuple | set | frozenset) else value)
                   for name, value in sorted(applied.items()))
    if "overdue" in applied:
        values += (("today", today),)
    return ("project list", scope_token(user), values)


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices)
    file = serializers.FileField(help_text="PDF、Word、Excel、JPG、PNG；大小上限见 settings.UPLOAD_MAX_MB")


class ProjectViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    """创建项目。列表与详情仅含数据权限范围内的项目；流转通过 actions 接口。"""

    filterset_class = ProjectFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return CreationProject.objects.for_list().order_by("-id")

    def base_ordered_by_pk(self) -> bool:
        """Whether `base_queryset()`'s ordering ends with the primary key (the filters keep it): a
        fact of the class, worked out once per process rather than by building the queryset on
        every list request."""
        cls = type(self)
        if "_base_ordered_by_pk" not in cls.__dict__:
            cls._base_ordered_by_pk = ordered_by_pk(self.base_queryset())
        return cls._base_ordered_by_pk

    def get_serializer_class(self):
        if self.action == "create":
            return ProjectWriteSerializer
        if self.action in ("update", "partial_update"):
            return ProjectUpdateSerializer
        if self.action == "list":
            return ProjectSerializer
        return ProjectDetailSerializer

    def list(self, request, *args, **kwargs):
        """The page as ProjectSerializer would give it, read as values() rows (ProjectRows)."""
        rows = project_rows()
        request.list_today = timezone.localdate()
        if list(self.filter_backends) == [FilterBackend]:
            # The filters checked now, the scoped and filtered queryset built only for a
            # statement not kept yet (portal.compiled): most requests build none.
            filtering = FilterBackend().filtering(request, self, CreationProject.objects.none())
            projects = lambda: filtering(self.get_queryset())  # noqa: E731
            applied = applied_filters(request)
            known = counts.list_count(request.user, applied)
            key, ordered = list_key(request.user, applied, request.list_today), self.base_ordered_by_pk()
        else:  # another backend filters (or orders) too: its queryset as built, counted and paged afresh
            projects = self.filter_queryset(self.get_queryset())
            known = key = ordered = None
        page = self.paginate_queryset(RowPage(projects, rows, known, key, ordered))
        return self.get_paginated_response(rows.represent(page))

    def detail_response(self, project, code=status.HTTP_200_OK):
        project = CreationProject.objects.for_list().get(pk=project.pk)
        return Response(ProjectDetailSerializer(project, context=self.get_serializer_context()).data,
                        status=code)

    @extend_schema(responses=ProjectDetailSerializer)
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        community = data.pop("community")
        project = services.create_project(request.user, community, **data)
        return self.detail_response(project, status.HTTP_201_CREATED)

    @extend_schema(responses=ProjectDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        serializer = self.get_serializer(project, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_project(request.user, project, **serializer.validated_data)
        return self.detail_response(project)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=ActionSerializer, responses=ProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        """执行流转操作：409 当前状态不允许；403 无权执行；404 不在数据权限范围内。"""
        project = self.get_object()
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = services.perform_action(project, request.user, data.pop("action"), data)
        return self.detail_response(project)

    @extend_schema(request=None, responses=ProjectDetailSerializer)
    @action(detail=True, methods=["post"], url_path="finalise-spending")
    def finalise_spending(self, request, pk=None):
        """街道确认实际支出决算（验收通过后），之后据此结算奖补。与 actions 接口的 finalise_spending
        相同：写入流转记录（含支出合计）；重复确认 409；非本街道 403。"""
        project = self.get_object()
        comment = request.data.get("comment", "") if hasattr(request.data, "get") else ""
        project = reports.finalise_spending(request.user, project, comment if isinstance(comment, str) else "")
        return self.detail_response(project)

    @extend_schema(responses=TransitionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a bare array, never paginated
    def history(self, request, pk=None):
        """全部流转记录（只增不改）。"""
        project = self.get_object()
        transitions = project.transitions.select_related("actor", "office").order_by("at", "id")
        return Response(TransitionSerializer(transitions, many=True).data)

    @extend_schema(methods=["GET"], responses=AttachmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None,  # a bare array, never paginated
            parser_classes=[parsers.MultiPartParser, parsers.FormParser])
    def attachments(self, request, pk=None):
        """附件列表；上传（multipart：kind, file）。"""
        project = self.get_object()
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                raise serializers.ValidationError({"file": ["请选择要上传的文件"]})
            attachment = attachments.add_attachment(request.user, project,
                                                    request.data.get("kind", ""), upload)
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        return Response(AttachmentSerializer(project.attachments.all(), many=True).data)


class AttachmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AttachmentSerializer

    def base_queryset(self):
        return Attachment.objects.order_by("-id")

    @extend_schema(responses={(200, content_type): OpenApiTypes.BINARY
                              for content_type in sorted(set(attachments.CONTENT_TYPES.values()))})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """下载附件：与项目相同的数据权限检查。"""
        attachment = get_visible_or_404(Attachment.objects, request.user, pk=pk)
        return FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.original_name,
                            content_type=attachment.content_type)


class MonthlyReportFilter(django_filters.FilterSet):
    project = IntegerFilter(field_name="project_id", label="项目编号")

    class Meta:
        model = MonthlyReport
        fields = ["project", "month"]


class SpendingFilter(django_filters.FilterSet):
    project = IntegerFilter(field_name="project_id", label="项目编号")

    class Meta:
        model = SpendingRecord
        fields = ["project"]


class MonthlyReportViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                           viewsets.ReadOnlyModelViewSet):
    """月报：列入创建名单至验收通过前，每月一份，截止日后锁定。"""

    serializer_class = MonthlyReportSerializer
    filterset_class = MonthlyReportFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return MonthlyReport.objects.select_related("project").order_by("-month", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        serializer.instance = reports.submit_monthly_report(self.request.user, project, **data)

    @extend_schema(parameters=[OpenApiParameter(
        "If-Match", str, OpenApiParameter.HEADER, required=False,
        description="所修改月报的版本号（GET 返回的 ETag / version）；已被他人修改时返回 409")])
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def perform_update(self, serializer):
        serializer.instance = reports.update_monthly_report(
            self.request.user, serializer.instance, version=if_match_version(self.request),
            **serializer.validated_data)


def if_match_version(request) -> int | None:
    """The report version named by `If-Match` ("3", W/"3" or 3); none: the version read now.
    A malformed header is a 400 naming it, never a silent overwrite."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    text = header.removeprefix("W/").strip('"')
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise InvalidInput("If-Match 应为月报的版本号（version），如 \"3\"", {"If-Match": "格式不正确"})
    return int(text)


class CorrectionRequestSerializer(serializers.Serializer):
    amount = serializers.CharField(max_length=20, help_text="更正后金额（元），阿拉伯数字，最多两位小数")
    reason = serializers.CharField(max_length=200)


class CorrectionDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "批准"), ("reject", "驳回")])
    comment = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SpendingCorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpendingCorrection
        fields = ["id", "record", "amount", "reason", "state", "requested_at", "decided_at", "decision_comment"]


class SpendingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """实际支出：由街道录入，用于决算；录错的由街道申请更正、区县风貌办审核（不直接修改）。"""

    serializer_class = SpendingSerializer
    filterset_class = SpendingFilter

    def base_queryset(self):
        return SpendingRecord.objects.order_by("spent_on", "id")

    def create(self, request, *args, **kwargs):
        """录入一笔实际支出。请求头 Idempotency-Key（8–64 字符）相同的重复请求不再录入，返回首次录入的记录（200）。"""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = data.pop("project")
        record = reports.record_spending(request.user, project, **data,
                                         form_token=request.headers.get("Idempotency-Key"))
        return Response(self.get_serializer(record).data,
                        status=status.HTTP_200_OK if record.duplicate else status.HTTP_201_CREATED)

    @extend_schema(request=CorrectionRequestSerializer, responses={201: SpendingCorrectionSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """街道申请更正一笔实际支出（更正后金额与原因），待区县风貌办审核。"""
        record = self.get_object()
        serializer = CorrectionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = corrections.request_correction(request.user, record, **serializer.validated_data)
        return Response(SpendingCorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CorrectionDecisionSerializer, responses=SpendingCorrectionSerializer)
    @action(detail=True, methods=["post"], url_path="decide-correction")
    def decide_correction(self, request, pk=None):
        """区县风貌办批准或驳回该笔支出待审核的更正（驳回须填写意见）。"""
        record = self.get_object()
        serializer = CorrectionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pending = record.corrections.filter(state=SpendingCorrection.State.PENDING).first()
        if pending is None:
            raise InvalidTransition("该笔支出没有待审核的更正")
        data = serializer.validated_data
        correction = corrections.decide_correction(request.user, pending, approve=data["decision"] == "approve",
                                                   comment=data.get("comment", ""))
        return Response(SpendingCorrectionSerializer(correction).data)


def register(router):
    router.register("projects", ProjectViewSet, basename="project")
    router.register("attachments", AttachmentViewSet, basename="attachment")
    router.register("monthly-reports", MonthlyReportViewSet, basename="monthly-report")
    router.register("spending", SpendingViewSet, basename="spending")


class PolicySimulationView(APIView):
    """政策模拟（what-if）：提交事实 JSON，返回时限与奖补裁定（与 simulate_policy 命令相同）。"""

    @extend_schema(request=dict, responses=dict)
    def post(self, request):
        from policies.base import FactsError
        from projects.simulation import simulate_with_parameters

        if not isinstance(request.data, dict):
            return Response({"detail": "请求体应为 JSON 对象", "errors": {"(input)": "应为 JSON 对象"}},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            return Response(simulate_with_parameters(dict(request.data)))
        except FactsError as exc:
            return Response({"detail": f"{exc.field}：{exc.message}", "errors": {exc.field: exc.message}},
                            status=status.HTTP_400_BAD_REQUEST)


extra_urls = [path("policy-simulations/", PolicySimulationView.as_view(), name="policy_simulation")]
