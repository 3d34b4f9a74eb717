import copy
import datetime as dt
import decimal
import functools
import json
from operator import itemgetter

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from communities.models import Community
from portal import compiled
from portal.paging import deferred_slice, page_keys
from portal.validators import free_text, single_line
from projects import services, workflow
from projects.models import (
    SCENARIOS,
    Attachment,
    CreationProject,
    MonthlyReport,
    SpendingRecord,
    Status,
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


# ---------------------------------------------------------------- the list, from values() rows

# Output fields of ProjectSerializer that are not a plain column of the project, and the
# values() column each reads (the computed ones are filled in by `ProjectRows`).
ROW_SOURCES = {
    "community": "community_id", "community_name": "community__name", "street_code": "street__code",
    "street_name": "street__name", "district_code": "street__parent__code", "policy": "policy_code",
    "policy_version": "policy_version_id",
}
ROW_COMPUTED = {"status_label", "review_step_label", "construction_deadline"}
ROW_EXTRA = ["review_step", "construction_deadline", "construction_deadline_basis", "policy_version__policy_code"]
# The bound version's parameters as their JSON text, decoded once per version on a page only when a
# row needs them (a review step's label): as a JSONField they were decoded for every row.
PARAMETERS_TEXT = "policy_version_parameters_text"


class _RowProject:
    """What `workflow.current_step` reads of a project, over a values() row."""

    def __init__(self, row: dict, parameters: dict | None):
        self.policy_code, self.tier = row["policy_code"], row["tier"]
        self.status, self.review_step = row["status"], row["review_step"]
        self._parameters = parameters

    @property
    def policy(self):
        from policies import get_policy

        return get_policy(self.policy_code) if self.policy_code else None

    def parameters(self):
        return self._parameters


class ProjectRows:
    """ProjectSerializer's output for a page of the list, built from `.values()` rows.

    The list is the hottest read of the portal: model instances for a project and its four
    related rows, and DRF's per-field attribute lookups, cost several times the page query
    (nation scale: 38 ms of a 77 ms profiled request). Same fields, same order, same
    formatting: each column goes through the very serializer field ProjectSerializer uses
    (tests/projects/test_list_rows.py compares the two on every status).
    """

    def __init__(self):
        fields = ProjectSerializer().fields
        self.columns = []  # (output name, values() column, representation or None)
        for name in PROJECT_FIELDS:
            if name in ROW_COMPUTED:
                self.columns.append((name, None, None))
                continue
            field = fields[name]
            plain = isinstance(field, (serializers.CharField, serializers.IntegerField,
                                       serializers.BooleanField, serializers.ChoiceField,
                                       serializers.JSONField, serializers.RelatedField))
            self.columns.append((name, ROW_SOURCES.get(name, name), None if plain else _formatter(field)))
        self.deadline = DeadlineField()
        self.labels = dict(Status.choices)

    def values(self) -> list[str]:
        return [source for _, source, _ in self.columns if source] + ROW_EXTRA

    def read(self, queryset):
        """The values() rows `represent` reads."""
        return queryset.values(*self.values(), **{PARAMETERS_TEXT: Cast("policy_version__parameters", TextField())})

    def by_ids(self, ids):
        """`read` of the projects with these keys. The keys come from the page's scoped and
        filtered statement, run just before in the same request."""
        return self.read(CreationProject.objects.filter(pk__in_ids=ids).order_by())

    def represent(self, rows) -> list[dict]:
        from policies import get_policy
        from policies.parameters import validate_parameters

        # The time zone DateTimeField would look up for every value, looked up once per page.
        columns = [(name, source, represent.for_page() if isinstance(represent, _DateTimes) else represent)
                   for name, source, represent in self.columns if source is not None]
        labels, deadline = self.labels, self.deadline
        cleaned: dict[int, dict] = {}
        out = []
        for row in rows:
            item = {}
            for name, source, represent in columns:
                value = row[source]
                item[name] = represent(value) if represent is not None and value is not None else value
            item["status_label"] = labels.get(row["status"], row["status"])
            item["construction_deadline"] = deadline.to_representation(_Deadline(row))
            label = None
            if row["review_step"] is not None and row["policy_code"]:
                version = row["policy_version_id"]
                if version is not None and version not in cleaned:
                    text = row[PARAMETERS_TEXT]
                    cleaned[version] = validate_parameters(get_policy(row["policy_version__policy_code"]),
                                                           (json.loads(text) if text is not None else None) or {})
                step = workflow.current_step(_RowProject(row, cleaned.get(version)))
                label = step.label if step else None
            item["review_step_label"] = label
            out.append({name: item[name] for name in PROJECT_FIELDS})
        return out


def _formatter(field):
    """`field.to_representation`, or the same with its per-value set-up done once."""
    if isinstance(field, serializers.DateTimeField):
        return _DateTimes(field)
    date_format = str(getattr(field, "format", api_settings.DATE_FORMAT)).lower()
    if isinstance(field, serializers.DateField) and date_format == ISO_8601:
        def date_text(value):  # DateField's ISO text of a date, without its per-value checks
            return value.isoformat() if type(value) is dt.date else field.to_representation(value)
        return date_text
    if (isinstance(field, serializers.DecimalField) and field.decimal_places is not None
            and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING) and not field.localize
            and not field.normalize_output):
        # DecimalField.quantize builds its context and quantum for every value.
        context = decimal.getcontext().copy()
        if field.max_digits is not None:
            context.prec = field.max_digits
        quantum, rounding = decimal.Decimal(".1") ** field.decimal_places, field.rounding

        def decimal_text(value):
            if not isinstance(value, decimal.Decimal):
                return field.to_representation(value)
            return f"{value.quantize(quantum, rounding=rounding, context=context):f}"
        return decimal_text
    return field.to_representation


