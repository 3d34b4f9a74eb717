"""Supervision API, second part: the 绍兴 旧改 approvals checklist and the operations dossier
(DOMAIN §9); registered by supervision.api.register."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from acceptance.api import OutOfScopeIsNotFound
from projects.models import CreationProject
from supervision import approvals, operations, summaries
from supervision.api import _data
from supervision.models import ApprovalRecord, FundInflow, OperatingReport, Operator, WorkSummary
from supervision.summary_views import summary_rows


class ChecklistRowSerializer(serializers.Serializer):
    item = serializers.CharField()
    state = serializers.CharField()
    detail = serializers.CharField()
    basis = serializers.CharField()


class ApprovalChecklistSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    applies = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()

    class Meta:
        model = CreationProject
        fields = ["project", "name", "applies", "rows"]

    def get_applies(self, project) -> bool:
        return approvals.applies(project)

    @extend_schema_field(ChecklistRowSerializer(many=True))
    def get_rows(self, project):
        record = getattr(project, "approvals", None)
        rows = approvals.checklist(project, record or ApprovalRecord(project=project))
        return [vars(row) for row in rows]


class ApprovalInput(serializers.Serializer):
    joint_review_on = serializers.DateField(required=False)
    joint_review_departments = serializers.CharField(required=False)
    joint_review_utilities = serializers.CharField(required=False)
    residents_present = serializers.IntegerField(required=False)
    approval_mode = serializers.ChoiceField(choices=ApprovalRecord.Approval.choices, required=False)
    approval_document_no = serializers.CharField(required=False)
    project_code = serializers.CharField(required=False)
    planning_permit_exempt = serializers.BooleanField(required=False, allow_null=True)
    new_build_filed_on = serializers.DateField(required=False)
    new_build_filing_no = serializers.CharField(required=False)


class ApprovalChecklistViewSet(OutOfScopeIsNotFound, viewsets.ReadOnlyModelViewSet):
    """绍兴 旧改审批清单（绍兴2023 三(四)）：数据权限范围内的项目；不适用的项目 applies=false、rows 为空。
    record：项目所在街道或区县（市）风貌办填写联合审查会商、立项、规划许可、新建类备案。"""

    serializer_class = ApprovalChecklistSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CreationProject.objects.none()
        return (CreationProject.objects.visible_to(self.request.user)
                .select_related("community", "street__parent", "policy_version", "approvals").order_by("pk"))

    @extend_schema(request=ApprovalInput, responses=ApprovalChecklistSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        project = self.get_object()
        approvals.record(request.user, project, _data(request))
        return Response(ApprovalChecklistSerializer(self.get_queryset().get(pk=project.pk)).data)


class OperatorSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    selection_label = serializers.CharField(source="get_selection_display", read_only=True)

    class Meta:
        model = Operator
        fields = ["id", "kind", "kind_label", "name", "services", "selection", "selection_label", "contract_from",
                  "contract_to"]
        read_only_fields = fields


class OperatingReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = OperatingReport
        fields = ["id", "year", "summary", "residents_served", "revenue", "attachment"]
        read_only_fields = fields


class FundInflowSerializer(serializers.ModelSerializer):
    source_label = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = FundInflow
        fields = ["id", "received_on", "amount", "source", "source_label", "note"]
        read_only_fields = fields


class DossierSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="display_name")
    status = serializers.CharField()
    operators = OperatorSerializer(many=True)
    reports = OperatingReportSerializer(many=True, source="operating_reports")
    inflows = FundInflowSerializer(many=True, source="fund_inflows")
    fund_total = serializers.SerializerMethodField()
    basis = serializers.SerializerMethodField()

    def get_fund_total(self, project) -> str:
        return f"{sum((i.amount for i in project.fund_inflows.all()), Decimal('0.00')):.2f}"

    def get_basis(self, project) -> dict:
        return operations.BASIS


class OperatorInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Operator.Kind.choices)
    name = serializers.CharField(max_length=120)
    services = serializers.CharField(required=False)
    selection = serializers.ChoiceField(choices=Operator.Selection.choices)
    contract_from = serializers.DateField(required=False)
    contract_to = serializers.DateField(required=False)


class ReportInput(serializers.Serializer):
    year = serializers.IntegerField()
    summary = serializers.CharField()
    residents_served = serializers.IntegerField(required=False)
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)


class InflowInput(serializers.Serializer):
    received_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    source = serializers.ChoiceField(choices=FundInflow.Source.choices)
    note = serializers.CharField(required=False)


class OperationsViewSet(OutOfScopeIsNotFound, viewsets.ReadOnlyModelViewSet):
    """运营档案：数据权限范围内项目的运营商、年度运营报告和社区运营基金；命名后由街道或区县（市）风貌办登记。"""

    serializer_class = DossierSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CreationProject.objects.none()
        return (CreationProject.objects.visible_to(self.request.user).select_related("community", "street")
                .prefetch_related("operators", "operating_reports", "fund_inflows").order_by("pk"))

    def _record(self, request, function):
        project = self.get_object()
        function(request.user, project, _data(request))
        return Response(DossierSerializer(self.get_queryset().get(pk=project.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=OperatorInput, responses={201: DossierSerializer})
    @action(detail=True, methods=["post"])
    def operators(self, request, pk=None):
        """登记运营商（综合集成 / 专项服务；确定方式）。"""
        return self._record(request, operations.add_operator)

    @extend_schema(request=ReportInput, responses={201: DossierSerializer})
    @action(detail=True, methods=["post"])
    def reports(self, request, pk=None):
        """报送年度运营报告（每年一份，重复 409）。"""
        return self._record(request, operations.file_report)

    @extend_schema(request=InflowInput, responses={201: DossierSerializer})
    @action(detail=True, methods=["post"])
    def inflows(self, request, pk=None):
        """登记社区运营基金到账（绍兴2019 二(五)）。"""
        return self._record(request, operations.add_inflow)


class WorkSummarySerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = WorkSummary
        fields = ["id", "office", "kind", "kind_label", "period_start", "problems", "work", "innovations"]
        read_only_fields = ["id", "office", "kind_label"]


class WorkSummaryViewSet(OutOfScopeIsNotFound, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """富阳 工作总结（问题清单、工作清单、创新清单，富阳 五(一)）：街道（乡镇）报送，区办公室汇总。"""

    serializer_class = WorkSummarySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkSummary.objects.none()
        return summary_rows(self.request.user, self.request.query_params).order_by("-period_start", "id")

    def create(self, request, *args, **kwargs):
        summary = summaries.file_summary(request.user, _data(request))
        return Response(WorkSummarySerializer(summary).data, status=status.HTTP_201_CREATED)
