"""API of the subsidy ledger (CONTRACTS §5 `GET /api/payments/?project=<id>`), 核定 and
拨付 in bulk and the settlement statement. config/api_urls.py calls register."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from communities.api import ScopedViewSetMixin
from communities.scope import get_visible_or_404
from portal.api_filters import IntegerFilter
from projects.models import CreationProject
from subsidies import selectors, services, statements
from subsidies.models import Payment
from subsidies.serializers import (
    MAX_ID,
    ApproveSerializer,
    BulkResultSerializer,
    MarkPaidSerializer,
    PaymentSerializer,
)

extra_urls: list = []


class PaymentFilter(django_filters.FilterSet):
    project = IntegerFilter(field_name="project_id", label="项目编号", min_value=1, max_value=MAX_ID)
    state = django_filters.ChoiceFilter(choices=Payment.State.choices)
    kind = django_filters.ChoiceFilter(choices=Payment.Kind.choices)
    payer = django_filters.ChoiceFilter(choices=Payment.Payer.choices)
    year = IntegerFilter(field_name="fiscal_year", label="年度", min_value=2000, max_value=2100)
    district = django_filters.CharFilter(field_name="project__street__parent__code", label="区县代码（6位）")

    class Meta:
        model = Payment
        fields = ["project", "state", "kind", "payer", "year", "district"]


class ScopeBeforeMethod:
    """A method a detail route does not allow is 405 only for an object the caller can see:
    outside the scope it is 404, like every other request (the object's existence is not told)."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.scoped_object()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def scoped_object(self):
        return self.get_object()


def _bulk_response(requested, changed):
    skipped = sorted(set(requested) - set(changed))
    return Response({"changed": changed, "skipped": skipped})


class PaymentViewSet(ScopeBeforeMethod, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """奖补资金拨付批次：仅数据权限范围内的项目；核定、拨付仅限负责拨付的财政局（403），
    范围外 404；并发重复操作只生效一次（409）。"""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter

    def base_queryset(self):
        return Payment.objects.for_list().order_by("project_id", "id")

    @extend_schema(request=ApproveSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def approve(self, request):
        """核定（计划 → 已核定）。"""
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["ids"]
        return _bulk_response(ids, services.approve_payments(request.user, ids))

    @extend_schema(request=MarkPaidSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"], url_path="mark_paid")
    def mark_paid(self, request):
        """拨付（已核定 → 已拨付），须填写拨付凭证号。"""
        serializer = MarkPaidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["ids"]
        return _bulk_response(ids, services.mark_paid(request.user, ids,
                                                      serializer.validated_data["voucher_no"]))

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def totals(self, request):
        """筛选结果的合计（按状态），单位：元。"""
        sums = selectors.totals(self.filter_queryset(self.get_queryset()))
        return Response({key: (value if key == "count" else f"{value:.2f}") for key, value in sums.items()})


class SettlementViewSet(ScopeBeforeMethod, viewsets.GenericViewSet):
    """决算表：年底预拨、核定补助A、应付、街道承担、结余奖励、合计、决算拨付，逐项附依据。
    按项目编号查询；范围外 404。"""

    queryset = CreationProject.objects.none()

    def scoped_object(self):
        return get_visible_or_404(
            CreationProject.objects.select_related("street__parent", "community", "policy_version"),
            self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses=dict)
    def retrieve(self, request, pk=None):
        return Response(statements.as_json(statements.settlement_statement(self.scoped_object())))


def register(router):
    router.register("payments", PaymentViewSet, basename="payment")
    router.register("settlements", SettlementViewSet, basename="settlement")
