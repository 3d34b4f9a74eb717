"""Acceptance (验收), naming (命名) and rectification (整改). DOMAIN §3.1, 嘉兴 二(二)6."""

from django.conf import settings
from django.db import models

from communities.scope import ScopedQuerySet
from portal.validators import free_text, single_line


class RectificationOrder(models.Model):
    """整改单 with its deadline `due_on` (绍兴2023 四 限时督促整改), issued either when acceptance
    fails (the street fixes and re-requests; the request closes it) or by an inspection at any
    stage from listing on (DOMAIN §9; the link to the inspection, the street's replies and the
    issuing office's closing live in supervision). An open inspection order blocks the
    acceptance request (acceptance.receivers.open_inspection_orders)."""

    class Origin(models.TextChoices):
        ACCEPTANCE = "acceptance", "验收未通过"
        INSPECTION = "inspection", "检查发现问题"

    project = models.ForeignKey("projects.CreationProject", on_delete=models.PROTECT,
                                related_name="rectification_orders")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField("整改期限")
    requirements = models.TextField("整改要求", validators=[free_text])
    closed_at = models.DateTimeField("整改完成（重新申请验收）时间", null=True, blank=True)
    origin = models.CharField("来源", max_length=12, choices=Origin.choices, default=Origin.ACCEPTANCE)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "整改单"
        ordering = ["-issued_at"]

    def __str__(self):
        return f"整改单#{self.pk} 项目{self.project_id} 限{self.due_on}"


class BatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A batch is visible to whoever can see its office's region."""
        from communities.scope import region_filter

        condition = region_filter(user, "office__region")
        return self.none() if condition is None else self.filter(condition)


