"""Acceptance (验收), naming (命名) and rectification (整改). DOMAIN §3.1, 嘉兴 二(二)6."""

from django.conf import settings
from django.db import models

from communities.scope import ScopedQuerySet


class RectificationOrder(models.Model):
    """整改单: acceptance failed; the street must fix and re-request by `due_on`."""

    project = models.ForeignKey("projects.CreationProject", on_delete=models.PROTECT,
                                related_name="rectification_orders")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField("整改期限")
    requirements = models.TextField("整改要求")
    closed_at = models.DateTimeField("整改完成（重新申请验收）时间", null=True, blank=True)

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
    title = models.CharField("批次名称", max_length=120)
    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    projects = models.ManyToManyField("projects.CreationProject", related_name="acceptance_batches")
    results_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "验收批次"
        ordering = ["-held_on"]

    def __str__(self):
        return self.title


class NamingBatch(models.Model):
    """命名批次 with the naming document (文号) and date."""

    title = models.CharField("批次名称", max_length=120)
    document_no = models.CharField("命名文号", max_length=80)
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
