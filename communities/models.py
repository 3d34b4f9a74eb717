"""Geography, offices, users and community dossiers (一社一档). DOMAIN §1–2."""

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from communities.scope import ScopedQuerySet
from portal.validators import free_text, single_line


class Region(models.Model):
    """A unit of the region tree: province → city → district/county → street/town.

    `path` is the chain of primary keys from the root ("/1/3/17/"), so a subtree is one
    indexed prefix match whatever the depth, and renaming or re-coding a unit never moves
    it. Moving a unit rewrites the paths below it (communities.services.move_region) and is
    logged in RegionChange.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        DISTRICT = "district", "区、县（市）"
        STREET = "street", "街道、乡镇"

    code = models.CharField(
        "区划代码", max_length=12, unique=True, null=True, blank=True,
        validators=[RegexValidator(r"^\d{2}(\d{2}(\d{2}(\d{3})?)?)?$", "区划代码应为2、4、6或9位数字")],
        help_text="功能区（如富春湾新城管委会）无区划代码，留空。",
    )
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, default="")
    city_proper = models.BooleanField(
        "市本级", default=False, help_text="嘉兴市本级区（南湖区、秀洲区）：奖补由市、区财政各承担50%。"
    )
    is_functional_zone = models.BooleanField("功能区", default=False)
    is_active = models.BooleanField("有效", default=True)
    # 街道 / 镇 / 乡 of a street-level unit: 绍兴2023 二(一) assesses 街道 only.
    kind = models.CharField("乡镇街道类别", max_length=8, blank=True, choices=[
        ("街道", "街道"), ("镇", "镇"), ("乡", "乡")], default="")
    community_count = models.PositiveSmallIntegerField(
        "下辖社区数（管理员维护）", null=True, blank=True,
        help_text="绍兴2023 二(一)“下辖社区10个及以上的街道”所用的社区数；留空时按平台已录入的社区数计。")
    is_key_township = models.BooleanField(
        "重点乡镇", default=False, help_text="富阳 三：每个街道（重点乡镇）至少创建完成1个未来社区项目。")

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="region_path_prefix",
                                opclasses=["varchar_pattern_ops"]),
                   # ORDER BY path (the prefix index above cannot sort): the community list's
                   # default order walks regions by path, then each street's communities
                   models.Index(fields=["path"], name="region_path_order")]

    def __str__(self):
        return self.name

    def clean(self):
        expected_parent = {
            self.Level.PROVINCE: None, self.Level.CITY: self.Level.PROVINCE,
            self.Level.DISTRICT: self.Level.CITY, self.Level.STREET: self.Level.DISTRICT,
        }[self.level]
        if expected_parent is None and self.parent_id:
            raise ValidationError({"parent": "省级区划不能有上级"})
        if expected_parent and (self.parent is None or self.parent.level != expected_parent):
            raise ValidationError({"parent": f"{self.get_level_display()}的上级必须是"
                                             f"{self.Level(expected_parent).label}"})
        if self.code is None and not self.is_functional_zone:
            raise ValidationError({"code": "非功能区必须填写区划代码"})

    @staticmethod
    def kind_of(name: str) -> str:
        """街道 / 镇 / 乡 from a street-level unit's name ("" for functional zones)."""
        for kind in ("街道", "镇", "乡"):
            if name.endswith(kind):
                return kind
        return ""

    def ancestor(self, level: str) -> "Region | None":
        node = self
        while node is not None and node.level != level:
            node = node.parent
        return node

    @property
    def district(self):
        return self.ancestor(self.Level.DISTRICT)

    @property
    def city(self):
        return self.ancestor(self.Level.CITY)

    @property
    def district_code(self) -> str | None:
        district = self.district
        return district.code if district else None


class RegionChange(models.Model):
    """Append-only log of renames and moves, so history survives boundary changes."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(max_length=20)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey("communities.User", null=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "区划变更记录"
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.region} {self.field}: {self.old_value} → {self.new_value}"


class Office(models.Model):
    """An office whose users act in the portal. Its region is its data scope (DOMAIN §1)."""

    class Kind(models.TextChoices):
        STREET = "street", "街道办事处 / 镇人民政府"
        DISTRICT_TOWNSCAPE = "district_townscape", "区县（市）风貌办"
        CITY_TOWNSCAPE = "city_townscape", "市风貌办"
        LEADING_GROUP = "leading_group", "领导小组"
        FINANCE = "finance", "财政局"
        ADMIN = "admin", "系统管理员"

    name = models.CharField("名称", max_length=100, validators=[single_line])
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="offices")

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["region__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="office_one_kind_per_region"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        allowed = {
            self.Kind.STREET: {Region.Level.STREET},
            self.Kind.DISTRICT_TOWNSCAPE: {Region.Level.DISTRICT},
            self.Kind.CITY_TOWNSCAPE: {Region.Level.CITY},
            self.Kind.LEADING_GROUP: {Region.Level.CITY, Region.Level.DISTRICT},
            self.Kind.FINANCE: {Region.Level.DISTRICT, Region.Level.CITY},
            self.Kind.ADMIN: set(Region.Level.values),
        }[self.kind]
        if self.region_id and self.region.level not in allowed:
            level = self.region.get_level_display()
            raise ValidationError({"region": f"{self.get_kind_display()}不能设在{level}级区划"})

    @property
    def chain_level(self) -> str | None:
        """The office level named in the policies' review chains (policies.base.Step)."""
        return {
            self.Kind.STREET: "street",
            self.Kind.DISTRICT_TOWNSCAPE: "district",
            self.Kind.CITY_TOWNSCAPE: "city",
            self.Kind.LEADING_GROUP: "leading_group",
        }.get(self.kind)


