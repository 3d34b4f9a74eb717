from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from communities.models import (
    Community,
    NeighbourhoodCentrePlan,
    Office,
    OldTownArea,
    OldTownUnit,
    Region,
    RegionChange,
    User,
)
from communities.services import move_region, rename_region
from portal import generation


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "kind", "community_count", "is_key_township", "parent",
                    "city_proper", "is_functional_zone",
                    "is_active"]
    list_filter = ["level", "city_proper", "is_functional_zone", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        """Renames and moves go through the services so they are logged and paths follow."""
        if not change:
            super().save_model(request, obj, form, change)
            from communities.services import _set_path

            _set_path(obj)
            return
        old = Region.objects.get(pk=obj.pk)
        if "name" in form.changed_data:
            rename_region(old, obj.name, by=request.user)
        if "parent" in form.changed_data and obj.parent:
            try:
                move_region(old, obj.parent, by=request.user)
            except ValueError as exc:
                messages.error(request, str(exc))
        others = [f for f in form.changed_data if f not in ("name", "parent")]
        if others:
            Region.objects.filter(pk=obj.pk).update(**{f: getattr(obj, f) for f in others})
            generation.changed()


@admin.register(RegionChange)
class RegionChangeAdmin(admin.ModelAdmin):
    list_display = ["region", "field", "old_value", "new_value", "changed_at", "changed_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "office", "is_active", "last_login"]
    list_select_related = ["office"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("机构", {"fields": ["office", "phone", "daily_digest"]})]
    raw_id_fields = ["office"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "street", "households", "area_ha", "in_key_area", "is_urban"]
    search_fields = ["name", "code"]
    list_select_related = ["street"]
    raw_id_fields = ["street"]


@admin.action(description="解除登录锁定（清除失败登录记录）")
def unlock_logins(modeladmin, request, queryset):
    from communities.lockout import unlock

    removed = unlock(queryset.values_list("username", flat=True))
    modeladmin.message_user(request, f"已解除 {queryset.count()} 个账号的登录锁定（清除 {removed} 条失败记录）。",
                            messages.SUCCESS)


UserAdmin.actions = [*UserAdmin.actions, unlock_logins]


class OldTownUnitInline(admin.TabularInline):
    model = OldTownUnit
    extra = 0
    fields = ["name", "build_order", "planned_year", "builder"]


@admin.register(OldTownArea)
class OldTownAreaAdmin(admin.ModelAdmin):
    """古城全域未来社区 片区 and their 单元 with the build sequence (绍兴2023 二(二), 越城区's plan)."""

    list_display = ["name", "district", "build_order", "planned_year", "builder"]
    list_filter = ["district"]
    inlines = [OldTownUnitInline]


@admin.register(NeighbourhoodCentrePlan)
class NeighbourhoodCentrePlanAdmin(admin.ModelAdmin):
    """邻里中心布点规划和三年建设计划 of each district (绍兴2023 二(四))."""

    list_display = ["site", "district", "community", "planned_year", "built_on"]
    list_filter = ["district", "planned_year"]
    raw_id_fields = ["community"]
