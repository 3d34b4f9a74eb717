"""Residents in the loop (嘉兴 二(五)13, 绍兴2023 三(一)): surveys tied to a project and its
period, answered by QR code or entered by staff; public notices (公示) with objections; the
共富指数 filings. DOMAIN §4.2, §5, §9."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from communities.scope import ScopedQuerySet


def new_token() -> str:
    return secrets.token_urlsafe(12)


class SurveyTemplate(models.Model):
    """A questionnaire an administrator maintains; a survey copies its questions when created,
    so later edits never change a survey residents are answering."""

    class Kind(models.TextChoices):
        NEEDS = "needs", "需求调研"
        CONSULTATION = "consultation", "动态征询"
        SATISFACTION = "satisfaction", "满意度调研"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    title = models.CharField("标题", max_length=100)
    intro = models.TextField("说明", blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "调研问卷模板"
        ordering = ["kind", "title"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    def question_snapshot(self) -> list[dict]:
        return [q.snapshot() for q in self.questions.all()]


class TemplateQuestion(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "choice", "单选"
        TEXT = "text", "文字"

    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("序号", default=0)
    text = models.CharField("题目", max_length=200)
    kind = models.CharField("题型", max_length=8, choices=Kind.choices, default=Kind.CHOICE)
    options = models.JSONField("选项", default=list, blank=True, help_text="单选题的选项，如 [\"满意\", \"不满意\"]")
    satisfied_options = models.JSONField(
        "计为满意的选项", default=list, blank=True,
        help_text="满意度题：计入满意率的选项；只有一题应填写（满意率 = 选这些选项的份数 ÷ 回答该题的份数）")
    required = models.BooleanField("必答", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "问卷题目"
        ordering = ["template", "order", "id"]

    def __str__(self):
        return self.text

    def snapshot(self) -> dict:
        return {"key": f"q{self.pk}", "text": self.text, "kind": self.kind, "options": list(self.options),
                "satisfied": list(self.satisfied_options), "required": self.required}


class SurveyQuerySet(ScopedQuerySet):
    def with_project(self):
        return self.select_related("project__community", "community", "project__street")


class Survey(models.Model):
    """需求调研 / 动态征询 / 满意度调研 of a project (or, for rows kept from before surveys were
    tied to projects, of a community). 嘉兴 二(五)13."""

    Kind = SurveyTemplate.Kind

    class Source(models.TextChoices):
        QR = "qr", "居民扫码填写"
        STAFF = "staff", "工作人员录入"

    community = models.ForeignKey("communities.Community", verbose_name="社区", on_delete=models.CASCADE,
                                  related_name="resident_surveys")
    project = models.ForeignKey("projects.CreationProject", verbose_name="创建项目", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    title = models.CharField("标题", max_length=100, blank=True)
    intro = models.TextField("说明", blank=True)
    questions = models.JSONField("题目", default=list, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    opens_on = models.DateField("开始日期", null=True, blank=True)
    closes_on = models.DateField("截止日期", null=True, blank=True)
    # staff-entered totals (source = staff); QR surveys compute theirs from the answers
    conducted_on = models.DateField("调研日期", null=True, blank=True)
    sample_size = models.PositiveIntegerField("样本量", null=True, blank=True)
    satisfied_share = models.DecimalField(
        "满意率（%）", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    summary = models.TextField("摘要", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()
    scope_field = "community__street"

    class Meta:
        verbose_name = verbose_name_plural = "居民调研"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "kind"], name="survey_project_kind")]

    def __str__(self):
        return f"{self.community} {self.get_kind_display()} {self.dated_on or ''}"

    @property
    def dated_on(self):
        """The survey's date: when staff say it was conducted, or when the QR survey opened."""
        return self.conducted_on if self.source == self.Source.STAFF else self.opens_on