class User(AbstractUser):
    office = models.ForeignKey(Office, verbose_name="所属机构", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="users")
    phone = models.CharField("联系电话", max_length=30, blank=True)
    daily_digest = models.BooleanField("每日汇总邮件", default=False,
                                       help_text="开启后预警以每日汇总邮件发送，不逐条发送。")

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    @property
    def scope_region(self) -> Region | None:
        return self.office.region if self.office_id else None

    @property
    def is_portal_admin(self) -> bool:
        return self.is_superuser or (self.office_id is not None and
                                     self.office.kind == Office.Kind.ADMIN)


class UserSession(AbstractBaseSession):
    """Django's database session (SESSION_ENGINE communities.sessions) with the id of the user it
    signs in beside its data, so that a page reads its session and its user with the office and
    region in one statement (communities.user_rows, issue #19). Django's session data stays what
    decides: the column is only a key to join, and a user read through it is used only when it
    is the user the data names (communities.backends). No constraint: a deleted user's sessions
    sign nobody in (the join finds no row), and saving one never fails."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             db_index=False, related_name="+")

    class Meta(AbstractBaseSession.Meta):
        verbose_name = verbose_name_plural = "会话"

    @classmethod
    def get_session_store_class(cls):
        from communities.sessions import SessionStore

        return SessionStore


class Community(models.Model):
    """A community dossier (一社一档). DOMAIN §2."""

    class BuiltPeriod(models.TextChoices):
        BEFORE_1970 = "before_1970", "1970年以前"
        Y1970_1990 = "1970_1990", "1970—1990年代"
        Y1990_2000 = "1990_2000", "1990—2000年"
        AFTER_2000 = "after_2000", "2000年以后"
        MIXED = "mixed", "混合"

    class Barrier(models.TextChoices):
        NONE = "", "无"
        RAILWAY = "railway", "铁路"
        NATIONAL_ROAD = "national_road", "国道、省道"
        EXPRESSWAY = "expressway", "高速公路"
        ARTERIAL = "arterial", "城市主干道"
        RIVER = "river", "较宽河流"

    code = models.CharField(
        "社区代码", max_length=12, unique=True, null=True, blank=True,
        validators=[RegexValidator(r"^\d{12}$", "社区代码应为12位数字")],
    )
    name = models.CharField("社区名称", max_length=64, validators=[single_line])
    street = models.ForeignKey(Region, verbose_name="所属街道", on_delete=models.PROTECT,
                               related_name="communities",
                               limit_choices_to={"level": Region.Level.STREET})
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    area_ha = models.DecimalField("面积（公顷）", max_digits=9, decimal_places=2, null=True,
                                  blank=True, validators=[MinValueValidator(0)])
    built_period = models.CharField("建成年代", max_length=12, choices=BuiltPeriod.choices,
                                    blank=True)
    hollow_precast_slabs = models.BooleanField(
        "存在多孔预制楼板", default=False, help_text="绍兴2019 二(二)：鼓励全拆重建或插花式改修建")
    other_safety_hazards = models.CharField("其他安全隐患", max_length=200, blank=True, validators=[single_line])
    has_villas = models.BooleanField("单元内含别墅、排屋、洋房", default=False)
    split_by = models.CharField("被铁路、干道或河流分割", max_length=16,
                                choices=Barrier.choices, blank=True)
    admin_community_count = models.PositiveSmallIntegerField(
        "涉及行政社区数", default=1, validators=[MinValueValidator(1), MaxValueValidator(50)])
    has_neighbourhood_centre = models.BooleanField("已建邻里中心", default=False)
    in_key_area = models.BooleanField(
        "位于重点片区", default=False,
        help_text="绍兴2023 二(一)：新建类社区和重点片区内社区均需开展省级未来社区建设。")
    is_urban = models.BooleanField(
        "城镇社区", default=True, help_text="覆盖率目标的分母只计城镇社区（绍兴2023 一、嘉兴 一(三)）。")
    notes = models.TextField("备注", blank=True, validators=[free_text])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "street"

    class Meta:
        verbose_name = verbose_name_plural = "社区"
        ordering = ["street__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="community_unique_name_in_street"),
        ]
        # The list's default order (street path, name, -id) read per street from the index, so a
        # deep page's keys are an index walk, not a sort of every community (issue 19 item 3).
        indexes = [models.Index(fields=["street", "name", "-id"], name="community_street_order")]

    def __str__(self):
        return self.name

    @property
    def safety_hazards(self) -> list[str]:
        hazards = ["多孔预制楼板"] if self.hollow_precast_slabs else []
        if self.other_safety_hazards:
            hazards.append(self.other_safety_hazards)
        return hazards


class LoginEvent(models.Model):
    """登录日志: successful and failed sign-ins and sign-outs."""

    class Event(models.TextChoices):
        LOGIN = "login", "登录成功"
        FAILED = "failed", "登录失败"
        LOGOUT = "logout", "退出"

    username = models.CharField("用户名", max_length=150)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    event = models.CharField("事件", max_length=10, choices=Event.choices)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录日志"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_event_display()}"


class OperationLog(models.Model):
    """操作日志: every state-changing request and every download (who did what to which object,
    with what result, when, from where). `action`, `target`, `result` and `detail` are the words
    communities.audit derives; method, path and status code stay for the technical trail."""

    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    office_name = models.CharField("机构", max_length=100, blank=True)
    action = models.CharField("操作", max_length=60, blank=True)
    target = models.CharField("对象", max_length=200, blank=True)
    result = models.CharField("结果", max_length=300, blank=True)
    detail = models.CharField("范围与条件", max_length=500, blank=True)
    method = models.CharField("方法", max_length=8)
    path = models.CharField("路径", max_length=300)
    status_code = models.PositiveSmallIntegerField("状态码")
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "操作日志"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action or self.method} {self.target or self.path}"


class OldTownArea(models.Model):
    """古城全域未来社区 片区 (绍兴2023 二(二)：“由越城区风貌办制定古城全域未来社区建设计划，明确9大片区、
    18个单元建设时序和建设主体”). The plan is 越城区's: its 片区 and 单元 are records an administrator
    (or 越城区) enters; the document names neither, so none are shipped."""

    district = models.ForeignKey(Region, verbose_name="区、县（市）", on_delete=models.PROTECT,
                                 related_name="old_town_areas", limit_choices_to={"level": "district"})
    name = models.CharField("片区名称", max_length=64)
    build_order = models.PositiveSmallIntegerField("建设时序")
    planned_year = models.PositiveSmallIntegerField("计划建设年度", null=True, blank=True)
    builder = models.CharField("建设主体", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "district"

    class Meta:
        verbose_name = verbose_name_plural = "古城片区"
        ordering = ["district__path", "build_order", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="old_town_area_name")]

    def __str__(self):
        return self.name


class OldTownUnit(models.Model):
    """古城全域未来社区 单元 of a 片区, with its place in the build sequence; projects belong to one."""

    area = models.ForeignKey(OldTownArea, verbose_name="片区", on_delete=models.PROTECT, related_name="units")
    name = models.CharField("单元名称", max_length=64)
    build_order = models.PositiveSmallIntegerField("建设时序")
    planned_year = models.PositiveSmallIntegerField("计划建设年度", null=True, blank=True)
    builder = models.CharField("建设主体", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "area__district"

    class Meta:
        verbose_name = verbose_name_plural = "古城单元"
        ordering = ["area__build_order", "build_order", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="old_town_unit_name")]

    def __str__(self):
        return f"{self.area.name}·{self.name}"


class NeighbourhoodCentrePlan(models.Model):
    """邻里中心 布点规划 and 三年建设计划 (绍兴2023 二(四)：“各区、县（市）…编制邻里中心布点规划和三年建设
    计划，有序推进相对集中的邻里中心建设，原则上一个社区配置一个邻里中心”): one planned centre of a
    district, the community it serves, the year the plan builds it and the day it was built."""

    district = models.ForeignKey(Region, verbose_name="区、县（市）", on_delete=models.PROTECT,
                                 related_name="centre_plans", limit_choices_to={"level": "district"})
    community = models.ForeignKey("Community", verbose_name="服务社区", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="centre_plans")
    site = models.CharField("邻里中心（点位）", max_length=100)
    planned_year = models.PositiveSmallIntegerField("计划建设年度")
    built_on = models.DateField("建成日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "district"

    class Meta:
        verbose_name = verbose_name_plural = "邻里中心布点与三年建设计划"
        ordering = ["district__path", "planned_year", "site"]

    def __str__(self):
        return f"{self.district} {self.planned_year} {self.site}"
