"""Creation projects (创建项目), their append-only history, attachments, monthly reports,
spending and funding sources. DOMAIN §3, §6.4."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from communities.scope import ScopedQuerySet
from policies.base import TIER_LABELS
from portal.validators import free_text, single_line

MONEY = {"max_digits": 16, "decimal_places": 2}


class PolicyVersion(models.Model):
    """A dated set of a policy's parameters (amounts, rates, durations, report day...).

    The documents' numbers are the first version of each policy (fixtures/policy_versions.json);
    an administrator adds a later version rather than editing one a project is bound to.
    """

    policy_code = models.CharField("政策", max_length=20)
    effective_from = models.DateField("生效日期")
    parameters = models.JSONField("参数", default=dict)
    note = models.CharField("说明", max_length=200, blank=True)
    # 延续执行: after a document's own period (富阳 2021—2023) an administrator records the
    # document that continues it; until then projects bound later are flagged 超出文件执行期.
    continuation_document_no = models.CharField(
        "延续执行文件文号", max_length=80, blank=True,
        help_text="文件执行期届满后延续执行的文件文号；录入后，该版本生效后绑定的项目不再标注“超出文件执行期”。")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "政策参数版本"
        ordering = ["policy_code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["policy_code", "effective_from"],
                                               name="policy_version_unique_date")]

    def __str__(self):
        return f"{self.policy_code} 自{self.effective_from}"

    @property
    def policy(self):
        from policies import get_policy

        return get_policy(self.policy_code)

    def clean(self):
        from policies import get_policy
        from policies.base import FactsError, ParameterError, validate_parameters

        try:
            policy = get_policy(self.policy_code)
        except FactsError as exc:
            raise ValidationError({"policy_code": exc.message}) from None
        try:
            validate_parameters(policy, self.parameters or {})
        except ParameterError as exc:
            raise ValidationError({"parameters": f"{exc.key}：{exc.message}"}) from None

    def cleaned_parameters(self) -> dict:
        from policies.base import validate_parameters

        return validate_parameters(self.policy, self.parameters or {})


class Status(models.TextChoices):
    RESERVE = "reserve", "谋划储备"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "已退回"
    REJECTED = "rejected", "申报不通过"
    LISTED = "listed", "已列入创建名单（创建中）"
    ACCEPTANCE_REQUESTED = "acceptance_requested", "已申请验收"
    ACCEPTANCE_REVIEW = "acceptance_review", "验收审核中"
    RECTIFYING = "rectifying", "整改中"
    ACCEPTED = "accepted", "已通过验收"
    NAMED = "named", "已命名"
    WITHDRAWN = "withdrawn", "已撤回"
    TERMINATED = "terminated", "已终止"


# Left the workflow without acceptance (不予通过, 撤回, 终止): no deadlines, no subsidy, not under way.
LEFT_STATUSES = (Status.REJECTED, Status.WITHDRAWN, Status.TERMINATED)
FINAL_STATUSES = {*LEFT_STATUSES, Status.NAMED}
LISTED_STATUSES = {Status.LISTED, Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_REVIEW,
                   Status.RECTIFYING}

def project_display_name(name: str, community_name: str, tier: str) -> str:
    """项目名称: the project's own name, else 「<社区><级别>未来社区」 — the one rule, read by the
    model, the reports and (as SQL) the alert notices (projects.selectors.display_name_sql)."""
    return name or f"{community_name}{TIER_LABELS.get(tier, '')}未来社区"


SCENARIOS = [
    ("neighbourhood", "邻里"), ("education", "教育"), ("health", "健康"),
    ("entrepreneurship", "创业"), ("transport", "交通"), ("low_carbon", "低碳"),
    ("architecture", "建筑"), ("services", "服务"), ("governance", "治理"),
]
SCENARIO_LEVELS = [("standard", "标配"), ("optional", "选配"), ("na", "不涉及")]


def validate_scenarios(value):
    if not isinstance(value, dict):
        raise ValidationError("九大场景应为对象")
    keys = dict(SCENARIOS)
    levels = dict(SCENARIO_LEVELS)
    for key, entry in value.items():
        if key not in keys:
            raise ValidationError(f"未知场景“{key}”")
        if not isinstance(entry, dict) or entry.get("level") not in levels:
            raise ValidationError(f"场景“{keys[key]}”应标注为标配、选配或不涉及")
        if len(str(entry.get("plan", ""))) > 2000:
            raise ValidationError(f"场景“{keys[key]}”的方案过长（最多2000字）")
        try:
            free_text(str(entry.get("plan", "")))
        except ValidationError as exc:
            raise ValidationError(f"场景“{keys[key]}”的方案{exc.messages[0]}") from None


class ProjectQuerySet(ScopedQuerySet):
    def for_list(self):
        """Everything a list row shows, in one query (the policy version gives the label of
        the chain step a project under review waits on)."""
        return self.select_related("community", "street__parent__parent", "policy_version")


class CreationProject(models.Model):
    """One community's attempt at one tier (DOMAIN §3)."""

    class Tier(models.TextChoices):  # labels: policies.base.TIER_LABELS, their one owner
        PROVINCIAL = "provincial", TIER_LABELS["provincial"]
        MUNICIPAL = "municipal", TIER_LABELS["municipal"]
        COUNTY = "county", TIER_LABELS["county"]

    class Category(models.TextChoices):
        RENOVATION = "renovation", "旧改类"
        NEW_BUILD = "new_build", "新建类"

    class JiaxingKind(models.TextChoices):
        LEADING = "leading", "引领型"
        INCLUSIVE = "inclusive", "普惠型"

    class ReserveStage(models.TextChoices):
        PLANNING = "planning", "谋划"
        RESERVE = "reserve", "储备"
        STARTING = "starting", "启动"
        MATURE = "mature", "成熟"

    community = models.ForeignKey("communities.Community", verbose_name="社区",
                                  on_delete=models.PROTECT, related_name="projects")
    # db_index=False: the index (street, id) below leads with it (and orders a scope's pages)
    street = models.ForeignKey("communities.Region", verbose_name="实施街道", db_index=False,
                               on_delete=models.PROTECT, related_name="projects")
    name = models.CharField("项目名称", max_length=120, blank=True, validators=[single_line])
    tier = models.CharField("创建级别", max_length=12, choices=Tier.choices)
    category = models.CharField("创建类型", max_length=12, choices=Category.choices)
    involves_demolition = models.BooleanField("旧改类涉及拆改", default=False)
    involves_relocation = models.BooleanField("新建类涉及拆迁安置", default=False)
    rebuild = models.BooleanField("拆除重建", default=False)
    linked_old_estate_renovation = models.BooleanField("联动老旧小区改造", default=False)
    old_town_unit = models.ForeignKey(
        "communities.OldTownUnit", verbose_name="古城单元", null=True, blank=True, on_delete=models.PROTECT,
        related_name="projects", help_text="越城区古城全域未来社区的单元（绍兴2023 二(二)）；其他项目留空。")
    jiaxing_kind = models.CharField("嘉兴创建类型", max_length=10, choices=JiaxingKind.choices,
                                    blank=True)
    batch_year = models.PositiveSmallIntegerField(
        "创建年度", validators=[MinValueValidator(2019), MaxValueValidator(2035)])
    reserve_stage = models.CharField("储备阶段", max_length=10, choices=ReserveStage.choices,
                                     blank=True)
    responsible_unit = models.CharField("责任单位", max_length=100, blank=True, validators=[single_line])
    unit_area_ha = models.DecimalField("单元面积（公顷）", max_digits=9, decimal_places=2, null=True,
                                       blank=True, validators=[MinValueValidator(0)])
    households = models.PositiveIntegerField("涉及户数", null=True, blank=True)
    total_investment = models.DecimalField("总投资（元）", null=True, blank=True,
                                           validators=[MinValueValidator(0)], **MONEY)
    building_area = models.DecimalField("建筑面积（㎡）", max_digits=12, decimal_places=2,
                                        null=True, blank=True, validators=[MinValueValidator(0)])
    government_funded = models.BooleanField("政府投资项目", default=True)
    changes_land_use = models.BooleanField("涉及用地、用途、面积或结构变更", default=False)
    stock_land_used = models.BooleanField("利用存量土地", default=False)
    planned_start = models.DateField("计划开工（月）", null=True, blank=True)
    planned_finish = models.DateField("计划完工（月）", null=True, blank=True)
    task_year = models.PositiveSmallIntegerField("任务年度", null=True, blank=True,
                                                 help_text="计划完工年度；默认取建设完成时限的年份")
    scenarios = models.JSONField("九大场景", default=dict, blank=True,
                                 validators=[validate_scenarios])

    policy_code = models.CharField("适用政策", max_length=20, blank=True)
    policy_version = models.ForeignKey(PolicyVersion, verbose_name="政策参数版本", null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=24, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    review_step = models.PositiveSmallIntegerField("审核环节", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False,
                                          help_text="compare-and-set counter for transitions")
    last_comment = models.TextField("最近审核意见", blank=True)

    listed_on = models.DateField("列入名单日期", null=True, blank=True)
    listing_document_no = models.CharField("列入名单文号", max_length=80, blank=True)
    acceptance_requested_on = models.DateField("申请验收日期", null=True, blank=True)
    accepted_on = models.DateField("验收通过日期", null=True, blank=True)
    acceptance_document_no = models.CharField("验收文号", max_length=80, blank=True)
    named_on = models.DateField("命名日期", null=True, blank=True)
    naming_document_no = models.CharField("命名文号", max_length=80, blank=True)
    # An indexed copy of the construction Deadline row's date for the list filters: written only
    # by projects.deadlines.store_construction_deadlines, with the row (acceptance.deadlines).
    construction_deadline = models.DateField("建设完成时限", null=True, blank=True, db_index=True)
    construction_deadline_basis = models.CharField("时限依据", max_length=400, blank=True)
    spending_final = models.BooleanField("实际支出已决算", default=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()
    scope_field = "street"

    class Meta:
        verbose_name = verbose_name_plural = "创建项目"
        ordering = ["-batch_year", "-id"]
        indexes = [
            # A scope is a set of streets: its newest page is the top 50 ids of an index-only scan
            # of these, sorted, instead of walking every id backwards to find the scope's
            # (issue #19: a city's page 3.2 ms → 0.6 ms, filtered by status 7.9 ms → 0.4 ms).
            models.Index(fields=["street", "id"], name="project_street_id"),
            models.Index(fields=["street", "status", "id"], name="project_street_status_id"),
            # The menu's 待办 count on every page of a reviewing office (projects.selectors
            # review_waiting: every chain step requires a review_step): a city's 3,614 projects
            # filtered one by one took 2.6 ms, its 754 under review 0.7 ms (issue #19). With every
            # column the condition tests, the count is an index-only scan: 1.27 → 0.46 ms for
            # Jiaxing at nation scale (596 → 245 buffers, no heap fetch once vacuumed).
            models.Index(fields=["street", "status", "review_step", "tier", "policy_code"],
                         name="project_review_waiting_all", condition=models.Q(review_step__isnull=False)),
            models.Index(fields=["tier", "status"], name="project_tier_status"),
            # list API at nation scale (migration 0003, measured by benchmarks/bench_nation.py)
            models.Index(fields=["batch_year", "id"], name="project_batch_year_id"),
            models.Index(fields=["street", "construction_deadline"], name="project_overdue_candidates",
                         condition=models.Q(status__in=["listed", "rectifying"])),
            models.Index(fields=["id"], name="project_named", condition=~models.Q(name="")),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return project_display_name(self.name, self.community.name, self.tier)

    @property
    def district_code(self) -> str | None:
        return self.street.district_code

    @property
    def policy(self):
        from policies import get_policy

        return get_policy(self.policy_code) if self.policy_code else None

    def parameters(self) -> dict | None:
        return self.policy_version.cleaned_parameters() if self.policy_version_id else None


class HistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("流转记录只能追加，不能修改")

    def delete(self):
        raise PermissionError("流转记录只能追加，不能删除")


class ProjectCount(models.Model):
    """Projects per (street, status), as deltas appended by database triggers (projects.counts)."""

    street_id = models.IntegerField()  # 0: the whole portal (projects.counts.PORTAL)
    status = models.CharField(max_length=24)
    n = models.BigIntegerField()

    class Meta:
        # n in the index: a scope's count is an index-only scan (PostgreSQL; recount() vacuums)
        indexes = [models.Index(fields=["street_id", "status", "n"], name="project_count_key")]

    def __str__(self):
        return f"{self.street_id} {self.status} {self.n:+d}"


class Transition(models.Model):
    """One workflow transition. Append-only: the ORM refuses updates and deletes and the
    database has triggers that refuse them too (migration 0002)."""

    project = models.ForeignKey(CreationProject, on_delete=models.PROTECT,
                                related_name="transitions")
    action = models.CharField("操作", max_length=32)
    action_label = models.CharField("操作名称", max_length=40)
    from_status = models.CharField("原状态", max_length=24)
    to_status = models.CharField("新状态", max_length=24)
    step_label = models.CharField("审核环节", max_length=60, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    office = models.ForeignKey("communities.Office", null=True, on_delete=models.PROTECT,
                               related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("意见", blank=True)
    document_no = models.CharField("文号", max_length=80, blank=True)
    decision_date = models.DateField("决定日期", null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "流转记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["project", "at"], name="transition_project_at")]

    def __str__(self):
        return f"{self.project_id} {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("流转记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("流转记录只能追加，不能删除")


def attachment_path(instance, filename):
    # The stored name never contains the user's file name (path traversal, odd characters).
    import uuid

    return f"attachments/{instance.project_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        APPLICATION_PLAN = "application_plan", "申报方案"
        CREATION_PLAN = "creation_plan", "创建方案"
        IMPLEMENTATION_PLAN = "implementation_plan", "实施方案"
        OPERATION_PLAN = "operation_plan", "运营方案"
        PUBLIC_SERVICE_PLAN = "public_service_plan", "公共服务设施配置和运营方案"
        INTEGRATED_DESIGN = "integrated_design", "一体化设计方案"
        MEETING_MINUTES = "meeting_minutes", "会议纪要"
        PHOTO = "photo", "照片"
        ACCEPTANCE_MATERIAL = "acceptance_material", "验收材料"
        OTHER = "other", "其他"

    project = models.ForeignKey(CreationProject, on_delete=models.PROTECT,
                                related_name="attachments")
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name


class MonthlyReport(models.Model):
    """月报: one per project per month, editable until its due day (DOMAIN §4.2)."""

    project = models.ForeignKey(CreationProject, on_delete=models.PROTECT,
                                related_name="monthly_reports")
    month = models.DateField("月份", help_text="该月1日")
    progress_percent = models.DecimalField(
        "形象进度（%）", max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    investment_completed = models.DecimalField("累计完成投资（元）",
                                               validators=[MinValueValidator(0)], **MONEY)
    problems = models.TextField("存在问题", blank=True, validators=[free_text])
    next_steps = models.TextField("下步计划", blank=True, validators=[free_text])
    decrease_reason = models.TextField("进度或投资下降原因", blank=True, validators=[free_text])
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False,
                                          help_text="compare-and-set counter for edits")

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "月报"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"],
                                               name="monthly_report_one_per_month")]
        # The sweep looks for the reports submitted or changed since its last run
        # (acceptance.sweep_marks.reported_candidates): a few of millions.
        indexes = [models.Index(fields=["submitted_at"], name="monthly_report_submitted"),
                   models.Index(fields=["updated_at"], name="monthly_report_updated")]

    def __str__(self):
        return f"{self.project_id} {self.month:%Y-%m}"


class SpendingRecord(models.Model):
    """实际支出 recorded by the street; the settlement uses their sum (DOMAIN §6.2)."""

    project = models.ForeignKey(CreationProject, on_delete=models.PROTECT,
                                related_name="spending")
    spent_on = models.DateField("支出日期")
    amount = models.DecimalField("金额（元）", validators=[MinValueValidator(0)], **MONEY)
    description = models.CharField("用途", max_length=200, validators=[single_line])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The one-time token of the form (or the API's Idempotency-Key) that created the row: a
    # second POST of the same form (a double click) finds it taken and creates nothing.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "实际支出"
        ordering = ["spent_on", "id"]

    def __str__(self):
        return f"{self.project_id} {self.spent_on} {self.amount}"


class FundingSource(models.Model):
    """资金来源 (DOMAIN §6.4)."""

    class Source(models.TextChoices):
        DISTRICT_SPECIAL = "district_special", "区财政专项资金（以奖代补）"
        PROVINCE_GRANT = "province_grant", "上级补助（省）"
        CITY_GRANT = "city_grant", "上级补助（市）"
        DEPARTMENT = "department", "部门政府专项经费"
        DISTRICT_IT = "district_it", "区信息化专项"
        LAND_TRANSFER = "land_transfer", "土地出让收益"
        PROVINCIAL_FUND = "provincial_fund", "省未来社区建设投资基金"
        BANK_CREDIT = "bank_credit", "银行信贷"
        SOCIAL_CAPITAL = "social_capital", "社会资本"
        STREET_OWN = "street_own", "街道自筹"

    project = models.ForeignKey(CreationProject, on_delete=models.CASCADE,
                                related_name="funding_sources")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    amount = models.DecimalField("金额（元）", validators=[MinValueValidator(0)], **MONEY)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "资金来源"
        constraints = [models.UniqueConstraint(fields=["project", "source"],
                                               name="funding_source_once")]

    def __str__(self):
        return f"{self.get_source_display()} {self.amount}"


from projects.corrections_model import ReportCorrection  # noqa: E402,F401  (月报更正申请)
from projects.spending_models import SpendingCorrection  # noqa: E402,F401 (a model of this app)
