"""Supervision after listing (DOMAIN §9): inspections and their 整改单, 督办单 and 催办.

The 整改单 itself is acceptance.RectificationOrder (one owner of "an open order is a deadline
with alerts and blocks the acceptance request"); `InspectionOrder` links one of them, issued
with origin "inspection", to the inspection that found the problem and keeps the street's
replies and the issuing office's decisions as append-only events.

An inspection's 整改单 and a 督办单 are handled alike (`ReplyAndReview`, moved only by
supervision.replies): awaiting the reply → replied, awaiting review → closed, or sent back to
awaiting the reply; each step is a row of its append-only history (`HandlingEvent`).
"""

from django.conf import settings
from django.db import models

from communities.scope import ScopedQuerySet
from supervision.replies import HandlingEvent, ReplyAndReview


class NoChangeQuerySet(models.QuerySet):
    """History rows (履历): the ORM refuses bulk updates and deletes."""

    def update(self, **kwargs):
        raise TypeError("履历不可修改")

    def delete(self):
        raise TypeError("履历不可删除")


class AppendOnlyQuerySet(ScopedQuerySet, NoChangeQuerySet):
    pass


class Inspection(models.Model):
    """检查 (绍兴2023 四 “不定期组织开展检查”) of one project, by a district or city office."""

    project = models.ForeignKey("projects.CreationProject", on_delete=models.PROTECT, related_name="inspections")
    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField("检查日期")
    inspectors = models.CharField("检查人员", max_length=200)
    findings = models.TextField("检查发现")
    photos = models.ManyToManyField("projects.Attachment", blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "检查"
        ordering = ["-inspected_on", "-id"]

    def __str__(self):
        return f"检查#{self.pk} {self.inspected_on}"


class InspectionOrder(ReplyAndReview):
    """One 整改单 item issued by an inspection: the order, and where its handling stands."""

    class State(models.TextChoices):
        OPEN = "open", "待整改"
        REPLIED = "replied", "已回复待审核"
        CLOSED = "closed", "已销号"

    AWAITING, REPLIED, CLOSED = State.OPEN, State.REPLIED, State.CLOSED
    CLOSE_DECISION, CLOSE_LABEL, NOUN = "close", "销号", "整改单"

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="orders")
    order = models.OneToOneField("acceptance.RectificationOrder", on_delete=models.PROTECT,
                                 related_name="inspection_link")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)

    objects = ScopedQuerySet.as_manager()
    scope_field = "inspection__project__street"

    class Meta:
        verbose_name = verbose_name_plural = "检查整改单"
        ordering = ["order__due_on", "id"]

    def __str__(self):
        return f"整改单#{self.order_id}"


