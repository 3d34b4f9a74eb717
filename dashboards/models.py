"""The annual creation plan (年度创建计划, 绍兴2023 附件): targets read by the dashboards."""

from django.db import models

from communities.scope import ScopedQuerySet
from policies.base import TIER_LABELS


class AnnualPlan(models.Model):
    """年度创建计划: planned number of creations per district, year and tier (绍兴2023 附件)."""

    district = models.ForeignKey("communities.Region", verbose_name="区、县（市）",
                                 on_delete=models.PROTECT, related_name="annual_plans")
    year = models.PositiveSmallIntegerField("年度")
    tier = models.CharField("创建级别", max_length=12,
                            choices=list(TIER_LABELS.items()))
    planned = models.PositiveIntegerField("计划数")
    basis = models.CharField("依据", max_length=100, default="绍兴2023 附件")

    objects = ScopedQuerySet.as_manager()
    scope_field = "district"

    class Meta:
        verbose_name = verbose_name_plural = "年度创建计划"
        ordering = ["district__path", "year", "tier"]
        constraints = [models.UniqueConstraint(fields=["district", "year", "tier"],
                                               name="annual_plan_once")]

    def __str__(self):
        return f"{self.district} {self.year} {self.get_tier_display()} {self.planned}"
