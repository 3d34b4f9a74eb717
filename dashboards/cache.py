"""Computed dashboards, cached: the one way the pages, their Excel/CSV exports and the
assessment API obtain a board's figures.

A computation is kept in Django's cache under (what, data generation, day, scope, params):
- the data generation (portal.generation) changes with every write of the facts the boards
  read (dashboards.apps watches the models; bulk writers call generation.changed()), so no
  board outlives a write;
- the day, because boards count against today (overdue, "so far this year");
- the scope: what decides what a user sees — the administrator's "all", else the user's
  scope region (communities.scope reads nothing else), plus the board permissions; a city
  user's board is never handed to a district user;
- the parameters the boards read, normalised (junk values cannot grow the cache).
Each entry carries when it was computed; the page says so.
"""

import datetime as dt
import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.utils.timezone import now

from dashboards.permissions import BOARD_PERMISSIONS
from portal import generation

SECONDS = 24 * 3600  # the day is in the key: an entry is useless after it
PARAMS = ("year", "show", "district")
log = logging.getLogger(__name__)


@functools.cache
def release() -> str:
    """The code that computes boards and the policies' targets, and the templates rendered into
    the entries: a deployment that changes them does not meet the entries of the one before in a
    shared cache (the cache outlives it). Read once per process, when the first board is asked
    for (the template loader needs the apps loaded)."""
    from django.template.loader import get_template

    from dashboards import page
    from policies import POLICIES

    digest = hashlib.sha1(repr([policy.quotas() for policy in POLICIES.values()]).encode())
    paths = sorted(Path(__file__).parent.glob("*.py"))
    paths += [Path(get_template(name).origin.name) for name in page.TEMPLATES]
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Computed:
    value: Any
    computed_at: dt.datetime
    # the value as the pages show it, rendered once with it (dashboards.page): a board's page
    # below its tabs (str); the boards list's tabs by active board key (dict)
    html: Any = ""


def scope_key(user) -> str:
    """Everything about the user that changes what a board shows (not who they are)."""
    if not user.is_authenticated or not user.is_active:
        return "none"
    if getattr(user, "is_portal_admin", False):
        scope = "all"
    else:
        region = getattr(user, "scope_region", None)
        scope = f"region{region.pk}" if region is not None else "none"
    allowed = "".join("1" if check(user)[0] else "0" for check in BOARD_PERMISSIONS.values())
    return f"{scope}.{allowed}"


def board_params(params) -> dict[str, str]:
    """The parameters boards read, as short ASCII strings (anything else reads as absent)."""
    clean = {}
    for name in PARAMS:
        value = str(params.get(name, "") or "").strip()
        clean[name] = value if value.isascii() and value.isalnum() and len(value) <= 12 else ""
    return clean


_READ = object()  # `current` not given: read the data generation


def computed(what: str, user, params: dict[str, str], today: dt.date, compute, render=None,
             current=_READ) -> Computed:
    """`compute()`'s result for this user's scope, from the cache when it is current;
    `render(value, computed_at)`, when given, is kept with it as its HTML. `current`: the data
    generation when the caller has just read it (generation.current(), None included)."""
    if current is _READ:
        current = generation.current()
    if current is None:  # no cache reachable: compute every time
        return _computed(compute(), render)
    shown = "&".join(f"{name}={value}" for name, value in sorted(params.items()))
    raw = f"{what}|{release()}|{current}|{today.isoformat()}|{scope_key(user)}|{shown}"
    key = f"dashboards:{what}:{hashlib.sha1(raw.encode()).hexdigest()}"
    hit = _recent.get(key)
    if hit is not None:
        return hit
    try:
        hit = cache.get(key)
    except Exception:
        hit = None
    if hit is None:
        hit = _computed(compute(), render)
        try:
            cache.set(key, hit, SECONDS)
        except Exception:  # a cache outage only costs the next reader a recomputation
            log.warning("dashboards cache: cannot store %s", what, exc_info=True)
    _remember(key, hit)
    return hit


# The entries this process read last, unpickled, by their full key (generation included, read
# from the shared cache on every call, so as fresh as the cache): a hot board is not fetched and
# unpickled again on every request. Callers treat a Computed as read-only.
_recent: dict[str, Computed] = {}
RECENT = 64


def _remember(key: str, entry: Computed) -> None:
    if len(_recent) >= RECENT:
        _recent.pop(next(iter(_recent)), None)
    _recent[key] = entry


def _computed(value, render=None) -> Computed:
    at = now()
    return Computed(value, at, render(value, at) if render is not None else "")


def board(key: str, user, params, today: dt.date, current=_READ) -> Computed:
    """The board `key` (dashboards.boards.build) for the user, params and day."""
    from dashboards import boards, page

    clean = board_params(params)
    return computed(f"board-{key}", user, clean, today, lambda: boards.build(key, user, clean, today),
                    render=lambda value, at: page.body(value, clean, at), current=current)


def tabs(user, today: dt.date, current=_READ) -> Computed:
    """The boards that concern the user (dashboards.boards.boards_for): the index and the tabs;
    its html: the tabs as each page shows them (dashboards.page.tabs, by active board key)."""
    from dashboards import boards, page

    return computed("tabs", user, {}, today, lambda: boards.boards_for(user),
                    render=lambda value, at: page.tabs(value), current=current)


def board_page(key: str, user, params, today: dt.date) -> tuple[Computed, str]:
    """A board page's board and its tabs' HTML, under one reading of the data generation."""
    current = generation.current()
    shown = tabs(user, today, current).html
    return board(key, user, params, today, current), shown.get(key, shown[""])


def assessment(user, year: int, today: dt.date, district_code: str | None = None) -> Computed:
    """年度目标管理考核 entries (dashboards.assessment.assessment): its page, exports and API."""
    from dashboards.assessment import assessment as compute

    params = {"year": str(year), "district": district_code or ""}
    return computed("assessment", user, params, today, lambda: compute(user, year, today, district_code))
