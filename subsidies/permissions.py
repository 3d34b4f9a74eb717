"""Who may do what with subsidy records: one function per action, returning
(allowed, reason), used by the pages and the API alike. Scope (what a user sees) is
communities.scope; these decide what a user who sees a payment may do with it."""

from communities.models import Office, Region

# Which payer a finance office disburses for: a city bureau pays the city's share, a
# district / county bureau its own (区财政, or 县（市）财政 for counties and county-level cities).
PAYERS_BY_LEVEL = {Region.Level.CITY: {"city"}, Region.Level.DISTRICT: {"district", "county"}}
READERS = {Office.Kind.FINANCE, Office.Kind.DISTRICT_TOWNSCAPE, Office.Kind.CITY_TOWNSCAPE,
           Office.Kind.LEADING_GROUP, Office.Kind.ADMIN}


def is_finance(user) -> bool:
    return bool(user.is_authenticated and user.office_id and user.office.kind == Office.Kind.FINANCE)


def reads_ledger(user) -> bool:
    """Finance and reviewing offices get the 奖补资金 menu (streets see their own projects')."""
    return bool(user.is_authenticated and (user.is_superuser or (user.office_id and user.office.kind in READERS)))


def can_handle(user, payment) -> tuple[bool, str]:
    """核定 / 拨付 of `payment` (already known to be within the user's scope)."""
    if not is_finance(user):
        return False, "只有财政局可以核定或拨付奖补资金"
    payers = PAYERS_BY_LEVEL.get(user.office.region.level, set())
    if payment.payer not in payers:
        return False, (f"该笔资金由{payment.get_payer_display()}拨付，"
                       f"{user.office.name}不能核定或拨付")
    return True, ""
