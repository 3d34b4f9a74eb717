"""Read-only API of 年度目标管理考核 (嘉兴 三(三); issue #17 item 3), registered in
config/api_urls.py: GET /api/assessments/?year=&district=. The figures are
dashboards.assessment.assessment's (the page's owner); the permission is the page's
(can_view_assessment, 403 with the reason); a district outside the data scope is 404; a bad
year or district code is 400 naming the parameter."""

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards import assessment as assess
from dashboards import cache
from dashboards.permissions import can_view_assessment
from portal.errors import InvalidInput
from portal.permissions import require
from portal.validators import ascii_int

KEYS = ["target", "district", "year", "goal", "actual", "result", "basis", "scope"]

LINE_FIELDS = {key: serializers.CharField(allow_null=True, help_text=label)
               for key, label in zip(KEYS, assess.COLUMNS, strict=True)}
ENTRY = inline_serializer("AssessmentDistrict", many=True, fields={
    "code": serializers.CharField(), "name": serializers.CharField(),
    "rank": serializers.IntegerField(help_text="名次（平台标准，见 ranking_criteria）"),
    "met": serializers.IntegerField(help_text="达标项数"),
    "lines_count": serializers.IntegerField(help_text="考核项数"),
    "streets_share": serializers.CharField(allow_null=True, help_text="已申报镇（街道）占比"),
    "applications": serializers.IntegerField(help_text="申报项目数"),
    "lines": inline_serializer("AssessmentLine", LINE_FIELDS, many=True),
})
Assessment = inline_serializer("Assessment", {
    "year": serializers.IntegerField(), "basis": serializers.CharField(),
    "ranking_criteria": serializers.CharField(help_text="排名标准（平台拟定，文件未规定评分办法）"),
    "districts": ENTRY,
})


def _refuse(field: str, message: str):
    raise InvalidInput(message, {field: message})


class AssessmentView(APIView):
    """年度目标管理考核（嘉兴 三(三)）：各县（市、区）本年度目标、实际值、完成情况及依据与统计口径，
    并按平台标准排名。仅嘉兴市级单位和各县（市、区）单位（本区）及管理员（否则 403）；
    ?year= 缺省为本年度，?district= 为数据权限内的县（市、区）代码（其外 404）。"""

    @extend_schema(parameters=[OpenApiParameter("year", int, description="考核年度"),
                               OpenApiParameter("district", str, description="县（市、区）行政区划代码")],
                   responses=Assessment)
    def get(self, request):
        require(can_view_assessment(request.user))
        today = timezone.localdate()
        choices = assess.years(today)
        raw = request.query_params.get("year", "").strip()
        year = ascii_int(raw, choices[0], choices[-1]) if raw else today.year
        if year is None:
            _refuse("year", f"考核年度应为{choices[0]}–{choices[-1]}之间的四位半角数字")
        code = request.query_params.get("district", "").strip()
        if code:
            if ascii_int(code) is None or len(code) > 12:
                _refuse("district", "县（市、区）代码应为半角数字")
            if code not in {d["code"] for d in assess.districts(request.user)}:
                raise Http404("该县（市、区）不在您的数据权限内")
        entries = cache.assessment(request.user, year, today, code or None).value
        return Response({
            "year": year, "basis": assess.ASSESSMENT_BASIS, "ranking_criteria": assess.RANKING_CRITERIA,
            "districts": [{
                "code": e["code"], "name": e["name"], "rank": e["rank"], "met": e["met"],
                "lines_count": len(e["lines"]),
                "streets_share": None if e["streets_share"] is None else str(e["streets_share"]),
                "applications": e["applications"],
                "lines": [{key: None if cell is None else str(cell) for key, cell in zip(KEYS, line, strict=True)}
                          for line in e["lines"]],
            } for e in entries],
        })


def register(router):
    """No viewset: the assessment is one document per query, served from extra_urls."""


extra_urls = [path("assessments/", AssessmentView.as_view(), name="assessment-list")]
