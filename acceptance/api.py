"""API endpoints of this app; config/api_urls.py calls register(router).

GET /api/alerts/ (the caller's alerts), GET /api/deadlines/ (deadlines in scope).
"""

import django_filters
from rest_framework import serializers, viewsets

from acceptance import selectors
from acceptance.models import Alert, Deadline

extra_urls: list = []


class DeadlineSerializer(serializers.ModelSerializer):
    # plain strings (values in the labels): "kind"/"state" enums of other apps share the names
    kind = serializers.CharField(read_only=True, help_text="construction / monthly_report / rectification / "
                                                           "public_notice / year_end")
    state = serializers.CharField(read_only=True, help_text="open / met / overdue / cancelled")
    project_name = serializers.CharField(source="project.display_name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Deadline
        fields = ["id", "project", "project_name", "kind", "kind_label", "key", "label", "due_on", "basis",
                  "state", "state_label", "met_on", "missed"]


class AlertSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    office = serializers.CharField(source="office.name", read_only=True)
    project = serializers.IntegerField(source="deadline.project_id", read_only=True)
    project_name = serializers.CharField(source="deadline.project.display_name", read_only=True)
    deadline = DeadlineSerializer(read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "level", "level_label", "period", "state", "raised_on", "due_on", "closed_at", "office",
                  "project", "project_name", "deadline"]


class DeadlineFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", min_value=1, max_value=2**31 - 1)
    kind = django_filters.ChoiceFilter(choices=Deadline.Kind.choices)
    state = django_filters.ChoiceFilter(choices=Deadline.State.choices)
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label="到期日不晚于")
    missed = django_filters.BooleanFilter()

    class Meta:
        model = Deadline
        fields = ["project", "kind", "state", "due_before", "missed"]


class AlertFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="deadline__project_id", min_value=1, max_value=2**31 - 1)
    level = django_filters.ChoiceFilter(choices=Alert.Level.choices)
    state = django_filters.ChoiceFilter(choices=Alert.State.choices)
    kind = django_filters.ChoiceFilter(field_name="deadline__kind", choices=Deadline.Kind.choices)

    class Meta:
        model = Alert
        fields = ["project", "level", "state", "kind"]


class OutOfScopeIsNotFound:
    """An object outside the caller's data scope is 404 whatever the method, never 405."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        if self.lookup_field in kwargs or self.lookup_url_kwarg in kwargs:
            self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)


class DeadlineViewSet(OutOfScopeIsNotFound, viewsets.ReadOnlyModelViewSet):
    """时限：数据权限范围内项目的各类时限及其依据。"""

    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Deadline.objects.none()
        return selectors.deadlines_for(self.request.user).order_by("due_on", "id")


class AlertViewSet(OutOfScopeIsNotFound, viewsets.ReadOnlyModelViewSet):
    """预警：列表为发给本单位的预警（数据权限范围内），all=true 时为数据权限范围内的全部预警；
    详情可查看数据权限范围内的任一预警。"""

    serializer_class = AlertSerializer
    filterset_class = AlertFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Alert.objects.none()
        everything = self.action != "list" or self.request.query_params.get("all") in ("true", "1")
        return selectors.alerts_for(self.request.user, everything).order_by("-raised_on", "-id")


def register(router):
    from acceptance.batch_api import AcceptanceBatchViewSet, NamingBatchViewSet

    router.register("acceptance-batches", AcceptanceBatchViewSet, basename="acceptance-batch")
    router.register("naming-batches", NamingBatchViewSet, basename="naming-batch")
    router.register("deadlines", DeadlineViewSet, basename="deadline")
    router.register("alerts", AlertViewSet, basename="alert")
