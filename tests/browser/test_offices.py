"""#15: one journey per office in Chromium — the sidebar menu walked item by item (each page
answers 200 and marks its item), the workbench with its to-do counts, a detail page with
breadcrumbs and back link, the notices, the policy library reached from a basis, the Chinese
error page, and phone-width pages (hamburger menu, lists as cards). Screenshots go to
$CI_ARTIFACTS; with DOCS_SCREENSHOTS set, the three of the README go there too."""

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from portal.models import Notice
from tests import world as test_world
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DOCS = os.environ.get("DOCS_SCREENSHOTS")


def shot(session, name, docs_name=None):
    session.shot(f"offices-{name}")
    if DOCS and docs_name:
        Path(DOCS).mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / f"offices-{name}.png", Path(DOCS) / docs_name)


def menu_links(page) -> list[tuple[str, str]]:
    links = page.locator("[data-testid=sidebar] a.nav-link")
    return [(links.nth(i).get_attribute("href"), re.sub(r"\s+\d+$", "", links.nth(i).inner_text().strip()))
            for i in range(links.count())]


def walk_menu(session, office):
    """Every sidebar item answers 200 in Chinese and is the active item on its own page."""
    page = session.goto("/")
    links = menu_links(page)
    assert links, office
    for href, _label in links:
        if href.startswith("/admin/"):
            continue
        response = page.goto(f"{session.base_url}{href}")
        assert response.status == 200, (office, href)
        active = page.locator("[data-testid=sidebar] a.nav-link.active")
        assert active.count() == 1 and active.get_attribute("href") == href, (office, href)
        assert "Forbidden" not in page.content() and "Not Found" not in page.content()
    return dict((label, href) for href, label in links)


def groups(page) -> list[str]:
    titles = page.locator("[data-testid=sidebar] .menu-group-title")
    return [titles.nth(i).inner_text().strip() for i in range(titles.count())]


def phone(session):
    """The same signed-in browser at a phone's width."""
    session.page.set_viewport_size(PHONE)
    return session


def jiaxing_world():
    """A Jiaxing project waiting for the district, one listed, one named with its award computed."""
    from subsidies.services import compute_subsidies

    waiting = test_world.create("jiaxing", test_world.community("330402007", "湘家荡社区"))
    test_world.attach_materials(waiting, "submit", test_world.user("street_jianshe"))
    test_world.act(waiting, "street_jianshe", "submit")
    listed = test_world.listed(test_world.create("jiaxing", test_world.community("330402007", "建设社区")),
                               "jiaxing", dt.date(2025, 3, 1))
    named = test_world.drive("jiaxing", listed_on=dt.date(2024, 3, 1), accepted_on=dt.date(2025, 6, 1),
                             named_on=dt.date(2025, 9, 1), community=test_world.community("330402007", "南湖新村社区"))
    compute_subsidies(today=dt.date(2025, 12, 31))
    Notice.objects.create(title="关于报送2026年度创建计划的通知", body="请各街道于12月10日前报送。",
                          published_on=dt.date(2026, 1, 5), pinned=True)
    return waiting, listed, named