class OrderEvent(HandlingEvent):
    """履历 of an inspection 整改单: issued, replied (with evidence), closed, sent back."""

    class Action(models.TextChoices):
        ISSUE = "issue", "下达整改单"
        REPLY = "reply", "整改回复"
        CLOSE = "close", "审核销号"
        SEND_BACK = "send_back", "退回重新整改"

    item = models.ForeignKey(InspectionOrder, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    due_on = models.DateField("整改期限", null=True, blank=True)
    evidence = models.ManyToManyField("projects.Attachment", blank=True, related_name="+")

    objects = AppendOnlyQuerySet.as_manager()
    scope_field = "item__inspection__project__street"

    class Meta(HandlingEvent.Meta):
        verbose_name = verbose_name_plural = "整改单履历"


class SupervisionOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A 督办单 is seen by whoever's scope covers the office it is addressed to (so the
        issuing office above it too)."""
        from communities.scope import region_filter

        condition = region_filter(user, "target_office__region")
        return self.none() if condition is None else self.filter(condition)


class SupervisionOrder(ReplyAndReview):
    """督办单 (嘉兴 三(三) “对未来社区建设进展缓慢的县(市、区)开展督办”; 富阳 五(六)): a city office
    to a district office, or a district office to a street office, about named projects, with a
    reply deadline. 催办 of an overdue deadline creates one (`deadline`)."""

    class State(models.TextChoices):
        ISSUED = "issued", "待回复"
        REPLIED = "replied", "已回复待审核"
        CLOSED = "closed", "已办结"

    AWAITING, REPLIED, CLOSED = State.ISSUED, State.REPLIED, State.CLOSED
    CLOSE_DECISION, CLOSE_LABEL, NOUN = "accept", "办结", "督办单"

    issuer_office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    target_office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    projects = models.ManyToManyField("projects.CreationProject", related_name="supervision_orders")
    subject = models.CharField("督办事项", max_length=200)
    requirements = models.TextField("督办要求")
    reply_due_on = models.DateField("回复期限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.ISSUED)
    deadline = models.ForeignKey("acceptance.Deadline", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="催办的逾期事项")
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisionOrderQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "督办单"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["deadline", "issuer_office"],
                                               condition=models.Q(state__in=["issued", "replied"]),
                                               name="one_open_urge_per_deadline_and_office")]

    def __str__(self):
        return f"督办单#{self.pk} {self.subject}"


class SupervisionEvent(HandlingEvent):
    """履历 of a 督办单: issued, replied, reply accepted (办结), sent back."""

    class Action(models.TextChoices):
        ISSUE = "issue", "下发督办单"
        REPLY = "reply", "督办回复"
        ACCEPT = "accept", "审核办结"
        SEND_BACK = "send_back", "退回重新回复"

    order = models.ForeignKey(SupervisionOrder, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)

    objects = NoChangeQuerySet.as_manager()

    class Meta(HandlingEvent.Meta):
        verbose_name = verbose_name_plural = "督办单履历"


class ApprovalRecord(models.Model):
    """绍兴 旧改 approvals of one project (绍兴2023 三(四) 优化项目审批), as recorded by the street or
    the district: 联合审查会商, 立项, 规划许可, and for 新建类 the plan filed with the 现代社区领导小组办公室.
    施工许可 is not recorded here: it is computed from the project (policies.shaoxing_2023)."""

    class Approval(models.TextChoices):
        MERGED = "merged", "合并编报审批项目建议书、可行性研究报告"
        SEPARATE = "separate", "分别审批项目建议书、可行性研究报告"
        FILING = "filing", "备案制（企业利用自有资金建设）"

    project = models.OneToOneField("projects.CreationProject", on_delete=models.PROTECT, related_name="approvals")
    joint_review_on = models.DateField("联合审查会商日期", null=True, blank=True)
    joint_review_departments = models.CharField("参加审查部门", max_length=300, blank=True)
    joint_review_utilities = models.CharField("参加会商单位（电力、水务、燃气等）", max_length=300, blank=True)
    residents_present = models.PositiveIntegerField("到会居民代表（人）", null=True, blank=True)
    minutes = models.ForeignKey("projects.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name="会议纪要")
    approval_mode = models.CharField("立项方式", max_length=10, choices=Approval.choices, blank=True)
    approval_document_no = models.CharField("立项（备案）文号", max_length=80, blank=True)
    project_code = models.CharField("项目代码（赋码）", max_length=40, blank=True)
    planning_permit_exempt = models.BooleanField("联审意见明确无需办理建设工程规划许可", null=True, blank=True)
    new_build_filed_on = models.DateField("新建类方案备案日期", null=True, blank=True)
    new_build_filing_no = models.CharField("备案文号", max_length=80, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "旧改项目审批记录"

    def __str__(self):
        return f"项目{self.project_id} 审批记录"


# ---------------------------------------------------------------- operations after naming (DOMAIN §9)


class Operator(models.Model):
    """运营商 of a named community (嘉兴 二(五)14 综合集成运营商 / 专项服务运营商; 绍兴2023 三(三)
    “允许依法采用邀请招标方式、评定分离办法，确定综合集成运营商”)."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", "综合集成运营商"
        SPECIALISED = "specialised", "专项服务运营商"

    class Selection(models.TextChoices):
        INVITED = "invited", "邀请招标、评定分离"
        OPEN = "open", "公开招标"
        OTHER = "other", "其他方式"

    project = models.ForeignKey("projects.CreationProject", on_delete=models.PROTECT, related_name="operators")
    kind = models.CharField("类型", max_length=14, choices=Kind.choices)
    name = models.CharField("运营商名称", max_length=120)
    services = models.CharField("运营服务（托育、养老、社区商业等）", max_length=200, blank=True)
    selection = models.CharField("确定方式", max_length=10, choices=Selection.choices)
    contract_from = models.DateField("运营期起", null=True, blank=True)
    contract_to = models.DateField("运营期止", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "运营商"
        ordering = ["kind", "id"]

    def __str__(self):
        return self.name


class OperatingReport(models.Model):
    """年度运营报告 of a named community, one per year."""

    project = models.ForeignKey("projects.CreationProject", on_delete=models.PROTECT,
                                related_name="operating_reports")
    year = models.PositiveIntegerField("年度")
    summary = models.TextField("运营情况")
    residents_served = models.PositiveIntegerField("服务居民（人次）", null=True, blank=True)
    revenue = models.DecimalField("运营收入（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    attachment = models.ForeignKey("projects.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "年度运营报告"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="one_operating_report_a_year")]

    def __str__(self):
        return f"{self.year}年度运营报告"


