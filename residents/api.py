"""API endpoints of this app; config/api_urls.py calls register(router).

GET /api/surveys/ (surveys of projects and communities in scope, with their results),
GET /api/notices/ (公示 in scope, with outcome and consent).
"""

import django_filters
from django.db.models import Count
from rest_framework import serializers, viewsets

from communities.api import HideOutOfScopeMixin
from residents.models import Notice, Survey
from residents.selectors import survey_results

extra_urls: list = []


class SurveySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="needs / consultation / satisfaction")
    source = serializers.CharField(read_only=True, help_text="qr（居民扫码填写）/ staff（工作人员录入）")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    dated_on = serializers.DateField(read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = ["id", "project", "community", "kind", "kind_label", "source", "source_label", "title",
                  "dated_on", "opens_on", "closes_on", "results"]

    def get_results(self, survey) -> dict:
        results = survey_results(survey)
        return {"sample_size": results.sample_size,
                "satisfied_share": None if results.satisfied_share is None else str(results.satisfied_share)}


class NoticeSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="listing / implementation_plan / naming")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    office = serializers.CharField(source="office.name", read_only=True)
    objection_count = serializers.IntegerField(read_only=True)
    projects = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_label", "title", "office", "starts_on", "period_days", "ends_on", "outcome",
                  "consent_recorded", "closed_on", "projects", "objection_count"]


class SurveyFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", min_value=1, max_value=2**31 - 1)
    kind = django_filters.ChoiceFilter(choices=Survey.Kind.choices)

    class Meta:
        model = Survey
        fields = ["project", "kind"]


class SurveyViewSet(HideOutOfScopeMixin, viewsets.ReadOnlyModelViewSet):
    """居民调研（嘉兴 二(五)13）：数据权限范围内的调研及其结果（样本量、满意率）。"""

    serializer_class = SurveySerializer
    filterset_class = SurveyFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Survey.objects.none()
        return (Survey.objects.visible_to(self.request.user).prefetch_related("responses")
                .order_by("-created_at", "-id"))


class NoticeViewSet(HideOutOfScopeMixin, viewsets.ReadOnlyModelViewSet):
    """公示：数据权限范围内的公示、结果与利害关系人同意情况。"""

    serializer_class = NoticeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        return (Notice.objects.visible_to(self.request.user).select_related("office").prefetch_related("projects")
                .annotate(objection_count=Count("objections")).order_by("-starts_on", "-id"))


def register(router):
    router.register("surveys", SurveyViewSet, basename="survey")
    router.register("notices", NoticeViewSet, basename="notice")
