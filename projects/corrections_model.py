"""月报更正申请: after a 月报 is locked (its due day passed) the street asks to correct it; the
district office approves (the corrected figures are applied by projects.report_corrections) or
rejects. Both are also recorded in the project's history (projects_transition)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from communities.scope import ScopedQuerySet

MONEY = {"max_digits": 16, "decimal_places": 2}


class ReportCorrection(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "已驳回"

    report = models.ForeignKey("projects.MonthlyReport", verbose_name="月报", on_delete=models.PROTECT,
                               related_name="corrections")
    progress_percent = models.DecimalField(
        "形象进度（%）", max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    investment_completed = models.DecimalField("累计完成投资（元）",
                                               validators=[MinValueValidator(0)], **MONEY)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步计划", blank=True)
    reason = models.TextField("更正原因")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "report__project__street"

    class Meta:
        verbose_name = verbose_name_plural = "月报更正申请"
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["report"], condition=models.Q(state="pending"),
                                               name="report_correction_one_pending")]

    def __str__(self):
        return f"{self.report} 更正申请#{self.pk}"
