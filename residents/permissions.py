"""Who may do what with surveys, notices and 共富指数: `can_<action>(user, obj) -> (allowed, reason)`.
The caller has found `obj` through the user's data scope first (404 outside it)."""

from communities.models import Office
from communities.permissions import is_admin, office_of, street_office_of
from portal.permissions import ALLOWED, Decision

PUBLISHING_KINDS = (Office.Kind.STREET, Office.Kind.DISTRICT_TOWNSCAPE, Office.Kind.CITY_TOWNSCAPE)


def can_manage_surveys(user, project) -> Decision:
    """需求调研 / 动态征询 / 满意度调研 of a project: its street office (嘉兴 二(五)13 puts the
    surveys with the creating street)."""
    if street_office_of(user, project.street_id):
        return ALLOWED
    return False, "只有项目所在街道（乡镇）可以发起或录入居民调研"


def can_view_surveys(user, project=None) -> Decision:
    if getattr(user, "is_authenticated", False) and user.is_active:
        return ALLOWED
    return False, "请先登录"


def can_manage_notices(user, obj=None) -> Decision:
    """公示: street, district and city townscape offices publish within their scope."""
    office = office_of(user)
    if office and office.kind in PUBLISHING_KINDS:
        return ALLOWED
    return False, "只有街道（乡镇）、区县（市）风貌办和市风貌办可以发布公示"


def can_handle_notice(user, notice) -> Decision:
    """Reply to objections and close the notice: the publishing office."""
    office = office_of(user)
    if office and office.pk == notice.office_id:
        return ALLOWED
    return False, "只有发布公示的机构可以答复异议或结束公示"


def can_manage_disclosure(user, project) -> Decision:
    if street_office_of(user, project.street_id):
        return ALLOWED
    return False, "只有项目所在街道（乡镇）可以设置公开信息"


def can_file_prosperity(user, project) -> Decision:
    """共富指数 定期填报 (嘉兴 二(五)13): the project's street office."""
    if street_office_of(user, project.street_id):
        return ALLOWED
    return False, "只有项目所在街道（乡镇）可以填报共富指数"


def can_maintain_templates(user, obj=None) -> Decision:
    if is_admin(user):
        return ALLOWED
    return False, "问卷模板和共富指数指标由系统管理员维护"
