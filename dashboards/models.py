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


class RollingLibraryEntry(models.Model):
    """富阳 附件1 年度轮动项目库: one of the 17 communities the plan names, with its 责任单位 and
    planned start / finish month (fixtures/fuyang_rolling_library.csv). The 挂图作战 board lists
    exactly these rows, each beside the community's project, whatever else Fuyang creates."""

    seq = models.PositiveSmallIntegerField("序号", unique=True)
    community = models.ForeignKey("communities.Community", verbose_name="社区", on_delete=models.PROTECT,
                                  related_name="+")
    responsible_unit = models.CharField("责任单位", max_length=64)
    planned_start = models.DateField("计划开工（月）", null=True, blank=True)
    planned_finish = models.DateField("计划完工（月）")
    basis = models.CharField("依据", max_length=100, default="富阳 三、附件1")

    objects = ScopedQuerySet.as_manager()
    scope_field = "community__street"

    class Meta:
        verbose_name = verbose_name_plural = "富阳年度轮动项目库"
        ordering = ["seq"]

    def __str__(self):
        return f"{self.seq} {self.community}"