class Response(models.Model):
    """One resident's answers to a QR survey. Anonymous unless contact details are left (with
    consent, 个人信息保护法); those are erased after RESIDENTS_CONTACT_RETENTION_DAYS."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField("答案", default=dict)
    device = models.CharField(max_length=40, help_text="signed-cookie device id: one answer per device")
    address_key = models.CharField(max_length=64, blank=True, help_text="keyed hash of the client address")
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    contact_consent = models.BooleanField("同意处理联系方式", default=False)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "调研答卷"
        constraints = [models.UniqueConstraint(fields=["survey", "device"], name="response_one_per_device")]
        indexes = [models.Index(fields=["address_key", "submitted_at"], name="response_address_time")]

    def __str__(self):
        return f"{self.survey_id}#{self.pk}"


class Notice(models.Model):
    """公示: a list or plan an office makes public for a period; residents may object."""

    class Kind(models.TextChoices):
        LISTING = "listing", "创建名单公示"
        IMPLEMENTATION_PLAN = "implementation_plan", "实施方案公示（利用存量土地）"
        NAMING = "naming", "命名名单公示"

    class Outcome(models.TextChoices):
        OPEN = "", "公示中"
        NO_OBJECTION = "no_objection", "公示期满无异议"
        OBJECTIONS_RESOLVED = "resolved", "异议已处理，公示结果有效"
        WITHDRAWN = "withdrawn", "撤回公示"

    office = models.ForeignKey("communities.Office", verbose_name="发布机构", on_delete=models.PROTECT,
                               related_name="+")
    region = models.ForeignKey("communities.Region", verbose_name="范围", on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("公示内容")
    projects = models.ManyToManyField("projects.CreationProject", verbose_name="涉及项目", related_name="notices")
    starts_on = models.DateField("公示开始日期")
    period_days = models.PositiveSmallIntegerField("公示天数", validators=[MinValueValidator(1),
                                                                        MaxValueValidator(90)])
    ends_on = models.DateField("公示截止日期")
    outcome = models.CharField("结果", max_length=12, choices=Outcome.choices, blank=True, default="")
    outcome_note = models.TextField("结果说明", blank=True)
    consent_recorded = models.BooleanField("已记录利害关系人同意", default=False)
    consent_note = models.TextField("利害关系人同意情况", blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_field = "region"

    class Meta:
        verbose_name = verbose_name_plural = "公示"
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title


class Objection(models.Model):
    """异议: a resident's objection to a notice; a task of the publishing office with a reply date."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    text = models.TextField("异议内容")
    address_key = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    reply_due_on = models.DateField("答复期限")
    reply = models.TextField("答复", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "公示异议"
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"{self.notice_id}#{self.pk}"


class PublicDisclosure(models.Model):
    """What the street chooses to show of a project on the public site beyond the defaults."""

    project = models.OneToOneField("projects.CreationProject", on_delete=models.CASCADE,
                                   related_name="public_disclosure")
    show_investment = models.BooleanField("公开总投资", default=False)
    attachments = models.ManyToManyField("projects.Attachment", verbose_name="公开附件", blank=True,
                                         related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "公开信息设置"

    def __str__(self):
        return str(self.project_id)


class ProsperityIndicator(models.Model):
    """共富指数 indicator. 嘉兴 二(五)13 asks for 定期填报“共富指数” but does not define it:
    an administrator sets the list (none by default)."""

    name = models.CharField("指标", max_length=60, unique=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    order = models.PositiveSmallIntegerField("序号", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "共富指数指标"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ProsperityFiling(models.Model):
    """One period's 共富指数 figures of a project (嘉兴 二(五)13 定期填报)."""

    project = models.ForeignKey("projects.CreationProject", on_delete=models.PROTECT,
                                related_name="prosperity_filings")
    period = models.DateField("填报期（季度首日）")
    values = models.JSONField("指标值", default=dict)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "project__street"

    class Meta:
        verbose_name = verbose_name_plural = "共富指数填报"
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="prosperity_one_per_period")]

    def __str__(self):
        return f"{self.project_id} {self.period}"
