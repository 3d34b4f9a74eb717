"""What the scale data is made of (demo.scale_seed): the scales, the anchor date every date is
fixed against, how synthetic units are marked, and the small value helpers the generator's
modules share. Synthetic units: every name ends in （合成）, every synthetic city code is PP51–PP89."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

ANCHOR = dt.date(2026, 9, 30)
SYNTHETIC = "（合成）"
COMMUNITY_NOTE = "seed_scale 合成数据"
CHUNK_PROJECTS = 20_000

# Real provinces other than 33 (浙江); synthetic cities under them use codes PP51–PP89.
OTHER_PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "34", "35", "36", "37",
                   "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63",
                   "64", "65")
FIRST_SYNTHETIC_CITY = 51
# Real districts whose policy a synthetic city borrows, in turn: 越城, 南湖, 嘉善, 富阳, 诸暨.
MODEL_DISTRICTS = ("330602", "330402", "330421", "330111", "330681")
# The first listing date each model's policies allow for (a project is bound on creation too).
EARLIEST = {"3306": dt.date(2020, 3, 1), "3304": dt.date(2023, 3, 1), "330111": dt.date(2021, 3, 1)}


@dataclass(frozen=True)
class Scale:
    real_communities: int
    real_projects: int
    provinces: tuple[str, ...] = ()  # synthetic provinces (codes)
    zhejiang_cities: int = 0  # synthetic cities in province 33
    cities: int = 0  # per synthetic province
    districts: int = 0  # per synthetic city
    streets: int = 0  # per synthetic district
    synthetic_communities: int = 0
    synthetic_projects: int = 0


SCALES = {
    "tiny": Scale(40, 80, ("11",), 1, 1, 2, 2, 30, 70),  # tests/demo/test_scale_seed.py
    "province": Scale(5_000, 10_000),
    "nation": Scale(5_000, 10_000, OTHER_PROVINCES, 8, 4, 5, 8, 115_000, 290_000),
}
NAME_CHARS = "东南西北中新安平永和兴华宁康泰福瑞祥丰清江河山湖海云龙凤阳明光文德仁义金玉石桥松柏梅兰竹溪林田"


def _at(day: dt.date, minutes: int) -> str:
    """A working-hours moment of `day` in Asia/Shanghai, `minutes` (< 900) after 9:00, as text
    (both backends parse it; formatting it is far cheaper than an aware datetime)."""
    return f"{day} {9 + minutes // 60:02d}:{minutes % 60:02d}:00+08:00"


def _int(rng: random.Random, low: int, high: int) -> int:
    """rng.randint(low, high) for hot loops (one random() call, same determinism)."""
    return low + int(rng.random() * (high - low + 1))


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=_int(rng, 0, (last - first).days))


def _spread(rng: random.Random, total: int, slots: int) -> list[int]:
    counts = [total // slots] * slots
    for index in rng.sample(range(slots), total % slots):
        counts[index] += 1
    return counts


def _months(first: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """(year, month) from `first`'s month to the month before `end`'s."""
    year, month, months = first.year, first.month, []
    while (year, month) < (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months

