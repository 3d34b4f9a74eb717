"""Subsidy records (奖补资金): the approved subsidy A, the payments (拨付批次) with their
states. DOMAIN §6, §7, §8.

A paid payment (已拨付) is final: the ORM refuses to change or delete it (below) and so
does PostgreSQL (trigger, migration 0002). A later change of facts or parameters becomes
an `adjustment` payment with its own trigger and reason, never an edit of a paid row.
"""

from django.conf import settings
from django.db import models

from communities.scope import ScopedQuerySet

MONEY = {"max_digits": 16, "decimal_places": 2}
PAID_IS_FINAL = "已拨付的资金记录不能修改或删除；如需更正，请通过调整（补拨或应退回）处理"


class ApprovedSubsidy(models.Model):
    """核定补助 A of one project, as the last computation determined it (DOMAIN 6.2)."""

    project = models.OneToOneField("projects.CreationProject", verbose_name="创建项目",
                                   on_delete=models.PROTECT, related_name="approved_subsidy")
    amount = models.DecimalField("核定补助（元）", **MONEY)
    basis = models.CharField("依据", max_length=300)
    policy_version = models.ForeignKey("projects.PolicyVersion", verbose_name="政策参数版本",
                                       null=True, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField("核定计算时间")

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "核定补助"

    def __str__(self):
        return f"{self.project_id} 核定 {self.amount}"


class PaymentQuerySet(ScopedQuerySet):
    """Paid rows are never changed: update() and delete() refuse them."""

    def update(self, **kwargs):
        if self.filter(state=Payment.State.PAID).exists():
            raise PermissionError(PAID_IS_FINAL)
        # The exclude keeps a row paid between the check and the write untouched too.
        return super(PaymentQuerySet, self.exclude(state=Payment.State.PAID)).update(**kwargs)

    def delete(self):
        if self.filter(state=Payment.State.PAID).exists():
            raise PermissionError(PAID_IS_FINAL)
        return super(PaymentQuerySet, self.exclude(state=Payment.State.PAID)).delete()

    def for_list(self):
        """Everything a ledger row shows, in one query."""
        return self.select_related("project__community", "project__street__parent")


class Payment(models.Model):
    """One tranche (拨付批次): planned (计划) → approved (核定) → paid (已拨付).

    (project, kind, payer, trigger) is unique, so recomputing never adds a second tranche
    for the same trigger. A negative amount is to be recovered (应退回).
    """

    class Kind(models.TextChoices):
        ADVANCE = "advance", "年底预拨"
        SETTLEMENT = "settlement", "决算拨付"
        AWARD = "award", "命名奖补"
        ADJUSTMENT = "adjustment", "调整"

    class Payer(models.TextChoices):
        CITY = "city", "市财政"
        DISTRICT = "district", "区财政"
        COUNTY = "county", "县（市）财政"

    class State(models.TextChoices):
        PLANNED = "planned", "计划"
        APPROVED = "approved", "已核定"
        PAID = "paid", "已拨付"

    project = models.ForeignKey("projects.CreationProject", verbose_name="创建项目",
                                on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    payer = models.CharField("拨付财政", max_length=10, choices=Payer.choices)
    trigger = models.CharField("触发事由", max_length=100,
                               help_text="稳定键：year_end_advance:2022、settlement、naming:provincial、"
                                         "adjust:settlement:settlement:1 …")
    amount = models.DecimalField("金额（元）", help_text="负数为应退回", **MONEY)
    due_on = models.DateField("应拨付日期", null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        "年度", db_index=True, help_text="应拨付日期所在年度；决算与调整为核定计算所在年度")
    basis = models.CharField("依据", max_length=300)
    reason = models.CharField("说明", max_length=300, blank=True)
    policy_version = models.ForeignKey("projects.PolicyVersion", verbose_name="政策参数版本",
                                       null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PLANNED,
                             db_index=True)
    computed_at = models.DateTimeField("计算时间")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核定人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("核定时间", null=True, blank=True)
    voucher_no = models.CharField("拨付凭证号", max_length=60, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="拨付经办人", null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField("拨付时间", null=True, blank=True)

    objects = PaymentQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "奖补资金拨付"
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "payer", "trigger"],
                                    name="payment_once_per_trigger"),
            models.CheckConstraint(
                condition=~models.Q(state="paid") | (models.Q(paid_at__isnull=False)
                                                     & ~models.Q(voucher_no="")),
                name="payment_paid_has_voucher"),
        ]
        indexes = [models.Index(fields=["state", "payer"], name="payment_state_payer")]

    def __str__(self):
        return f"{self.project_id} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        # Asked of the database, not of this instance: it may have been paid since it was read.
        if self.pk is not None and Payment.objects.filter(pk=self.pk, state=self.State.PAID).exists():
            raise PermissionError(PAID_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.state == self.State.PAID or Payment.objects.filter(pk=self.pk, state=self.State.PAID).exists():
            raise PermissionError(PAID_IS_FINAL)
        return super().delete(*args, **kwargs)

    @property
    def to_recover(self) -> bool:
        return self.amount < 0


class SubsidyOverride(models.Model):
    """一事一议 (富阳 五(三) “有特殊情况的实行一事一议”): finance proposes another approved amount
    for one project, with its reason and document number; the district office approves or
    refuses it. An approved override replaces A in the computation and shows on the statement;
    each step is also written to the project's history. Rows are never edited after a decision."""

    class State(models.TextChoices):
        REQUESTED = "requested", "待区审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    project = models.ForeignKey("projects.CreationProject", verbose_name="创建项目",
                                on_delete=models.PROTECT, related_name="subsidy_overrides")
    amount = models.DecimalField("一事一议核定补助（元）", **MONEY)
    reason = models.CharField("特殊情况说明", max_length=300)
    document_no = models.CharField("文号", max_length=80)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人",
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("提出时间")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.CharField("审批意见", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "一事一议核定"
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["project"], condition=models.Q(state="requested"), name="one_open_override_per_project")]

    def __str__(self):
        return f"{self.project_id} 一事一议 {self.amount}（{self.get_state_display()}）"

    @property
    def note(self) -> str:
        """How the statement cites it: reason, document number, who approved."""
        by = self.decided_by.office.name if self.decided_by_id and self.decided_by.office_id else "区领导小组办公室"
        return f"{self.reason}（{self.document_no}，{by}批准）"


