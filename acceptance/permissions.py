"""Who may do what with acceptance and naming batches and the bulletins (通报):
`can_<action>(user, obj) -> (allowed, reason)`, read by the menu (AcceptanceConfig.nav), the
pages and the API alike. Data scope (which batches and bulletins) is the models'
`visible_to`, decided before these: outside it an object is 404.
"""

from communities.permissions import above_street, covers_a_city, has_instrument, is_admin, office_of
from portal.permissions import ALLOWED, Decision

BATCH_LEVELS = {"acceptance": ("city", "district"), "naming": ("city", "district", "leading_group")}


def can_view_batches(user, obj=None) -> Decision:
    """验收与命名批次: batches are organised by district and city offices; every office of a
    district or a city (and an administrator) reads those of its region. A street has none."""
    if above_street(user):
        return ALLOWED
    return False, "验收与命名批次由区县（市）和市级单位组织，街道（乡镇）无需查看"


def can_create_batch(user, kind: str) -> Decision:
    """Organise an acceptance batch (风貌办) or record a naming batch (命名单位)."""
    office = office_of(user)
    if office and office.chain_level in BATCH_LEVELS[kind]:
        return ALLOWED
    return False, "只有风貌办可以操作" if kind == "acceptance" else "只有命名单位可以操作"


def can_record_batch_results(user, batch) -> Decision:
    """Record the results of an acceptance batch: the office that organised it."""
    office = office_of(user)
    if office and batch.office_id == office.pk:
        return ALLOWED
    return False, "只有组织该批次的单位可以录入验收结果"


def can_view_bulletins(user, obj=None) -> Decision:
    """月度通报 and 季度晾晒 compare the districts of a city (绍兴2023 四): whoever's data scope
    covers the whole of a city that has them reads them (DOMAIN §1 a city user sees the whole
    city; §8 lists 月度通报 among the reports of finance and the offices), so the city's
    finance bureau too; 嘉兴's city offices have none to read."""
    if is_admin(user):
        return ALLOWED
    if not covers_a_city(user):
        return False, "月度通报按全市各区县汇总，仅市级单位可以查看"
    office = office_of(user)
    region = office.region if office else None
    # 月度通报 are 绍兴's (policies.instruments): a city office there, or the province above it
    if region is not None and (region.level == "province" or has_instrument(user, "bulletins")):
        return ALLOWED
    return False, "月度通报依据绍兴2023 四（每月通报进展情况），仅绍兴市编制"
