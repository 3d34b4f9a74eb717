"""Data scope (数据权限): the one place that decides what a user may see. DOMAIN §1.

A street user sees its street, a district user its district's streets, a city user the
whole city, an administrator everything. Every model that belongs to a place names the
path to its street in `scope_field`; list pages, detail pages, API endpoints, exports and
file downloads all go through `visible_to(user)` (or `get_visible_or_404`), so out of
scope is always 404 and never a 403 that confirms the object exists.
"""

from django.db import models
from django.http import Http404


def region_filter(user, street_field: str) -> models.Q | None:
    """The Q restricting `street_field` to the user's region subtree; None means no rows."""
    if not user.is_authenticated or not user.is_active:
        return None
    if getattr(user, "is_portal_admin", False):
        return models.Q()
    region = getattr(user, "scope_region", None)
    if region is None:
        return None
    return models.Q(**{f"{street_field}__path__startswith": region.path})


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        condition = region_filter(user, self.model.scope_field)
        if condition is None:
            return self.none()
        return self.filter(condition)


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object through the user's scope: outside it, the object does not exist."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("对象不存在或不在您的数据权限范围内") from None
