from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.models import Community
from projects import services, workflow
from projects.models import (
    SCENARIOS,
    Attachment,
    CreationProject,
    MonthlyReport,
    SpendingRecord,
    Transition,
    validate_scenarios,
)

PROJECT_FIELDS = [
    "id", "name", "community", "community_name", "street_code", "street_name", "district_code",
    "tier", "category", "involves_demolition", "involves_relocation", "rebuild",
    "linked_old_estate_renovation", "jiaxing_kind", "batch_year", "reserve_stage",
    "responsible_unit", "unit_area_ha", "households", "total_investment", "building_area",
    "government_funded", "changes_land_use", "stock_land_used", "planned_start",
    "planned_finish", "task_year", "scenarios", "status", "status_label", "review_step",
    "review_step_label", "policy", "policy_version", "construction_deadline", "listed_on",
    "listing_document_no", "acceptance_requested_on", "accepted_on", "acceptance_document_no",
    "named_on", "naming_document_no", "last_comment", "created_at", "updated_at",
]
WRITABLE = [
    "name", "tier", "category", "involves_demolition", "involves_relocation", "rebuild",
    "linked_old_estate_renovation", "jiaxing_kind", "batch_year", "reserve_stage",
    "responsible_unit", "unit_area_ha", "households", "total_investment", "building_area",
    "government_funded", "changes_land_use", "stock_land_used", "planned_start",
    "planned_finish", "task_year", "scenarios",
]


@extend_schema_field({"type": "object", "properties": {
    "date": {"type": "string", "format": "date", "nullable": True},
    "basis": {"type": "string"}}})
class DeadlineField(serializers.Field):
    def to_representation(self, project):
        date = project.construction_deadline
        basis = project.construction_deadline_basis
        if project.listed_on is None and not basis:
            basis = "尚未列入创建名单，时限自公布日期起算"
        return {"date": date.isoformat() if date else None, "basis": basis}


class ProjectSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    street_code = serializers.CharField(source="street.code", read_only=True, allow_null=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    district_code = serializers.CharField(source="street.parent.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    review_step_label = serializers.SerializerMethodField()
    policy = serializers.CharField(source="policy_code", read_only=True)
    construction_deadline = DeadlineField(source="*", read_only=True)

    class Meta:
        model = CreationProject
        fields = PROJECT_FIELDS
        read_only_fields = [f for f in PROJECT_FIELDS if f not in WRITABLE]

    def get_review_step_label(self, project) -> str | None:
        step = workflow.current_step(project)
        return step.label if step else None


class ProjectDetailSerializer(ProjectSerializer):
    available_actions = serializers.SerializerMethodField()
    blocked_actions = serializers.SerializerMethodField()
    prechecks = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [*PROJECT_FIELDS, "available_actions", "blocked_actions", "prechecks"]

    def _actions(self, project):
        cache = self.context.setdefault("_actions", {})
        if project.pk not in cache:
            cache[project.pk] = services.available_actions(project, self.context["request"].user)
        return cache[project.pk]

    def get_available_actions(self, project) -> list[dict]:
        return [{"action": a["action"], "label": a["label"], "required": a["required"]}
                for a in self._actions(project)[0]]

    def get_blocked_actions(self, project) -> list[dict]:
        return self._actions(project)[1]

    def get_prechecks(self, project) -> list[dict]:
        return [{"code": c.code, "severity": c.severity, "message": c.message, "basis": c.basis}
                for c in services.prechecks(project)]


class ProjectWriteSerializer(serializers.ModelSerializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.none())
    as_reserve = serializers.BooleanField(required=False, default=False, write_only=True,
                                          help_text="作为谋划储备项目创建")

    class Meta:
        model = CreationProject
        fields = ["community", "as_reserve", *WRITABLE]
        extra_kwargs = {"batch_year": {"required": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "community" in self.fields:
            self.fields["community"].queryset = Community.objects.visible_to(request.user)

    def validate_scenarios(self, value):
        from django.core.exceptions import ValidationError

        try:
            validate_scenarios(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value

    def validate_batch_year(self, value):
        if value > timezone.localdate().year + 5:
            raise serializers.ValidationError("创建年度过远")
        return value


class ProjectUpdateSerializer(ProjectWriteSerializer):
    class Meta(ProjectWriteSerializer.Meta):
        fields = WRITABLE


class ActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(workflow.ACTIONS))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    listed_on = serializers.DateField(required=False)
    accepted_on = serializers.DateField(required=False)
    named_on = serializers.DateField(required=False)
    due_on = serializers.DateField(required=False)
    document_no = serializers.CharField(required=False, allow_blank=True, max_length=80)


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")
    office = serializers.CharField(source="office.name", allow_null=True)

    class Meta:
        model = Transition
        fields = ["id", "action", "action_label", "from_status", "to_status", "step_label",
                  "actor", "office", "at", "comment", "document_no", "decision_date"]


class MonthlyReportSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=CreationProject.objects.none())
    locked = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = ["id", "project", "month", "progress_percent", "investment_completed",
                  "problems", "next_steps", "submitted_at", "updated_at", "locked"]
        read_only_fields = ["submitted_at", "updated_at"]
        validators = []  # one-per-month is checked by the service with a clear message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = CreationProject.objects.visible_to(request.user)

    def get_locked(self, report) -> bool:
        from projects.reports import report_locked

        return report_locked(report.project, report.month)


class SpendingSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=CreationProject.objects.none())

    class Meta:
        model = SpendingRecord
        fields = ["id", "project", "spent_on", "amount", "description", "recorded_at"]
        read_only_fields = ["recorded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = CreationProject.objects.visible_to(request.user)


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "project", "kind", "original_name", "content_type", "size",
                  "uploaded_at", "download_url"]

    def get_download_url(self, attachment) -> str:
        return f"/api/attachments/{attachment.pk}/download/"


SCENARIO_KEYS = [key for key, _ in SCENARIOS]