class FundInflow(models.Model):
    """社区运营基金 inflow (绍兴2019 二(五) “试点项目建设盈余资金按一定比例纳入社区运营基金”; the
    document sets no ratio, so the amount is recorded as received, never computed)."""

    class Source(models.TextChoices):
        SURPLUS = "surplus", "试点项目建设盈余资金"
        LAND = "land", "土地出让收益（剔除上缴后）"
        OPERATING = "operating", "运营收益"
        OTHER = "other", "其他"

    project = models.ForeignKey("projects.CreationProject", on_delete=models.PROTECT, related_name="fund_inflows")
    received_on = models.DateField("到账日期")
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "社区运营基金收入"
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"{self.received_on} {self.amount}"


class SummaryQuerySet(models.QuerySet):
    def visible_to(self, user):
        from communities.scope import region_filter

        condition = region_filter(user, "office__region")
        return self.none() if condition is None else self.filter(condition)


class WorkSummary(models.Model):
    """富阳 五(一) “每周、每半月、每月进行工作总结和问题梳理，形成问题清单、工作清单、创新清单”: filed
    by a street (乡镇) office for one period, compiled by the district office."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", "周总结"
        HALF_MONTHLY = "half_monthly", "半月总结"
        MONTHLY = "monthly", "月总结"

    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    period_start = models.DateField("期间起始日")
    problems = models.TextField("问题清单", blank=True)
    work = models.TextField("工作清单", blank=True)
    innovations = models.TextField("创新清单", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工作总结（三张清单）"
        ordering = ["-period_start", "office__region__code"]
        constraints = [models.UniqueConstraint(fields=["office", "kind", "period_start"],
                                               name="one_summary_per_office_kind_period")]

    def __str__(self):
        return f"{self.office} {self.get_kind_display()} {self.period_start}"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A city's monthly meeting is read by whoever's scope covers the city (as its bulletins)."""
        from communities.scope import region_filter

        condition = region_filter(user, "city")
        return self.none() if condition is None else self.filter(condition)


class MonthlyMeeting(models.Model):
    """月报月例会 (嘉兴 三(三) “市风貌办建立健全动态评价督导制度、月报月例会制度”): the record of
    one month's meeting with that month's figures per district attached (a snapshot of the
    bulletin figures, acceptance.bulletins.build, taken when the record is saved)."""

    city = models.ForeignKey("communities.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份（该月1日）")
    held_on = models.DateField("例会日期")
    attendees = models.CharField("参会单位和人员", max_length=400)
    minutes = models.TextField("会议纪要")
    figures = models.JSONField("当月数据", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "月报月例会"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["city", "month"], name="one_meeting_per_city_month")]

    def __str__(self):
        return f"{self.city} {self.month:%Y-%m} 月例会"