class AcceptanceBatch(models.Model):
    """验收批次: 机动验收 (ad hoc) or 定时验收 (scheduled) by the city office (嘉兴 二(二)6)."""

    class Kind(models.TextChoices):
        AD_HOC = "ad_hoc", "机动验收"
        SCHEDULED = "scheduled", "定时验收"

    kind = models.CharField("验收方式", max_length=10, choices=Kind.choices)
    held_on = models.DateField("验收日期")
    title = models.CharField("批次名称", max_length=120, validators=[single_line])
    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    projects = models.ManyToManyField("projects.CreationProject", related_name="acceptance_batches")
    results_recorded_at = models.DateTimeField(null=True, blank=True)
    # A project that left the acceptance step (returned, rectifying…) is dropped from the batch
    # with a reason, kept here ({"project", "name", "reason", "by", "at"}); a batch left empty or
    # stuck is cancelled (acceptance.batches.drop_project / cancel_batch).
    dropped = models.JSONField("已移出项目", default=list, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "验收批次"
        ordering = ["-held_on"]

    def __str__(self):
        return self.title


class NamingBatch(models.Model):
    """命名批次 with the naming document (文号) and date."""

    title = models.CharField("批次名称", max_length=120, validators=[single_line])
    document_no = models.CharField("命名文号", max_length=80, validators=[single_line])
    named_on = models.DateField("命名日期")
    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    projects = models.ManyToManyField("projects.CreationProject", related_name="naming_batches")

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "命名批次"
        ordering = ["-named_on"]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------- deadlines and alerts (DOMAIN §4)


# Foreign keys without a database constraint (issue #19). The daily sweep writes ~90,000
# deadlines, ~100,000 alerts and as many notifications in single INSERT … SELECTs, each row
# joined from the very rows it refers to. PostgreSQL checks a foreign key row by row, at commit
# for these deferred ones: 12 µs a check, 6.9 s of a 23 s daily sweep at nation scale on a
# 2-core machine. The references stay exact without them:
# - every row is written from a join with the referenced rows;
# - projects, offices, users and deadlines are only deleted through the ORM (no raw DELETE of
#   them anywhere), so on_delete (CASCADE, PROTECT) applies exactly as before;
# - indexes are unchanged.
# tests/acceptance/test_sweep_foreign_keys.py checks the ORM's deletes over these columns, and
# on PostgreSQL that these and only these lack a constraint. Every other foreign key keeps its own.
SWEEP_WRITTEN = (("acceptance.Deadline", "project"), ("acceptance.Alert", "deadline"),
                 ("acceptance.Alert", "office"), ("portal.Notification", "user"),
                 ("portal.Notification", "project"))


class Deadline(models.Model):
    """时限: one dated obligation of a project, computed from its policy, with its basis.

    `key` names the obligation inside the project ("construction", "monthly:2026-10",
    "rectification:12", "public_notice", "year_end"), so recomputing is an upsert. `due_on`
    is indexed (and partially indexed over open/overdue rows): the daily sweep asks SQL for
    candidates instead of walking projects.
    """

    class Kind(models.TextChoices):
        CONSTRUCTION = "construction", "建设完成时限"
        MONTHLY_REPORT = "monthly_report", "月报报送时限"
        RECTIFICATION = "rectification", "整改期限"
        PUBLIC_NOTICE = "public_notice", "存量土地实施方案公示期"
        YEAR_END = "year_end", "当年创建任务完成时限"

    class State(models.TextChoices):
        OPEN = "open", "未到期"
        MET = "met", "已完成"
        OVERDUE = "overdue", "已逾期"
        CANCELLED = "cancelled", "已取消"

    ACTIVE = (State.OPEN, State.OVERDUE)

    # Not indexed alone: deadline_key_per_project (project, key) leads with it (one index fewer
    # for each of the sweep's inserts). No database constraint: see SWEEP_WRITTEN below.
    project = models.ForeignKey("projects.CreationProject", on_delete=models.CASCADE,
                                related_name="deadlines", db_index=False, db_constraint=False)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    key = models.CharField("标识", max_length=40)
    label = models.CharField("名称", max_length=80)
    due_on = models.DateField("到期日", db_index=True)
    basis = models.CharField("依据", max_length=400)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    met_on = models.DateField("完成日期", null=True, blank=True)
    missed = models.BooleanField(
        "曾逾期", default=False, db_index=True,
        help_text="到期日前未完成（包括逾期后才完成的）；富阳“当年未完成创建任务”即 year_end 时限的此标记。")
    month = models.DateField("月报月份", null=True, blank=True)
    order = models.ForeignKey(RectificationOrder, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="deadlines", db_index=False)  # indexed where set: deadline_order
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "时限"
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="deadline_key_per_project")]
        indexes = [models.Index(fields=["due_on"], name="deadline_active_due",
                                condition=models.Q(state__in=["open", "overdue"])),
                   models.Index(fields=["order"], name="deadline_order", condition=models.Q(order__isnull=False)),
                   # The rows acceptance.sweep.mark_met must still mark missed (met late): none
                   # between two sweeps, so its UPDATE reads an empty index, not every deadline.
                   models.Index(fields=["id"], name="deadline_met_late_unmarked",
                                condition=models.Q(state="met", missed=False, met_on__gt=models.F("due_on"))),
                   # The sweep's "changed since the last run" readers (acceptance.sweep_marks.changed:
                   # the alerts to close, the monthly deadlines a report may meet) read two index
                   # ranges of updated_at. Without it a same-day rerun read every open alert with
                   # its deadline to close none (0.4-0.6 s at nation scale; 1 ms with it).
                   models.Index(fields=["updated_at"], name="deadline_updated_at")]

    def __str__(self):
        return f"{self.project_id} {self.label} {self.due_on}"


class Alert(models.Model):
    """预警: one level of one deadline for one recipient office.

    Unique per (deadline, due date, level, period, office): the sweep inserts candidates with
    ON CONFLICT DO NOTHING, so reruns and crashes never duplicate; a moved due date gets its
    own alerts. `period` is the week of lateness for `overdue` (0 otherwise).
    """

    class Level(models.TextChoices):
        D90 = "d90", "90天内到期"
        D30 = "d30", "30天内到期"
        D7 = "d7", "7天内到期"
        DUE = "due", "今日到期"
        OVERDUE = "overdue", "已逾期"

    class State(models.TextChoices):
        OPEN = "open", "未关闭"
        CLOSED = "closed", "已关闭"

    # deadline and office are not indexed alone: the unique constraint and alert_office_state
    # lead with them (two indexes fewer for each alert the sweep inserts).
    # No database constraints on deadline and office: see SWEEP_WRITTEN.
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="alerts", db_index=False,
                                 db_constraint=False)
    due_on = models.DateField("到期日")
    level = models.CharField("级别", max_length=8, choices=Level.choices)
    period = models.PositiveIntegerField("逾期周次", default=0)
    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="alerts",
                               db_index=False, db_constraint=False)
    raised_on = models.DateField("预警日期")
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "deadline__project__street"

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["-raised_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["deadline", "due_on", "level", "period", "office"],
                                               name="alert_once_per_level_and_office")]
        indexes = [
            models.Index(fields=["office", "state"], name="alert_office_state"),
            models.Index(fields=["id"], name="alert_not_notified", condition=models.Q(notified_at=None)),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.deadline_id} → {self.office_id}"


