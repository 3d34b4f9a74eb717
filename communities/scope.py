"""Data scope (数据权限): the one place that decides what a user may see. DOMAIN §1.

A street user sees its street, a district user its district's streets, a city user the
whole city, an administrator everything. Every model that belongs to a place names the
path to its street in `scope_field`; list pages, detail pages, API endpoints, exports and
file downloads all go through `visible_to(user)` (or `get_visible_or_404`), so out of
scope is always 404 and never a 403 that confirms the object exists.

The condition is `<field> IN (the ids of the user's region subtree)`: the region itself and
every unit below it, read once per user object (one indexed prefix query on Region.path; on
PostgreSQL a signed-in request's user comes with them, read by the statement that reads its
session or token: `subtree_sql`) and kept on it while the region tree is unchanged.
Filtering the big tables by their own indexed street column, never by a join to Region's
path, is what lets PostgreSQL use the street index: `street__path LIKE '/1/3/%'` made it
hash-join a city's streets against a sequential scan of every project (issue 19). The subtree
includes every level, so a `scope_field` ending at a district, a city or any region keeps the
prefix rule's meaning.
"""

from django.db import models
from django.http import Http404

import portal.idlist  # noqa: F401  (registers `__in_ids`)
from portal import compiled

_regions_version = 0  # bumped whenever a region is saved, deleted or moved (this process)


def regions_changed(**_) -> None:
    """Forget every user's cached subtree (a receiver of Region's post_save / post_delete;
    called too by the services that rewrite paths with UPDATE)."""
    global _regions_version
    _regions_version += 1


def subtree_ids(user, region) -> list[int]:
    """Primary keys of `region` and every unit below it, cached on `user` (a request's user
    object lives for the request; a job's for the job). The statement is compiled once per
    path (portal.compiled): every scoped page reads it."""
    from communities.models import Region

    key = (region.pk, region.path, _regions_version)
    cached = getattr(user, "_scope_subtree", None)
    if cached is None or cached[0] != key:
        ids = compiled.column(("communities.subtree", region.path),
                              lambda: Region.objects.filter(path__startswith=region.path).order_by("pk").values("pk"))
        cached = (key, ids)
        user._scope_subtree = cached
    return cached[1]


def subtree_sql(user: str, office: str, region: str) -> str:
    """PostgreSQL: `subtree_ids` of the region aliased `region` as an array expression, for the
    statements that read a user (aliased `user`) with its office and region anyway
    (communities.user_rows): a signed-in request's scope without a statement of its own.
    NULL for a portal administrator (User.is_portal_admin: a superuser, or an office of kind
    admin; scope ALL reads no ids) and where there is no region (or an unsaved one's empty path):
    then `subtree_ids` reads the ids itself. The range from the path to its last character's
    successor lets the index region_path_prefix find the subtree; starts_with() is the prefix rule
    itself."""
    from communities.models import Office, Region, User

    admin = Office.Kind.ADMIN.value
    assert admin.isidentifier()  # written into the SQL below
    column, pk = Region._meta.get_field("path").column, Region._meta.pk.column
    path = f"{region}.{column}"
    return (f"CASE WHEN {user}.{User._meta.get_field('is_superuser').column} "
            f"OR {office}.{Office._meta.get_field('kind').column} = '{admin}' "
            f"OR {region}.{pk} IS NULL OR {path} = '' THEN NULL "
            f"ELSE ARRAY(SELECT sub.{pk} FROM {Region._meta.db_table} sub "
            f"WHERE sub.{column} ~>=~ {path} "
            f"AND sub.{column} ~<~ (left({path}, -1) || chr(ascii(right({path}, 1)) + 1)) "
            f"AND starts_with(sub.{column}, {path}) ORDER BY sub.{pk}) END")


def keep_subtree(user, ids) -> None:
    """Keep `ids`, read by `subtree_sql` with the user's region, as that region's subtree on
    `user` (what `subtree_ids` reads first)."""
    region = getattr(user, "scope_region", None)
    if region is not None and ids is not None:
        user._scope_subtree = ((region.pk, region.path, _regions_version), list(ids))


ALL = "all"  # the portal administrator's scope: every region


def scope_of(user):
    """The user's data scope, decided here only: None (nothing), ALL, or the ids of the region
    subtree the user sees."""
    if not user.is_authenticated or not user.is_active:
        return None
    if getattr(user, "is_portal_admin", False):
        return ALL
    region = getattr(user, "scope_region", None)
    return None if region is None else subtree_ids(user, region)


def region_filter(user, street_field: str) -> models.Q | None:
    """The Q restricting `street_field` to the user's region subtree; None means no rows."""
    scope = scope_of(user)
    if scope is None or scope == ALL:
        return None if scope is None else models.Q()
    return models.Q(**{f"{street_field}__in_ids": scope})


def scope_token(user):
    """`scope_of` as a hashable value: "none", "all" or the subtree's ids (a key for statements
    compiled once, portal.compiled)."""
    scope = scope_of(user)
    return "none" if scope is None else scope if scope == ALL else tuple(scope)


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
