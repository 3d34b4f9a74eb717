"""API of the plumbing: the caller's inbox (GET /api/notifications/, POST …/<id>/read/ and
…/read-all/) and export jobs (/api/export-jobs/). config/api_urls.py calls register(router)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal import exports, notifications
from portal.api_schema import ERROR
from portal.models import ExportJob, Notification

extra_urls: list = []


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "project", "link", "created_at", "read_at"]


class ExportJobSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=[], read_only=True,
                                   help_text="portal.exports 登记的导出种类（含列表页导出）")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    progress = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "kind", "file_format", "params", "state", "state_label", "progress", "total_rows",
                  "done_rows", "filename", "error", "created_at", "finished_at", "expires_at", "download_url"]
        read_only_fields = fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.title) for kind in exports.all_kinds()]

    def get_download_url(self, job) -> str | None:
        from django.urls import reverse

        if job.state != ExportJob.State.DONE:
            return None
        return reverse("portal:export_download", args=[job.pk])


class ExportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    file_format = serializers.ChoiceField(choices=[("xlsx", "Excel"), ("csv", "CSV")], default="xlsx")
    year = serializers.IntegerField(required=False, min_value=2019, max_value=2035)
    district = serializers.RegexField(r"^\d{6}$", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.title) for kind in exports.reports()]


class OwnOnly:
    """A method a detail route does not allow is 405 only for the caller's own object: anyone
    else's is 404, like every other request (its existence is not told)."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)


class NotificationViewSet(OwnOnly, viewsets.ReadOnlyModelViewSet):
    """站内消息：当前用户的消息；unread=true 仅未读。"""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        notes = notifications.notifications_for(self.request.user).order_by("-created_at", "-id")
        if self.request.query_params.get("unread") in ("true", "1"):
            notes = notes.filter(read_at=None)
        return notes

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = self.get_object()
        notifications.mark_read(request.user, note.pk)
        note.refresh_from_db()
        return Response(self.get_serializer(note).data)

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications.mark_read(request.user)})


class ExportJobViewSet(OwnOnly, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """导出任务：仅本人可见、可下载；创建后在后台生成，轮询进度，完成后下载（24小时内有效）。"""

    serializer_class = ExportJobSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ExportJob.objects.none()
        return ExportJob.objects.filter(requester=self.request.user).order_by("-created_at")

    @extend_schema(request=ExportRequestSerializer, responses={
        201: ExportJobSerializer,
        429: OpenApiResponse(ERROR, description="本人排队或生成中的导出任务已达上限（EXPORT_JOBS_PER_USER），"
                                                "请等待完成后再导出"),
    })
    def create(self, request, *args, **kwargs):
        serializer = ExportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        job = exports.start_job(request.user, data.pop("kind"), data.pop("file_format"), data)
        return Response(ExportJobSerializer(job).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("notifications", NotificationViewSet, basename="notification")
    router.register("export-jobs", ExportJobViewSet, basename="export-job")
