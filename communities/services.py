"""State changes of the geography and community reference data."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from communities.models import Community, Region, RegionChange
from communities.scope import regions_changed
from portal import generation

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

# Functional zones (功能区) have no division code; they hang under a real district.
FUNCTIONAL_ZONES = [("富春湾新城管委会", "330111")]


def _set_path(region: Region) -> None:
    prefix = region.parent.path if region.parent_id else "/"
    region.path = f"{prefix}{region.pk}/"
    Region.objects.filter(pk=region.pk).update(path=region.path)
    regions_changed()  # the scope's cached subtrees
    generation.changed()  # the dashboards' cached boards


@transaction.atomic
def load_regions(path: Path = FIXTURES / "regions.csv") -> int:
    """Upsert the region tree from the fixture by code; returns the number of units."""
    by_code = {r.code: r for r in Region.objects.exclude(code=None)}
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:  # the file lists parents before children
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        region = by_code.get(row["code"])
        if region is None:
            region = Region.objects.create(
                code=row["code"], name=row["name"], level=row["level"], parent=parent,
                city_proper=row["city_proper"] == "1",
                kind=Region.kind_of(row["name"]) if row["level"] == Region.Level.STREET else "",
            )
            by_code[region.code] = region
            _set_path(region)
        elif not region.path:
            _set_path(region)
        if region.level == Region.Level.STREET and not region.kind:
            kind = Region.kind_of(region.name)
            if kind:
                Region.objects.filter(pk=region.pk).update(kind=kind)
                generation.changed()
    for name, district_code in FUNCTIONAL_ZONES:
        district = by_code[district_code]
        zone, created = Region.objects.get_or_create(
            name=name, parent=district, level=Region.Level.STREET,
            defaults={"is_functional_zone": True},
        )
        if created:
            _set_path(zone)
    return Region.objects.count()


@transaction.atomic
def rename_region(region: Region, new_name: str, by=None) -> None:
    RegionChange.objects.create(region=region, field="name", old_value=region.name,
                                new_value=new_name, changed_by=by)
    region.name = new_name
    region.save(update_fields=["name"])


@transaction.atomic
def move_region(region: Region, new_parent: Region, by=None) -> None:
    """Move a unit and its subtree under another parent (e.g. 沥海街道 上虞区 → 越城区).

    Projects and communities keep pointing at the same street, so their whole history
    moves with it; only who can see them changes. One UPDATE rewrites every path below.
    """
    region = Region.objects.select_for_update().get(pk=region.pk)
    if new_parent.path.startswith(region.path):
        raise ValueError("不能把区划移动到它自己的下级")
    old_path = region.path
    new_path = f"{new_parent.path}{region.pk}/"
    RegionChange.objects.create(region=region, field="parent", old_value=str(region.parent),
                                new_value=str(new_parent), changed_by=by)
    Region.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    Region.objects.filter(pk=region.pk).update(parent=new_parent)
    regions_changed()  # the scope's cached subtrees
    generation.changed()  # the dashboards' cached boards


def find_street(name: str, district_code: str) -> Region | None:
    return Region.objects.filter(name=name, level=Region.Level.STREET,
                                 path__startswith=Region.objects.get(code=district_code).path
                                 ).first()


@transaction.atomic
def load_fuyang_communities(path: Path = FIXTURES / "fuyang_rolling_library.csv") -> int:
    """The 17 communities of 富阳 附件1 (年度轮动项目库), attached to their streets."""
    created = 0
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            street = find_street(row["responsible_unit"], "330111")
            if street is None:
                raise ValueError(f"富阳项目库第{row['seq']}行：找不到街道“{row['responsible_unit']}”")
            _, was_created = Community.objects.get_or_create(name=row["community"], street=street)
            created += was_created
    return created
