"""Who may do what, one function per action: `can_<action>(user, obj=None) -> (allowed, reason)`.

Read by the menu (AppConfig.nav), the pages and the API alike. Data scope (what a user sees)
is communities.scope and is decided before these: an object outside the scope is 404, an
action refused here on an object in scope is 403 with the reason. The predicates below
(`street_office_of`, `office_level`) are the facts the other apps' permissions read.
"""

from communities.models import Office, Region
from portal.permissions import ALLOWED, Decision


def is_admin(user) -> bool:
    """An active portal administrator."""
    return bool(getattr(user, "is_portal_admin", False) and user.is_active)


def office_of(user) -> Office | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.office if user.office_id else None


def street_office_of(user, street_id) -> bool:
    """The user belongs to the street office of `street_id`: the office whose region is that
    street (DOMAIN §1), compared by id — the one reading of "this project's street office"."""
    office = office_of(user)
    return bool(office and office.kind == Office.Kind.STREET and office.region_id == street_id)


def in_jurisdiction(region, instrument: str) -> bool:
    """`region` lies where `instrument` applies (policies.instruments): by its code, or for a
    functional zone (功能区, no code) by the code of the district it hangs under."""
    from policies.instruments import covers

    while region is not None and not region.code:
        region = region.parent
    return region is not None and covers(instrument, region.code)


def has_instrument(user, instrument: str) -> bool:
    """The user's office is in the jurisdiction that has `instrument` (月报月例会, 月度通报, …)."""
    office = office_of(user)
    return office is not None and in_jurisdiction(office.region, instrument)


def covers_a_city(user) -> bool:
    """The user's data scope is a whole city or more (city offices of any kind, administrators)."""
    if is_admin(user):
        return True
    office = office_of(user)
    return bool(office and office.region.level in (Region.Level.CITY, Region.Level.PROVINCE))


def above_street(user) -> bool:
    """An office of a district or a city (any kind), or an administrator."""
    if is_admin(user):
        return True
    office = office_of(user)
    return bool(office and office.region.level != Region.Level.STREET)


def can_view_admin_logs(user, obj=None) -> Decision:
    """操作日志 and 登录日志."""
    if is_admin(user):
        return ALLOWED
    return False, "操作日志和登录日志仅系统管理员可以查看"


def can_manage_users(user, obj=None) -> Decision:
    """用户管理: administrators create, disable, unlock users and reset their passwords."""
    if is_admin(user):
        return ALLOWED
    return False, "用户管理仅系统管理员可以使用"


def can_open_admin_site(user, obj=None) -> Decision:
    """系统管理 (the Django admin): administrators with staff access."""
    if is_admin(user) and user.is_staff:
        return ALLOWED
    return False, "系统管理仅系统管理员可以进入"


def can_import_communities(user, obj=None) -> Decision:
    """Import community dossiers from the Excel template (within the user's streets)."""
    if getattr(user, "is_portal_admin", False) or user.has_perm("communities.change_community"):
        return ALLOWED
    return False, "只有街道（乡镇）和系统管理员可以导入社区"