class SweepMark(models.Model):
    """How far one incremental step of the daily sweep got (acceptance.sweep_marks): the day it
    last ran for and a digest of the inputs it read, written in the same transaction as the
    step's rows, so a crashed step leaves the previous mark and the next run redoes the work."""

    step = models.CharField("步骤", max_length=20, primary_key=True)
    day = models.DateField("巡检日期")
    inputs = models.CharField("输入摘要", max_length=64)
    swept_at = models.DateTimeField("巡检时刻")  # the run's `now`, its stamp on the rows it writes
    recorded_at = models.DateTimeField("记录时刻")  # the wall clock when it was written

    class Meta:
        verbose_name = verbose_name_plural = "时限巡检水位"

    def __str__(self):
        return f"{self.step} {self.day}"


# ---------------------------------------------------------------- bulletins


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A city's bulletin is visible to whoever's data scope covers the whole city."""
        from communities.scope import region_filter

        condition = region_filter(user, "city")
        return self.none() if condition is None else self.filter(condition)


class Bulletin(models.Model):
    """月度通报 and 季度晾晒 per district of a city (绍兴2023 四), stored once per period."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "月度通报"
        QUARTERLY = "quarterly", "季度晾晒（排名）"

    city = models.ForeignKey("communities.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    period = models.CharField("期间", max_length=8, help_text="月度：2026-09；季度：2026-Q3")
    data = models.JSONField("数据", default=dict)
    generated_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通报"
        ordering = ["-period", "kind"]
        constraints = [models.UniqueConstraint(fields=["city", "kind", "period"],
                                               name="bulletin_once_per_period")]

    def __str__(self):
        return f"{self.city} {self.get_kind_display()} {self.period}"


class WholeAreaApplication(models.Model):
    """县域 / 街道全域未来社区 (绍兴2023 二(三)): a district (县域) or a street (街道全域) applies as a
    whole; the city office accepts it — looking at the coverage reached and effective operation —
    and publishes the list (文号, 日期). Coverage at application and at decision is kept."""

    class Kind(models.TextChoices):
        COUNTY = "county", "县域全域"
        STREET = "street", "街道全域"

    class State(models.TextChoices):
        APPLIED = "applied", "已申报"
        ACCEPTED = "accepted", "验收通过"
        REFUSED = "refused", "验收未通过"
        PUBLISHED = "published", "已公布"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    region = models.ForeignKey("communities.Region", verbose_name="申报区划", on_delete=models.PROTECT,
                               related_name="whole_area_applications")
    year = models.PositiveSmallIntegerField("申报年度")
    pilot = models.BooleanField("试点", default=False)
    operation_note = models.TextField("运营情况说明", max_length=2000)
    coverage_at_application = models.DecimalField("申报时覆盖率", max_digits=5, decimal_places=4, null=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.APPLIED)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.PROTECT,
                                   related_name="+")
    applied_at = models.DateTimeField("申报时间")
    coverage_at_decision = models.DecimalField("验收时覆盖率", max_digits=5, decimal_places=4, null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="验收人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("验收时间", null=True, blank=True)
    decision_comment = models.CharField("验收意见", max_length=500, blank=True)
    document_no = models.CharField("公布文号", max_length=80, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "region"

    class Meta:
        verbose_name = verbose_name_plural = "县域、街道全域未来社区申报"
        ordering = ["-year", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="whole_area_once_a_year")]

    def __str__(self):
        return f"{self.region} {self.year} {self.get_kind_display()}"
