"""The left menu (侧边栏): the groups of work, each app's items placed in them, the to-do count
of each item, the active item and the breadcrumbs.

Apps contribute through their AppConfig: `nav(user) -> [{"label", "url", "group", "todo"?}]`,
where `group` is a key of GROUPS (`order`, default 50, sorts within it) and `todo`, when
given, is the number of things waiting for the user behind that item, scoped through
communities.scope by the app that owns it: a compiled count `(key, build)` (portal.compiled;
inside `compiled.once()` the menu sends all of them as one statement) or a zero-argument
callable that returns it. An item is shown iff the app's own permission allows its page, so
the menu and the page always agree.
"""

import contextvars
import html
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

# (key, label) in the order the sidebar shows them (RuoYi-style groups of work).
GROUPS = (
    ("workbench", "工作台"),
    ("projects", "项目"),
    ("review", "审核"),
    ("acceptance", "验收"),
    ("supervision", "督查"),
    ("subsidies", "奖补"),
    ("stats", "统计"),
    ("system", "系统"),
)
GROUP_LABELS = dict(GROUPS)


# (script prefix, URLconf) while build() runs: read once, not once per item (two thread-local
# reads, ~3 µs, for each of a menu's ~25 URLs)
_resolving: contextvars.ContextVar = contextvars.ContextVar("menu_resolving", default=None)


def _where() -> tuple[str, str]:
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def url(name: str) -> str:
    """`reverse(name)` of a menu item, kept per process: every page's menu names ~20 URLs, and
    a reverse costs ~80 µs of CPU. Keyed by the script prefix and URLconf it resolves in."""
    return _url(name, *(_resolving.get() or _where()))


@lru_cache(maxsize=256)
def _url(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


def items_for(user) -> list[dict]:
    """Every app's menu items for `user`, the home page first, in INSTALLED_APPS order."""
    from django.apps import apps

    items = [{"label": "工作台", "url": url("home"), "group": "workbench"}]
    for config in apps.get_app_configs():
        if hasattr(config, "nav"):
            items.extend(config.nav(user))
    return items


def active_item(items: list[dict], path: str) -> dict | None:
    """The item whose URL is the longest prefix of `path` (the home page only for itself)."""
    best = None
    for item in items:
        url = item["url"]
        if path == url or (url != "/" and path.startswith(url)):
            if best is None or len(url) > len(best["url"]):
                best = item
    return best


def build(user, path: str) -> dict:
    """The sidebar groups with their items (to-do counts evaluated), the active item and the
    breadcrumbs for `path`."""
    token = _resolving.set(_where())
    try:
        return _build(user, path)
    finally:
        _resolving.reset(token)


def _build(user, path: str) -> dict:
    from portal import compiled

    items = items_for(user)
    counts = [item["todo"] for item in items if isinstance(item.get("todo"), tuple)]
    compiled.prefetch(counts)  # one round trip for every item's count (inside compiled.once())
    current = active_item(items, path)
    grouped: dict[str, list[dict]] = {}
    for item in sorted(items, key=lambda i: i.get("order", 50)):  # stable: app order within an order
        grouped.setdefault(item.get("group", "system"), []).append(item)
    groups = []
    for key, label in GROUPS:
        members = []
        for item in grouped.get(key, ()):
            members.append({"label": item["label"], "url": item["url"], "active": item is current,
                            "todo": _todo(item.get("todo"))})
        if members:
            groups.append({"key": key, "label": label, "items": members,
                           "open": any(m["active"] for m in members)})
    crumbs = []
    if current is not None and current["url"] != url("home"):
        crumbs = [{"label": GROUP_LABELS.get(current.get("group", "system"), "系统")},
                  {"label": current["label"], "url": current["url"]}]
    return {"menu": groups, "menu_current": current, "breadcrumbs": crumbs,
            "is_detail": current is not None and path != current["url"]}


def _todo(todo) -> int:
    from portal import compiled

    if isinstance(todo, tuple):
        return compiled.count(*todo)
    return todo() if callable(todo) else 0


def sidebar_html(groups: list[dict]) -> SafeString:
    """The sidebar's groups (`build()["menu"]`) as base.html shows them inside <nav id="sidebar">:
    built here rather than by two nested template loops (~0.5 ms of every page's CPU), escaped
    as the template escaped them (Django's escape is html.escape)."""
    parts = []
    for group in groups:
        items = "".join(
            '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}{}</a></li>'.format(
                " active" if item["active"] else "", html.escape(str(item["url"])),
                ' aria-current="page"' if item["active"] else "", html.escape(str(item["label"])),
                ' <span class="badge rounded-pill bg-danger" data-testid="todo-count" title="待办">'
                f'{html.escape(str(item["todo"]))}</span>' if item["todo"] else "")
            for item in group["items"])
        parts.append(f'\n  <div class="menu-group" data-group="{html.escape(str(group["key"]))}">\n'
                     f'    <div class="menu-group-title">{html.escape(str(group["label"]))}</div>\n'
                     f'    <ul class="nav flex-column">\n    {items}\n    </ul>\n  </div>\n  ')
    return mark_safe("".join(parts))  # safe: every value above is escaped
