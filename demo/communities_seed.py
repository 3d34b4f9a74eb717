"""Deterministic demo users and communities (CONTRACTS §5)."""

import os
import random

from django.db import transaction

from communities.models import Community, Office, Region, User
from communities.roles import group_for_kind

DEMO_USERS = [
    ("street_fuchun", "富春街道"),
    ("street_yinhu", "银湖街道"),
    ("district_fuyang", "富阳区未来社区建设领导小组办公室"),
    ("finance_fuyang", "富阳区财政局"),
    ("street_jianshe", "建设街道"),
    ("district_nanhu", "南湖区风貌办"),
    ("city_jiaxing", "嘉兴市风貌办"),
    ("leader_jiaxing", "嘉兴市未来社区建设领导小组"),
    ("finance_jiaxing", "嘉兴市财政局"),
    ("street_tashan", "塔山街道"),
    ("district_yuecheng", "越城区风貌办"),
    ("city_shaoxing", "绍兴市风貌办"),
    ("admin", "系统管理员"),
]
# Streets named in CONTRACTS §5 by code: names repeat across the province.
DEMO_STREET_CODES = {"富春街道": "330111001", "银湖街道": "330111006", "建设街道": "330402007",
                     "塔山街道": "330602001"}
COMMUNITY_STEMS = ["和平", "新华", "光明", "文昌", "清风", "锦绣", "春晖", "兴园", "迎宾", "望湖",
                   "长安", "花园", "东湖", "西河", "南苑", "北门"]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or "Demo@2026"


def office_by_name(name: str) -> Office:
    if name in DEMO_STREET_CODES:
        return Office.objects.get(kind=Office.Kind.STREET, region__code=DEMO_STREET_CODES[name])
    return Office.objects.get(name=name)


@transaction.atomic
def seed_users() -> list[tuple[str, str]]:
    password = demo_password()
    result = []
    for username, office_name in DEMO_USERS:
        office = office_by_name(office_name)
        user, created = User.objects.get_or_create(username=username,
                                                   defaults={"office": office})
        if created:
            user.set_password(password)
            user.first_name = office.name
            user.email = f"{username}@example.gov.cn"
            user.is_staff = username == "admin"
            user.is_superuser = username == "admin"
            user.save()
            user.groups.add(group_for_kind(office.kind))
        result.append((username, office.name))
    return result


@transaction.atomic
def seed_communities(rng: random.Random, per_street: int = 14) -> int:
    """A few synthetic communities in every demo street, with 12-digit codes."""
    created = 0
    for code in DEMO_STREET_CODES.values():
        street = Region.objects.get(code=code)
        stems = rng.sample(COMMUNITY_STEMS, per_street)
        for index, stem in enumerate(stems, start=1):
            _, was_created = Community.objects.get_or_create(
                street=street, name=f"{stem}社区",
                defaults={
                    "code": f"{code}{index:03d}",
                    "households": rng.randrange(800, 4000),
                    "population": rng.randrange(2000, 12000),
                    "area_ha": rng.randrange(800, 4000) / 100,
                    "built_period": rng.choice(list(Community.BuiltPeriod.values)),
                    "hollow_precast_slabs": rng.random() < 0.3,
                },
            )
            created += was_created
    return created