def test_street_office_journey(portal):
    _, listed, _ = jiaxing_world()
    street = portal("street_jianshe")
    page = street.goto("/")
    assert groups(page) == ["工作台", "项目", "督查", "统计"]
    assert "待我审核" not in page.locator("[data-testid=sidebar]").inner_text()
    assert page.locator("text=已办（最近办理）").count() == 1
    shot(street, "street-workbench", "street-workbench.png")
    items = walk_menu(street, "street")
    assert "奖补资金" not in items and "月度通报" not in items
    for path in ("/subsidies/", "/projects/review/", "/acceptance/bulletins/"):  # #15 item 18
        assert street.page.goto(f"{street.base_url}{path}").status == 403
        assert "无权访问" in street.page.content()
    page = street.goto(f"/projects/{listed.pk}/")
    crumbs = page.locator("[data-testid=breadcrumbs]")
    assert "创建项目" in crumbs.inner_text() and listed.display_name in crumbs.inner_text()
    shot(street, "street-project")
    page.locator("[data-testid=back-link]").click()
    page.wait_for_url(f"{street.base_url}/projects/")
    # the notice is unread until opened
    page = street.goto("/notices/")
    assert page.locator("[data-testid=notice-unread]").count() == 1
    page.locator("text=关于报送2026年度创建计划的通知").click()
    page.wait_for_selector("[data-testid=notice]")
    assert street.goto("/notices/").locator("[data-testid=notice-unread]").count() == 0
    # phone: the menu folds behind the hamburger; the workbench and the list read as cards
    phone(street)
    page = street.goto("/")
    assert not page.locator("[data-testid=sidebar]").is_visible()
    shot(street, "street-workbench-phone")
    page.locator("[data-testid=menu-toggle]").click()
    page.locator("[data-testid=sidebar] >> text=创建项目").wait_for(state="visible")
    page.wait_for_timeout(600)  # the unfolding transition (.35s)
    assert "show" in page.locator("#sidebar").get_attribute("class").split()
    shot(street, "street-menu-phone")
    page = street.goto("/projects/")
    cell = page.locator("[data-testid=project-table] tbody tr td").first
    assert cell.evaluate("c => getComputedStyle(c).display") == "block"
    assert cell.get_attribute("data-label") == "序号"  # the list numbers its rows (序号) before the community
    shot(street, "street-list-phone")


def test_district_office_journey(portal):
    waiting, _, _ = jiaxing_world()
    district = portal("district_nanhu")
    page = district.goto("/")
    assert groups(page) == ["工作台", "项目", "审核", "验收", "督查", "奖补", "统计"]
    todo = page.locator("[data-testid=sidebar] a[href='/projects/review/'] [data-testid=todo-count]")
    assert todo.inner_text() == "1"
    shot(district, "district-workbench")
    walk_menu(district, "district")
    page = district.goto("/projects/review/")
    shot(district, "district-review", "review-page.png")
    page.locator(f"a[href='/projects/{waiting.pk}/']").first.click()
    page.wait_for_url(f"{district.base_url}/projects/{waiting.pk}/")
    assert "返回创建项目" in page.locator("[data-testid=back-link]").inner_text()
    shot(district, "district-project")
    page = district.goto("/projects/999999/")
    assert "页面不存在" in page.content() and page.locator("[data-testid=sidebar]").count() == 1
    shot(district, "district-404")


def test_city_office_journey(portal):
    _, listed, _ = jiaxing_world()
    city = portal("city_jiaxing")
    page = city.goto("/")
    assert groups(page) == ["工作台", "项目", "审核", "验收", "督查", "奖补", "统计"]
    shot(city, "city-workbench")
    walk_menu(city, "city")
    page = city.goto(f"/projects/{listed.pk}/")
    assert listed.display_name in page.locator("[data-testid=breadcrumbs]").inner_text()
    page = city.goto("/policies/")
    assert page.locator("[data-testid=policy-documents] li").count() == 4
    shot(city, "city-policy-library")


