"""The offices every jurisdiction has, derived from the region tree (DOMAIN §1)."""

from django.db import transaction

from communities.models import Office, Region

# Fuyang's reviewing office has its own name (富阳 四(二)).
DISTRICT_OFFICE_NAMES = {"330111": "富阳区未来社区建设领导小组办公室"}


def street_office_name(street: Region) -> str:
    return street.name


@transaction.atomic
def ensure_offices() -> int:
    """Create (idempotently) the standard offices of every street, district and city."""
    wanted: list[tuple[str, str, Region]] = []
    for region in Region.objects.filter(is_active=True).select_related("parent"):
        if region.level == Region.Level.STREET:
            wanted.append((street_office_name(region), Office.Kind.STREET, region))
        elif region.level == Region.Level.DISTRICT:
            name = DISTRICT_OFFICE_NAMES.get(region.code, f"{region.name}风貌办")
            wanted.append((name, Office.Kind.DISTRICT_TOWNSCAPE, region))
            wanted.append((f"{region.name}财政局", Office.Kind.FINANCE, region))
        elif region.level == Region.Level.CITY:
            wanted.append((f"{region.name}风貌办", Office.Kind.CITY_TOWNSCAPE, region))
            wanted.append((f"{region.name}未来社区建设领导小组", Office.Kind.LEADING_GROUP, region))
            wanted.append((f"{region.name}财政局", Office.Kind.FINANCE, region))
        elif region.level == Region.Level.PROVINCE:
            wanted.append(("系统管理员", Office.Kind.ADMIN, region))
    existing = set(Office.objects.values_list("kind", "region_id"))
    new = [Office(name=n, kind=k, region=r) for n, k, r in wanted if (k, r.pk) not in existing]
    Office.objects.bulk_create(new)
    return len(new)
