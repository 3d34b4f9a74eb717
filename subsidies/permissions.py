"""Who may do what with subsidy records: one function per action, returning
(allowed, reason), read by the menu (SubsidiesConfig.nav), the pages and the API alike.
Scope (what a user sees) is communities.scope; these decide what a user who sees a payment
may do with it."""

from communities.models import Office, Region
from communities.permissions import office_of
from portal.permissions import ALLOWED, Decision

# Which payer a finance office disburses for: a city bureau pays the city's share, a
# district / county bureau its own (区财政, or 县（市）财政 for counties and county-level cities).
PAYERS_BY_LEVEL = {Region.Level.CITY: {"city"}, Region.Level.DISTRICT: {"district", "county"}}
READERS = {Office.Kind.FINANCE, Office.Kind.DISTRICT_TOWNSCAPE, Office.Kind.CITY_TOWNSCAPE,
           Office.Kind.LEADING_GROUP, Office.Kind.ADMIN}


def is_finance(user) -> bool:
    office = office_of(user)
    return bool(office and office.kind == Office.Kind.FINANCE)


def can_view_ledger(user, obj=None) -> Decision:
    """奖补资金 (the ledger and its summary): finance and the reviewing offices. A street sees
    its own projects' tranches and settlement statement on the project's pages."""
    office = office_of(user)
    if (user.is_authenticated and user.is_superuser) or (office and office.kind in READERS):
        return ALLOWED
    return False, "奖补资金台账供财政局和风貌办使用；街道（乡镇）请在项目页面查看本项目的奖补资金和决算表"


def can_handle(user, payment) -> tuple[bool, str]:
    """核定 / 拨付 of `payment` (already known to be within the user's scope)."""
    if not is_finance(user):
        return False, "只有财政局可以核定或拨付奖补资金"
    payers = PAYERS_BY_LEVEL.get(user.office.region.level, set())
    if payment.payer not in payers:
        return False, (f"该笔资金由{payment.get_payer_display()}拨付，"
                       f"{user.office.name}不能核定或拨付")
    return True, ""
