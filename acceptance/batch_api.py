"""API for acceptance and naming batches (services in acceptance.batches)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from acceptance import batches, permissions
from acceptance.models import AcceptanceBatch, NamingBatch
from communities.api import HideOutOfScopeMixin
from portal.permissions import require
from portal.validators import free_text


class AcceptanceBatchSerializer(serializers.ModelSerializer):
    projects = serializers.ListField(child=serializers.IntegerField(), write_only=True)
    project_ids = serializers.SerializerMethodField()
    office = serializers.CharField(source="office.name", read_only=True)

    class Meta:
        model = AcceptanceBatch
        fields = ["id", "kind", "held_on", "title", "office", "projects", "project_ids",
                  "results_recorded_at", "dropped", "cancelled_at", "cancel_reason"]
        read_only_fields = ["results_recorded_at", "dropped", "cancelled_at", "cancel_reason"]

    def get_project_ids(self, batch) -> list[int]:
        return [p.pk for p in batch.projects.all()]


class NamingBatchSerializer(serializers.ModelSerializer):
    projects = serializers.ListField(child=serializers.IntegerField(), write_only=True)
    project_ids = serializers.SerializerMethodField()
    office = serializers.CharField(source="office.name", read_only=True)

    class Meta:
        model = NamingBatch
        fields = ["id", "title", "document_no", "named_on", "office", "projects", "project_ids"]

    def get_project_ids(self, batch) -> list[int]:
        return [p.pk for p in batch.projects.all()]


class ResultSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    passed = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, validators=[free_text])
    due_on = serializers.DateField(required=False)


class RecordResultsSerializer(serializers.Serializer):
    document_no = serializers.CharField(max_length=80)
    results = ResultSerializer(many=True)


class DropSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(max_length=200)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class BatchPermission:
    """Listing batches is `can_view_batches` (403 with the reason), as on the page and in the menu;
    one batch outside the caller's scope stays 404."""

    def list(self, request, *args, **kwargs):
        require(permissions.can_view_batches(request.user))
        return super().list(request, *args, **kwargs)


class AcceptanceBatchViewSet(BatchPermission, HideOutOfScopeMixin, mixins.CreateModelMixin,
                             viewsets.ReadOnlyModelViewSet):
    """验收批次（机动验收 / 定时验收）：市（区）风貌办分批组织验收并一次录入结果。"""

    serializer_class = AcceptanceBatchSerializer

    def get_queryset(self):
        return (AcceptanceBatch.objects.visible_to(self.request.user).select_related("office")
                .prefetch_related("projects").order_by("-held_on", "-id"))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        batch = batches.create_acceptance_batch(request.user, project_ids=data.pop("projects"), **data)
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecordResultsSerializer, responses=AcceptanceBatchSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        """一次录入本批次全部项目的验收结果（通过，或下发整改单）。"""
        batch = self.get_object()
        serializer = RecordResultsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = {r["project"]: r for r in serializer.validated_data["results"]}
        batches.record_acceptance_results(request.user, batch,
                                          document_no=serializer.validated_data["document_no"],
                                          results=results)
        batch.refresh_from_db()
        return Response(self.get_serializer(batch).data)

    @extend_schema(request=DropSerializer, responses=AcceptanceBatchSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        """把已不在验收环节的项目（如已退回）移出尚未录入结果的批次，记录原因。"""
        batch = self.get_object()
        serializer = DropSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batches.drop_project(request.user, batch, serializer.validated_data["project"],
                             serializer.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=batch.pk)).data)

    @extend_schema(request=CancelSerializer, responses=AcceptanceBatchSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """取消尚未录入结果的批次（空批次或无法录入的批次），项目不受影响。"""
        batch = self.get_object()
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batches.cancel_batch(request.user, batch, serializer.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=batch.pk)).data)


class NamingBatchViewSet(BatchPermission, HideOutOfScopeMixin, mixins.CreateModelMixin,
                         viewsets.ReadOnlyModelViewSet):
    """命名批次：按命名文件一次录入多个项目的命名。"""

    serializer_class = NamingBatchSerializer

    def get_queryset(self):
        return (NamingBatch.objects.visible_to(self.request.user).select_related("office")
                .prefetch_related("projects").order_by("-named_on", "-id"))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        batch = batches.create_naming_batch(request.user, project_ids=data.pop("projects"), **data)
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)
