"""Who may do what in supervision (DOMAIN §9): `can_<action>(user, obj) -> (allowed, reason)`,
read by the menu (SupervisionConfig.nav), the pages and the API alike. Data scope is decided
first (communities.scope / SupervisionOrder.visible_to): outside it an object is 404."""

from communities.models import Office
from communities.permissions import has_instrument, is_admin, office_of, street_office_of
from portal.permissions import ALLOWED, Decision
from projects.models import LISTED_STATUSES, Status

INSPECTING_KINDS = (Office.Kind.DISTRICT_TOWNSCAPE, Office.Kind.CITY_TOWNSCAPE)
# 绍兴2023 四: inspections "from listing on" — every status after listing, to naming.
INSPECTABLE = LISTED_STATUSES | {Status.ACCEPTED, Status.NAMED}


def _townscape(user) -> Office | None:
    office = office_of(user)
    return office if office and office.kind in INSPECTING_KINDS else None


def can_view_supervision(user, obj=None) -> Decision:
    """检查整改与督办: every office that inspects, is inspected or is supervised (风貌办, streets)."""
    office = office_of(user)
    if office and office.kind in (*INSPECTING_KINDS, Office.Kind.STREET):
        return ALLOWED
    if is_admin(user):
        return ALLOWED
    return False, "检查整改与督办由风貌办和街道（乡镇）办理"


def can_inspect(user, project) -> Decision:
    """Record an inspection and issue 整改单: a district or city 风貌办, of a listed project."""
    if _townscape(user) is None:
        return False, "只有区县（市）或市风貌办可以录入检查、下达整改单"
    if project.status not in INSPECTABLE:
        return False, f"项目当前状态为“{project.get_status_display()}”，列入创建名单后方可检查"
    return ALLOWED


def _awaits(item, step: str, verb: str) -> Decision:
    """The item's state allows `step` (supervision.replies: reply while awaiting it, review once replied)."""
    if item.awaits(step):
        return ALLOWED
    return False, f"{item.NOUN}当前状态为“{item.get_state_display()}”，不能{verb}"


def can_reply_order(user, item) -> Decision:
    """Answer an 整改单 item: the project's own street office, while the item awaits it."""
    if not street_office_of(user, item.inspection.project.street_id):
        return False, "只有项目所在街道（乡镇）可以回复整改"
    return _awaits(item, "reply", "回复")


def can_review_order(user, item) -> Decision:
    """Close (销号) or send back an answered item: the office that issued the order."""
    office = office_of(user)
    if office is None or office.pk != item.order.office_id:
        return False, "只有下达整改单的单位可以审核销号或退回"
    return _awaits(item, item.CLOSE_DECISION, "审核")


def can_issue_supervision(user, target_office=None) -> Decision:
    """督办: a city 风貌办 to a district 风貌办 of its city, a district 风貌办 to a street of its district."""
    office = _townscape(user)
    if office is None:
        return False, "只有市风貌办或区县（市）风貌办可以下发督办单"
    if target_office is None:
        return ALLOWED
    wanted = Office.Kind.DISTRICT_TOWNSCAPE if office.kind == Office.Kind.CITY_TOWNSCAPE else Office.Kind.STREET
    if target_office.kind != wanted or target_office.region.parent_id != office.region_id:
        return False, "督办单只能下发给本级直接管辖的下一级单位（市→区县风貌办，区县→街道）"
    return ALLOWED


def can_reply_supervision(user, order) -> Decision:
    office = office_of(user)
    if office is None or office.pk != order.target_office_id:
        return False, "只有被督办单位可以回复"
    return _awaits(order, "reply", "回复")


def can_review_supervision(user, order) -> Decision:
    office = office_of(user)
    if office is None or office.pk != order.issuer_office_id:
        return False, "只有下发督办单的单位可以审核回复"
    return _awaits(order, order.CLOSE_DECISION, "审核")


def can_view_approvals(user, obj=None) -> Decision:
    """旧改审批台账: offices that follow supervision in 绍兴 (and administrators)."""
    allowed, reason = can_view_supervision(user)
    if not allowed:
        return allowed, reason
    if is_admin(user) or has_instrument(user, "approval_ledger"):
        return ALLOWED
    return False, "旧改项目审批台账依据绍兴2023 三(四)，仅适用于绍兴市"
