import django_filters
from rest_framework import serializers, viewsets

from communities.models import Community


class HideOutOfScopeMixin:
    """An object outside the caller's scope is 404 for every method, never a 405 that
    would answer before the scope check."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        if (self.lookup_url_kwarg or self.lookup_field) in kwargs:
            self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)


class ScopedViewSetMixin(HideOutOfScopeMixin):
    """Every API viewset reads through the one scope function (communities.scope)."""

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)


class CommunitySerializer(serializers.ModelSerializer):
    street_code = serializers.CharField(source="street.code", read_only=True, allow_null=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    district_code = serializers.CharField(source="street.parent.code", read_only=True)

    class Meta:
        model = Community
        fields = ["id", "code", "name", "street_code", "street_name", "district_code",
                  "households", "population", "area_ha", "built_period", "hollow_precast_slabs",
                  "has_villas", "split_by", "admin_community_count", "has_neighbourhood_centre",
                  "in_key_area", "is_urban"]


class CommunityFilter(django_filters.FilterSet):
    street = django_filters.CharFilter(field_name="street__code", label="街道代码（9位）")
    district = django_filters.CharFilter(field_name="street__parent__code", label="区县代码（6位）")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="名称包含")

    class Meta:
        model = Community
        fields = ["street", "district", "q"]


class CommunityViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """社区（一社一档）：仅返回当前用户数据权限范围内的社区。"""

    serializer_class = CommunitySerializer
    filterset_class = CommunityFilter

    def base_queryset(self):
        return Community.objects.select_related("street__parent").order_by("id")


def register(router):
    router.register("communities", CommunityViewSet, basename="community")