class _DateTimes:
    """A DateTimeField's representation; `for_page()` fixes the current time zone for a page."""

    def __init__(self, field: serializers.DateTimeField):
        self.field = field

    def for_page(self):
        field = copy.copy(self.field)
        field.timezone = zone = field.default_timezone()  # what enforce_timezone reads when set
        if zone is None or str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() != ISO_8601:
            return field.to_representation

        def iso(value):
            """DateTimeField's ISO 8601 text of an aware datetime (enforce_timezone: into the
            page's zone; UTC written Z), without its per-value checks; anything else as it does."""
            if type(value) is not dt.datetime or value.utcoffset() is None:
                return field.to_representation(value)
            try:
                text = value.astimezone(zone).isoformat()
            except OverflowError:
                return field.to_representation(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return iso


class RowPage:
    """What a paginator slices: COUNT on the filtered queryset (no joins), rows as values().

    `queryset.values(...)` with related columns keeps its joins in COUNT, which at nation
    scale turned a 1 ms count into 118 ms; the page itself still needs them."""

    def __init__(self, queryset, rows: ProjectRows, known_count: int | None = None, key: tuple | None = None,
                 ordered_by_pk: bool | None = None):
        # `key`: what the filtered queryset depends on, when its COUNT and its page keys'
        # statement may be compiled once (portal.compiled, portal.paging.page_keys); then
        # `queryset` may be a function building it (a plain filtered queryset, never a union)
        # and `ordered_by_pk` whether its ordering ends with the primary key: it is built only
        # for a statement not kept yet.
        self._queryset, self.rows, self.known_count, self.key = queryset, rows, known_count, key
        self.ordered_by_pk = ordered_by_pk

    @property
    def queryset(self):
        if not isinstance(self._queryset, QuerySet):
            self._queryset = self._queryset()
        return self._queryset

    def count(self) -> int:
        if self.known_count is None:
            self.known_count = (self.queryset.count() if self.key is None
                                else compiled.count((*self.key, "count"), lambda: self.queryset))
        return self.known_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        """Keys first (portal.paging.deferred_slice), then the page's joined rows by those keys,
        in a statement compiled once (portal.compiled.values_by_ids)."""
        if not isinstance(index, slice) or (self.key is None and self.queryset.query.combinator):
            return deferred_slice(self.queryset, index, self.rows.read, itemgetter("id"))
        ids = page_keys(lambda: self.queryset, index, self.known_count, self.key, self.ordered_by_pk)
        found = {row["id"]: row for row in compiled.values_by_ids(("project list rows",), self.rows.by_ids, ids)}
        return [found[pk] for pk in ids if pk in found]  # a row deleted in between is simply gone


@functools.cache
def project_rows() -> ProjectRows:
    """One ProjectRows per process (building the serializer's fields costs ~2 ms)."""
    return ProjectRows()


class _Deadline:
    __slots__ = ("construction_deadline", "construction_deadline_basis", "listed_on")

    def __init__(self, row):
        self.construction_deadline = row["construction_deadline"]
        self.construction_deadline_basis = row["construction_deadline_basis"]
        self.listed_on = row["listed_on"]


class ProjectDetailSerializer(ProjectSerializer):
    available_actions = serializers.SerializerMethodField()
    blocked_actions = serializers.SerializerMethodField()
    prechecks = serializers.SerializerMethodField()
    policy_notes = serializers.SerializerMethodField(
        help_text="绑定说明：超出文件执行期（沿用）、按后施行政策绑定的级别等，标注在项目的每个数字旁")

    class Meta(ProjectSerializer.Meta):
        fields = [*PROJECT_FIELDS, "available_actions", "blocked_actions", "prechecks", "policy_notes"]

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
        # `level` as in simulate_policy's prechecks (CONTRACTS §3); `severity` kept for old clients
        return [{"code": c.code, "level": c.severity, "severity": c.severity, "message": c.message,
                 "basis": c.basis} for c in services.prechecks(project)]

    def get_policy_notes(self, project) -> list[dict]:
        return [{"code": c.code, "level": c.severity, "message": c.message, "basis": c.basis}
                for c in services.policy_notes(project)]


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
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, validators=[free_text])
    listed_on = serializers.DateField(required=False)
    accepted_on = serializers.DateField(required=False)
    named_on = serializers.DateField(required=False)
    due_on = serializers.DateField(required=False)
    document_no = serializers.CharField(required=False, allow_blank=True, max_length=80, validators=[single_line])


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
                  "problems", "next_steps", "decrease_reason", "submitted_at", "updated_at", "locked",
                  "version"]
        read_only_fields = ["submitted_at", "updated_at", "version"]
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
    """The amount and date are checked as sent by projects.spending (ASCII digits, below the
    maximum, not after today) before DRF parses them (Decimal and strptime read full-width and
    Arabic-Indic digits and `1_000`)."""

    project = serializers.PrimaryKeyRelatedField(queryset=CreationProject.objects.none())

    def to_internal_value(self, data):
        from portal.errors import InvalidInput
        from projects.services import today
        from projects.spending import clean_amount, clean_spent_on

        errors = {}
        if hasattr(data, "get"):
            for name, check in (("amount", clean_amount), ("spent_on", lambda v: clean_spent_on(v, today()))):
                try:
                    check(data.get(name))
                except InvalidInput as exc:
                    errors[name] = [exc.fields[name]]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

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
