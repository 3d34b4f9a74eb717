"""Who may do what with creation projects: `can_<action>(user, obj) -> (allowed, reason)`,
read by the menu (ProjectsConfig.nav), the pages and the API alike.

The caller has already found `obj` through the user's data scope (communities.scope): these
decide what a user who sees the project may do with it (403 with the reason), never whether
it exists (404). Workflow moves (submit, approve, finalise_spending …) are decided by the
workflow table's office level (`can_take`); whether the state allows a move is the table's
own answer (409), not a permission.
"""

from communities.models import Office
from communities.permissions import office_of, street_office_of
from portal.permissions import ALLOWED, Decision
from projects import workflow

REVIEWING_LEVELS = ("district", "city", "leading_group")
NOT_OWN_STREET = "只有项目所在街道（乡镇）可以{what}"


def _own_street(user, project, what: str) -> Decision:
    if street_office_of(user, project.street_id):
        return ALLOWED
    return False, NOT_OWN_STREET.format(what=what)


def can_view_project_list(user, obj=None) -> Decision:
    """创建项目 list: every signed-in user (the rows are the user's data scope)."""
    if getattr(user, "is_authenticated", False):
        return ALLOWED
    return False, "请先登录"


def can_view_review_queue(user, obj=None) -> Decision:
    """待我审核: the offices that take steps of the review chains."""
    office = office_of(user)
    if office and office.chain_level in REVIEWING_LEVELS:
        return ALLOWED
    return False, "待审核队列仅供区县（市）风貌办、市风貌办和领导小组使用"


def can_create_project(user, community=None) -> Decision:
    """新建申报: a street office, for a community of its own street."""
    office = office_of(user)
    if office is None or office.kind != Office.Kind.STREET:
        return False, "只有街道（乡镇）可以创建和编辑创建项目"
    if community is not None and not street_office_of(user, community.street_id):
        return False, "只能为本街道（乡镇）的社区创建项目"
    return ALLOWED


def can_edit_project(user, project) -> Decision:
    """修改申报内容 (whether the status still allows edits is the service's 409)."""
    return _own_street(user, project, "修改申报内容")


def can_add_monthly_report(user, project) -> Decision:
    """填报 / 修改月报."""
    return _own_street(user, project, "填报月报")


def can_add_spending(user, project) -> Decision:
    """录入实际支出."""
    return _own_street(user, project, "录入实际支出")


def can_decide_spending_correction(user, project) -> Decision:
    """批准 / 驳回 a spending correction: the townscape office of the project's district."""
    office = office_of(user)
    if office and office.kind == Office.Kind.DISTRICT_TOWNSCAPE and office.region_id == project.street.parent_id:
        return ALLOWED
    return False, "实际支出的更正由项目所在区县（市）风貌办审核"


def can_upload_attachment(user, project) -> Decision:
    return _own_street(user, project, "上传附件")


def can_take(user, project, move: workflow.Move) -> bool:
    """The user's office is the one the workflow table names for `move` on this project.
    A street-level move belongs to the project's own street office."""
    office = office_of(user)
    if office is None or office.chain_level != move.office_level:
        return False
    return move.office_level != "street" or street_office_of(user, project.street_id)


def can_act(user, project, action: str) -> Decision:
    """A workflow action in the project's current state: the reason names the office that may."""
    candidates = [m for m in workflow.moves(project) if m.action == action]
    if any(can_take(user, project, m) for m in candidates):
        return ALLOWED
    label = workflow.ACTIONS[action][0] if action in workflow.ACTIONS else action
    if not candidates:
        return False, f"项目当前状态为“{workflow.describe_state(project)}”，不能执行“{label}”"
    levels = "或".join(workflow.LEVEL_LABELS[m.office_level] for m in candidates)
    return False, f"“{label}”应由{levels}执行（当前：{workflow.describe_state(project)}）"


def can_finalise_spending(user, project) -> Decision:
    """确认支出决算: the workflow move `finalise_spending` (the project's street, after acceptance)."""
    return can_act(user, project, "finalise_spending")


def can_request_report_correction(user, project) -> Decision:
    """申请更正已锁定的月报: the project's own street."""
    return _own_street(user, project, "申请更正月报")


def can_decide_report_correction(user, project) -> Decision:
    """审批月报更正申请: the district office (区县（市）风貌办) of the project's district."""
    office = office_of(user)
    if office and office.kind == Office.Kind.DISTRICT_TOWNSCAPE and office.region_id == project.street.parent_id:
        return ALLOWED
    return False, "月报更正申请由项目所在区县（市）风貌办审批"
