"""Synthetic regions, their offices and the users who act for them (demo.scale_seed)."""

from __future__ import annotations

import datetime as dt
import random

from communities.models import Office, Region, User
from demo.scale_loader import Writer, _next_id
from demo.scale_plan import ANCHOR, FIRST_SYNTHETIC_CITY, MODEL_DISTRICTS, NAME_CHARS, SYNTHETIC, Scale, _at


def _synthetic_name(rng: random.Random, suffix: str) -> str:
    return f"{rng.choice(NAME_CHARS)}{rng.choice(NAME_CHARS)}{suffix}{SYNTHETIC}"


def _build_regions(rng, scale: Scale, writer: Writer) -> list[tuple[Region, str]]:
    """Synthetic provinces/cities/districts/streets and their offices (the ones
    communities.offices.ensure_offices gives every unit, named as it names them, with explicit
    ids); returns (street, model district) pairs."""
    from communities.offices import street_office_name

    zhejiang = Region.objects.get(code="33", level=Region.Level.PROVINCE)
    next_id = _next_id(Region)
    rows, streets = [], []

    def add(code, name, level, parent_id, parent_path):
        nonlocal next_id
        region = Region(id=next_id, code=code, name=name, level=level, parent_id=parent_id,
                        path=f"{parent_path}{next_id}/")
        rows.append((region.id, code, name, level, parent_id, region.path))
        next_id += 1
        return region

    model_turn = 0
    plan = [(zhejiang, scale.zhejiang_cities)] if scale.zhejiang_cities else []
    for code in scale.provinces:
        plan.append((add(code, _synthetic_name(rng, "省"), Region.Level.PROVINCE, None, "/"), scale.cities))
    for province, cities in plan:
        for c in range(cities):
            city = add(f"{province.code}{FIRST_SYNTHETIC_CITY + c:02d}", _synthetic_name(rng, "市"),
                       Region.Level.CITY, province.id, province.path)
            model = MODEL_DISTRICTS[model_turn % len(MODEL_DISTRICTS)]
            model_turn += 1
            for d in range(scale.districts):
                district = add(f"{city.code}{d + 1:02d}", _synthetic_name(rng, "区"), Region.Level.DISTRICT,
                               city.id, city.path)
                for s in range(scale.streets):
                    street = add(f"{district.code}{s + 1:03d}", _synthetic_name(rng, "街道"),
                                 Region.Level.STREET, district.id, district.path)
                    streets.append((street, model))
    writer.write(Region, ["id", "code", "name", "level", "parent_id", "path"], rows)
    office_id, offices = _next_id(Office), []
    for region_id, _, name, level, _, _ in rows:
        region = Region(id=region_id, name=name, level=level)
        wanted = {
            "street": [(street_office_name(region), Office.Kind.STREET)],
            "district": [(f"{name}风貌办", Office.Kind.DISTRICT_TOWNSCAPE), (f"{name}财政局", Office.Kind.FINANCE)],
            "city": [(f"{name}风貌办", Office.Kind.CITY_TOWNSCAPE),
                     (f"{name}未来社区建设领导小组", Office.Kind.LEADING_GROUP),
                     (f"{name}财政局", Office.Kind.FINANCE)],
            "province": [("系统管理员", Office.Kind.ADMIN)],
        }[level]
        for office_name, kind in wanted:
            offices.append((office_id, office_name, kind, region_id))
            office_id += 1
    writer.write(Office, ["id", "name", "kind", "region_id"], offices)
    return streets


def _actors(writer: Writer) -> dict[tuple[str, int], tuple[int, int]]:
    """(chain level, region id) → (office id, user id) for every office that acts in chains;
    an office without a user gets one synthetic, password-less user (no e-mail address)."""
    from django.contrib.auth.models import Group

    from communities.roles import group_for_kind

    kinds = {Office.Kind.STREET: "street", Office.Kind.DISTRICT_TOWNSCAPE: "district",
             Office.Kind.CITY_TOWNSCAPE: "city", Office.Kind.LEADING_GROUP: "leading_group"}
    first_user = dict(User.objects.filter(office__isnull=False).order_by("-id")
                      .values_list("office_id", "id"))
    groups = {kind: group_for_kind(kind).pk for kind in kinds}
    next_user = _next_id(User)
    next_link = _next_id(Group.user_set.through)
    users, links, actors = [], [], {}
    for office_id, kind, region_id, name in (Office.objects.filter(kind__in=list(kinds)).order_by("id")
                                             .values_list("id", "kind", "region_id", "name")):
        user_id = first_user.get(office_id)
        if user_id is None:
            user_id = next_user
            next_user += 1
            users.append((user_id, f"scale_{office_id}", "!seed_scale", name[:150], "", True,
                          _at(ANCHOR - dt.timedelta(days=2000), 0), office_id))
            links.append((next_link, user_id, groups[kind]))
            next_link += 1
        actors[(kinds[kind], region_id)] = (office_id, user_id)
    writer.write(User, ["id", "username", "password", "first_name", "email", "is_active", "date_joined",
                        "office_id"], users)
    writer.write(Group.user_set.through, ["id", "user_id", "group_id"], links)
    return actors