class SubsidyRunMark(models.Model):
    """What every community mark (SubsidyCommunityMark) assumes of the whole run
    (subsidies.run_marks): the rules' code, the shared facts (policy versions, regions) and the
    last day a community was computed on. Any of them changed, a date before that day or a new
    year: the next run computes every community."""

    key = models.CharField("运行", max_length=30, primary_key=True)
    day = models.DateField("计算日期")
    shared = models.CharField("共用事实摘要", max_length=64)
    code = models.CharField("规则代码摘要", max_length=64)
    recorded_at = models.DateTimeField("记录时刻")

    class Meta:
        verbose_name = verbose_name_plural = "补助计算水位"

    def __str__(self):
        return f"{self.key} {self.day}"


class SubsidyCommunityMark(models.Model):
    """One community's inputs as the last computation of it left them (subsidies.run_marks):
    the rows and an order-independent hash of its facts and of its ledger, and the first day its
    result can change by the date alone. Unchanged inputs before that day: the next run skips it."""

    community = models.OneToOneField("communities.Community", verbose_name="社区", primary_key=True,
                                     on_delete=models.CASCADE, related_name="+")
    facts_rows = models.IntegerField("事实行数")
    facts_hash = models.BigIntegerField("事实摘要")
    ledger_rows = models.IntegerField("台账行数")
    ledger_hash = models.BigIntegerField("台账摘要")
    valid_until = models.DateField("按日期需重算日", null=True, blank=True)
    computed_on = models.DateField("计算日期")

    class Meta:
        verbose_name = verbose_name_plural = "社区补助计算水位"

    def __str__(self):
        return f"{self.community_id} {self.computed_on}"
