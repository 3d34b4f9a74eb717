"""The menu and the pages read the same permission: an app's menu item is shown to a user
iff its page answers that user 200. Shared by the apps' test_permissions.py."""

from django.apps import apps

# The demo roles of CONTRACTS §5 every app's menu is checked for.
ROLES = ["street_tashan", "street_fuchun", "district_yuecheng", "district_fuyang", "city_shaoxing",
         "city_jiaxing", "leader_jiaxing", "finance_fuyang", "finance_jiaxing", "admin"]


def nav_urls(app_label: str, user) -> set[str]:
    return {item["url"] for item in apps.get_app_config(app_label).nav(user)}


def assert_nav_matches_pages(app_label: str, users, client, role: str) -> None:
    every = set().union(*(nav_urls(app_label, users[name]) for name in ROLES))
    assert every, f"{app_label} contributes no menu item"
    user = users[role]
    shown = nav_urls(app_label, user)
    client.force_login(user)
    for url in sorted(every):
        status = client.get(url).status_code
        assert (url in shown) == (status == 200), (role, url, "in menu" if url in shown else "not in menu", status)