def test_leader_journey_on_a_phone(portal):
    jiaxing_world()
    leader = portal("leader_jiaxing")
    page = leader.goto("/")
    assert "统计" in groups(page)
    walk_menu(leader, "leader")
    shot(leader, "leader-workbench")
    page = leader.goto("/dashboards/")
    board = page.locator("[data-testid=dashboard-tabs] a.nav-link").nth(1).get_attribute("href")
    for _ in range(2):  # computed, then from the cache (page body and tabs kept with the computation)
        page = leader.goto(f"{board}?year=2025")
        assert page.locator("[data-testid=dashboard-tabs] .nav-link.active").get_attribute("href") == board
        assert page.locator("[data-testid=export-xlsx]").get_attribute("href") == f"{board[:-1]}.xlsx?year=2025"
    shot(leader, "leader-dashboard-" + board.strip("/").replace("/", "-"))
    phone(leader)
    page = leader.goto("/dashboards/")
    shot(leader, "leader-dashboards-phone")
    tabs = page.locator("a[href^='/dashboards/']:not([href$='.xlsx']):not([href$='.csv'])")
    hrefs = sorted({tabs.nth(i).get_attribute("href") for i in range(tabs.count())} - {"/dashboards/"})
    for href in hrefs[:5]:
        assert page.goto(f"{leader.base_url}{href}").status == 200
        shot(leader, "leader-dashboard-phone-" + href.strip("/").replace("/", "-"))
        page = leader.page


def test_finance_office_journey(portal):
    jiaxing_world()
    finance = portal("finance_jiaxing")
    page = finance.goto("/")
    assert groups(page)[:1] == ["工作台"] and "奖补" in groups(page)
    walk_menu(finance, "finance")
    page = finance.goto("/subsidies/")
    assert page.locator("text=南湖新村社区").count() >= 1
    shot(finance, "finance-ledger", "finance-ledger.png")
    page = finance.goto("/subsidies/summary/?unit=wan")  # the 合计 row: the sum of the rows above it
    table = page.locator("[data-testid=summary-table]")
    counts = [int(text) for text in table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert counts and int(table.locator("tfoot td:nth-child(2)").inner_text()) == sum(counts)
    shot(finance, "finance-summary")
    phone(finance).goto("/subsidies/summary/?unit=wan")
    shot(finance, "finance-summary-phone")
    assert finance.page.goto(f"{finance.base_url}/projects/review/").status == 403


def test_admin_journey(portal):
    jiaxing_world()
    admin = portal("admin")
    page = admin.goto("/")
    assert groups(page)[-1] == "系统"
    walk_menu(admin, "admin")
    # post a notice through the form; a street user then sees it unread
    page = admin.goto("/notices/new/")
    page.fill("#id_title", "系统维护通知")
    page.fill("#id_body", "本周六22:00至24:00系统维护。")
    page.fill("#id_published_on", "2026-01-10")
    page.click("[data-testid=notice-form] button[type=submit]")
    page.wait_for_selector("[data-testid=notice]")
    shot(admin, "admin-notice")
    page = admin.goto("/notices/new/")
    page.fill("#id_title", "   ")  # blank once trimmed: the summary and red borders, nothing saved
    page.fill("#id_body", "正文")
    page.fill("#id_published_on", "2026-01-10")
    page.click("[data-testid=notice-form] button[type=submit]")
    # click() does not wait for the response page: wait for the summary, then count it
    page.wait_for_selector("[data-testid=form-error-summary]")
    assert page.locator("[data-testid=form-error-summary]").count() == 1
    assert page.locator("#id_title[aria-invalid=true]").count() == 1
    shot(admin, "admin-form-errors")
    # a basis links to its clause: Fuyang's construction deadline cites 富阳 四(六)
    fuyang = test_world.listed(test_world.create("fuyang"), "fuyang", dt.date(2025, 3, 1))
    page = admin.goto(f"/projects/{fuyang.pk}/")
    page.locator("[data-testid=deadline] a.basis-link").first.click()
    page.wait_for_url(re.compile(r"/policies/#fuyang-4-6$"))
    assert page.locator("#fuyang-4-6").inner_text().startswith("（六）时间要求")
    shot(admin, "admin-policy-clause")
    page = admin.goto("/users/")
    assert page.locator("[data-testid=user-row]").count() >= 10
    shot(admin, "admin-users")
    page = admin.goto("/logs/operations/")
    table = page.locator("[data-testid=log-table]").inner_text()
    assert "发布通知公告" in table and "系统维护通知" in table
    shot(admin, "admin-operation-log")
