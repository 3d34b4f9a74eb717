"""更正 of a spending row: asked by the project's street, decided by its district's office
(projects.corrections). The row itself never changes; an approved correction's amount is the
row's effective amount (projects.spending.effective_amount)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from communities.scope import ScopedQuerySet

MONEY = {"max_digits": 16, "decimal_places": 2}


class SpendingCorrection(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待区县审核"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    record = models.ForeignKey("projects.SpendingRecord", on_delete=models.PROTECT, related_name="corrections")
    amount = models.DecimalField("更正后金额（元）", validators=[MinValueValidator(0)], **MONEY)
    reason = models.CharField("更正原因", max_length=200)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.CharField("审核意见", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "record__project__street"

    class Meta:
        verbose_name = verbose_name_plural = "实际支出更正"
        ordering = ["requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["record"], condition=models.Q(state="pending"),
                                               name="one_pending_correction_per_spending")]

    def __str__(self):
        return f"{self.record_id} → {self.amount} ({self.state})"
