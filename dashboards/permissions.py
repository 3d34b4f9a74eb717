"""Who may open which dashboard: `can_<action>(user, obj=None) -> (allowed, reason)`, read by the
menu (DashboardsConfig.nav), the board index, the pages and their exports alike. What a permitted
user sees is still his data scope (dashboards.selectors go through communities.scope)."""

from communities.models import Region
from communities.permissions import has_instrument, is_admin, office_of
from portal.permissions import ALLOWED, Decision


def can_view_assessment(user, obj=None) -> Decision:
    """年度目标管理考核 (嘉兴 三(三) “各县(市、区)将未来社区建设工作纳入年度目标管理考核”): the
    assessment of 嘉兴's districts, read by 嘉兴's city offices (the leading group and the finance
    bureau included) and by each district's offices for their own district (their scope)."""
    if is_admin(user):
        return ALLOWED
    office = office_of(user)
    region = office.region if office else None
    if region is not None and region.level in (Region.Level.CITY, Region.Level.DISTRICT) \
            and has_instrument(user, "target_assessment"):
        return ALLOWED
    return False, ("年度目标管理考核依据嘉兴 三(三)（各县(市、区)将未来社区建设工作纳入年度目标管理考核），"
                   "仅嘉兴市级单位和各县（市、区）单位可以查看")


# board key → its permission (boards not listed: every signed-in user, within the data scope)
BOARD_PERMISSIONS = {"assessment": can_view_assessment}


def can_view_board(user, key: str) -> Decision:
    check = BOARD_PERMISSIONS.get(key)
    return check(user) if check else ALLOWED
