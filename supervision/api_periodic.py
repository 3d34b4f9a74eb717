"""Read-only API of the periodic evaluation (DOMAIN §9; issue #17 item 3), registered by
supervision.api.register: /api/meetings/ (嘉兴 月报月例会, with the attached figures) and
/api/evaluations/ (富阳 月度评价通报). Same functions and permissions as the pages: the list of
meetings and the evaluation are refused (403 with the reason) like the pages; a meeting outside
the data scope is 404; a bad query value is 400 naming the parameter."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from acceptance.api import OutOfScopeIsNotFound
from portal.permissions import require
from portal.validators import ascii_int
from supervision import evaluation, meetings
from supervision.evaluation_views import asked_month
from supervision.inputs import refuse
from supervision.meeting_views import meeting_rows
from supervision.models import MonthlyMeeting


class MeetingSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.name", read_only=True)
    month = serializers.SerializerMethodField(help_text="YYYY-MM")

    class Meta:
        model = MonthlyMeeting
        fields = ["id", "city", "month", "held_on", "attendees", "minutes"]
        read_only_fields = fields

    def get_month(self, meeting) -> str:
        return f"{meeting.month:%Y-%m}"


class MeetingDetailSerializer(MeetingSerializer):
    figure_headers = serializers.SerializerMethodField(help_text="所附当月数据的列名（与月度通报相同）")
    figure_rows = serializers.SerializerMethodField(help_text="所附当月数据，各县（市、区）一行，列序同 figure_headers")
    basis = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "figure_headers", "figure_rows", "basis"]
        read_only_fields = fields

    def get_figure_headers(self, meeting) -> list[str]:
        return meetings.figure_table(meeting)[0]

    @extend_schema_field(serializers.ListField(child=serializers.ListField(child=serializers.JSONField())))
    def get_figure_rows(self, meeting):
        return meetings.figure_table(meeting)[1]

    def get_basis(self, meeting) -> str:
        return meetings.BASIS


class MeetingViewSet(OutOfScopeIsNotFound, viewsets.ReadOnlyModelViewSet):
    """月报月例会（嘉兴 三(三)）：列表仅嘉兴市级单位（与页面相同，否则 403 并说明原因）；
    单条含记录时所附的当月各县（市、区）数据；数据权限外 404。?year=YYYY 按所议年度筛选。"""

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MonthlyMeeting.objects.none()
        return meeting_rows(self.request.user, self.request.query_params).order_by("-month", "-id")

    @extend_schema(parameters=[OpenApiParameter("year", int, description="所议年度（四位半角数字）")])
    def list(self, request, *args, **kwargs):
        require(meetings.can_view(request.user))
        raw = request.query_params.get("year")
        if raw is not None and raw.strip() and ascii_int(raw.strip(), 1900, 2100) is None:
            refuse("year", "年度应为1900–2100之间的四位半角数字")
        return super().list(request, *args, **kwargs)


ROW_FIELDS = {
    "street": serializers.CharField(help_text="街道（乡镇）"),
    "code": serializers.CharField(allow_null=True),
    "in_progress": serializers.IntegerField(help_text="创建中项目"),
    "avg_progress": serializers.CharField(allow_null=True, help_text="平均形象进度（%），无月报为 null"),
    "overdue": serializers.IntegerField(help_text="逾期时限（个）"),
    "missing_reports": serializers.IntegerField(help_text="缺报月报（个）"),
    "rank": serializers.IntegerField(help_text="排名（平台标准，见 criteria）"),
}
Evaluation = inline_serializer("Evaluation", {
    "month": serializers.CharField(), "first_day": serializers.DateField(), "last_day": serializers.DateField(),
    "basis": serializers.CharField(), "criteria": serializers.CharField(help_text="排名标准（平台拟定，文件未规定）"),
    "columns": serializers.ListField(child=serializers.ListField(child=serializers.CharField())),
    "rows": inline_serializer("EvaluationRow", ROW_FIELDS, many=True),
})


class EvaluationView(APIView):
    """富阳 月度评价通报（富阳 五(六)）：各街道（乡镇）一行，按平台标准排名（criteria 说明其为平台拟定）。
    ?month=YYYY-MM 为已结束的月份，缺省为上一个月；仅富阳区风貌办、街道及管理员（否则 403）。"""

    @extend_schema(parameters=[OpenApiParameter("month", str, description="YYYY-MM，已结束的月份")],
                   responses=Evaluation)
    def get(self, request):
        require(evaluation.can_view(request.user))
        latest = evaluation.last_finished_month(timezone.localdate())
        raw = request.query_params.get("month")
        month = latest if raw is None or not raw.strip() else asked_month(raw.strip(), latest)
        if month is None:
            refuse("month", f"月份应为 YYYY-MM（半角数字），且不晚于{latest:%Y-%m}（已结束的月份）")
        data = evaluation.evaluate(month)
        return Response({**data, "criteria": evaluation.RULE, "columns": [list(c) for c in evaluation.COLUMNS]})
