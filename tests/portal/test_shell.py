"""The portal shell (#15 items 8, 11, 18, 19): the sidebar grouped by work, to-do counts,
breadcrumbs and back link, the Chinese error pages with the menu, the favicon, the form error
summary and the header badge."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path

from portal import menu
from portal.models import Notification
from tests import world as test_world

pytestmark = pytest.mark.django_db


def sidebar(html: str) -> dict[str, list[str]]:
    """group label → item labels, read from the rendered sidebar."""
    part = html.split('data-testid="sidebar"', 1)[1].split("</nav>", 1)[0]
    groups = {}
    for block in part.split('class="menu-group"')[1:]:
        title = re.search(r'menu-group-title">([^<]+)<', block).group(1)
        groups[title] = [re.sub(r"<[^>]+>|\s+\d+$", "", label).strip()
                         for label in re.findall(r'class="nav-link[^"]*"[^>]*>(.*?)</a>', block)]
    return groups


def test_street_menu_offers_its_work_and_no_review_acceptance_or_subsidies(client_for):
    html = client_for("street_tashan").get("/").content.decode()
    groups = sidebar(html)
    assert list(groups) == ["工作台", "项目", "督查", "统计"]
    assert groups["统计"] == ["统计看板", "报表导出"]
    assert groups["工作台"] == ["工作台", "消息", "通知公告", "政策文件库"]
    # a 绍兴 street publishes its 公示 and may apply for 街道全域 (绍兴2023 二(三))
    assert set(groups["项目"]) == {"社区档案", "创建项目", "政策模拟", "公示管理", "县域、街道全域"}
    # it answers inspections' 整改单 and 督办单, keeps the operations dossier, files 旧改 approvals
    assert groups["督查"] == ["检查整改与督办", "运营档案", "旧改审批台账"]
    assert "审核" not in groups and "奖补" not in groups and "验收" not in groups


@pytest.mark.parametrize("path", ["/subsidies/", "/projects/review/", "/acceptance/bulletins/"])
def test_street_users_cannot_reach_review_subsidies_or_bulletins(client_for, path):
    """#15 item 18: not offered in the menu and refused by URL."""
    client = client_for("street_tashan")
    assert path not in client.get("/").content.decode().split('data-testid="sidebar"', 1)[1].split("</nav>")[0]
    response = client.get(path)
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_district_finance_and_admin_menus_are_grouped_by_work(client_for):
    assert sidebar(client_for("district_yuecheng").get("/").content.decode())["审核"] == ["待我审核"]
    finance = sidebar(client_for("finance_jiaxing").get("/").content.decode())
    # 嘉兴's city offices also read the 年度目标管理考核 (嘉兴 三(三), dashboards.permissions.can_view_assessment)
    assert finance["奖补"] == ["奖补资金"] and finance["统计"] == ["统计看板", "年度目标管理考核", "报表导出"]
    admin = sidebar(client_for("admin").get("/").content.decode())
    assert admin["系统"] == ["用户管理", "操作日志", "登录日志", "系统管理（后台）"]


def test_the_active_item_is_the_longest_matching_menu_url():
    items = [{"url": "/", "label": "工作台"}, {"url": "/projects/", "label": "创建项目"},
             {"url": "/projects/review/", "label": "待我审核"}]
    assert menu.active_item(items, "/projects/review/")["label"] == "待我审核"
    assert menu.active_item(items, "/projects/68/")["label"] == "创建项目"
    assert menu.active_item(items, "/communities/") is None
    assert menu.active_item(items, "/")["label"] == "工作台"


def test_detail_page_has_breadcrumbs_and_a_back_link_to_its_list(client_for, world):
    project = world.project["listed"]
    html = client_for("street_tashan").get(f"/projects/{project.pk}/").content.decode()
    crumbs = html.split('data-testid="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert "工作台" in crumbs and "项目" in crumbs and 'href="/projects/">创建项目</a>' in crumbs
    assert 'data-testid="back-link"' in crumbs and "返回创建项目" in crumbs


def test_list_page_has_breadcrumbs_but_no_back_link(client_for):
    html = client_for("street_tashan").get("/projects/").content.decode()
    assert 'data-testid="breadcrumbs"' in html and 'data-testid="back-link"' not in html


def test_street_to_do_count_is_its_returned_and_rectifying_projects(client_for, world):
    html = client_for("street_tashan").get("/").content.decode()
    item = re.search(r'href="/projects/">创建项目 <span[^>]*data-testid="todo-count"[^>]*>(\d+)</span>', html)
    # the world has one project in each status: 已退回 and 整改中 wait on the street
    assert item and item.group(1) == "2"


def test_to_do_counts_cost_the_same_queries_whatever_the_number_of_projects(users, world):
    from communities.models import User

    def queries():  # a fresh user object each time, as each request has (scope.py caches on it)
        reviewer = User.objects.select_related("office__region").get(pk=users["district_yuecheng"].pk)
        with CaptureQueriesContext(connection) as captured:
            menu.build(reviewer, "/")
        return len(captured)

    before = queries()
    from projects.models import Status
    test_world.projects("330602001", 15, status=Status.SUBMITTED, prefix="排队", review_step=0)
    assert queries() == before


def test_header_badge_counts_unread_messages_and_home_unread_alerts_count_alerts(client_for, users):
    user = users["street_tashan"]
    for n in range(3):
        Notification.objects.create(user=user, event="alert", key=f"alert:t{n}", title=f"预警{n}", mode="none")
    Notification.objects.create(user=user, event="rectification_issued", key="r:1", title="整改通知", mode="none")
    html = client_for("street_tashan").get("/").content.decode()
    badge = re.search(r'data-testid="unread-badge">消息 <span[^>]*>(\d+)</span>', html)
    assert badge.group(1) == "4"  # every unread message, as the inbox's 仅未读 lists
    section = re.search(r"未读预警 <span class=\"badge bg-secondary\">(\d+)</span>", html)
    assert section.group(1) == "3"  # alerts only, as the section is titled


def test_favicon_is_linked_and_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    html = Client().get("/accounts/login/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    return settings


def test_404_is_chinese_with_the_menu_when_logged_in(production, client_for):
    response = client_for("district_yuecheng").get("/projects/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and 'data-testid="sidebar"' in html and "待我审核" in html


def test_403_is_chinese_with_the_menu(production, client_for):
    response = client_for("street_tashan").get("/subsidies/")
    html = response.content.decode()
    assert response.status_code == 403 and "无权访问" in html and 'data-testid="sidebar"' in html
    assert "Forbidden" not in html


def test_500_is_chinese_with_the_menu(production, users):
    from config import urls as root

    production.ROOT_URLCONF = "tests.portal.urlconf_boom"
    client = Client(raise_request_exception=False)
    client.force_login(users["city_shaoxing"])
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统错误" in html and 'data-testid="sidebar"' in html and root.handler500


def test_csrf_failure_is_chinese_with_the_menu(production, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    response = client.post("/notices/new/", {"title": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in html and 'data-testid="sidebar"' in html and "CSRF" not in html


def test_an_invalid_form_shows_the_summary_and_marks_the_fields(client_for):
    response = client_for("admin").post("/notices/new/", {"title": "", "body": "正文", "published_on": "2026-13-01"})
    html = response.content.decode()
    summary = html.split('data-testid="form-error-summary"', 1)[1].split("</div>", 1)[0]
    assert "标题" in summary and "发布日期" in summary and "__all__" not in summary
    assert re.search(r'<input[^>]*name="title"[^>]*aria-invalid="true"', html)
    assert re.search(r'<input[^>]*name="published_on"[^>]*aria-invalid="true"', html)


@pytest.mark.parametrize(("template", "value", "shown"), [
    ("{{ v|ymd }}", __import__("datetime").date(2026, 12, 1), "2026-12-01"),
    ("{{ v|ymd }}", None, "—"),
    ("{{ v|money }}", "1234567.8", "1,234,567.80"),
    ("{{ v|wan }}", "12000000", "1,200.0000"),
    ("{{ v|money }}", "", "—"),
])
def test_one_format_module_for_dates_and_amounts(template, value, shown):
    from django.template import Context, Template

    assert Template("{% load portal %}" + template).render(Context({"v": value})) == shown


def test_a_datetime_is_shown_in_local_time():
    import datetime as dt

    from django.template import Context, Template

    utc = dt.datetime(2026, 11, 30, 17, 5, tzinfo=dt.UTC)  # 2026-12-01 01:05 in Asia/Shanghai
    rendered = Template("{% load portal %}{{ v|ymd }} {{ v|ymdhm }}").render(Context({"v": utc}))
    assert rendered == "2026-12-01 2026-12-01 01:05"


def test_every_page_writes_dates_as_year_month_day_and_fills_date_inputs_so():
    import datetime as dt

    from django import forms
    from django.template import Context, Template

    rendered = Template("{{ d }}|{{ d|date }}|{{ t }}").render(
        Context({"d": dt.date(2026, 12, 1), "t": dt.datetime(2026, 12, 1, 9, 5)}))
    assert rendered == "2026-12-01|2026-12-01|2026-12-01 09:05"

    class Dated(forms.Form):
        planned_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    # a type=date input only shows a value written YYYY-MM-DD (Django's zh-Hans wrote 2026/12/01)
    assert 'value="2026-12-01"' in str(Dated(initial={"planned_start": dt.date(2026, 12, 1)})["planned_start"])


def test_finance_to_do_count_is_what_awaits_its_office(client_for, drive, compute):
    import datetime as dt

    drive("jiaxing", listed_on=dt.date(2024, 3, 1), accepted_on=dt.date(2025, 6, 1), named_on=dt.date(2025, 9, 1))
    compute(dt.date(2025, 12, 31))
    html = client_for("finance_jiaxing").get("/").content.decode()
    # 嘉兴 三(二): the award of a 市本级 district (南湖区) is paid half by the city, half by the
    # district; 嘉兴市财政局 acts on the city's tranche only
    item = re.search(r'href="/subsidies/"[^>]*>奖补资金 <span[^>]*data-testid="todo-count"[^>]*>(\d+)</span>', html)
    assert item and item.group(1) == "1"


def test_a_menu_url_is_the_reverse_of_its_name_under_the_current_prefix():
    from django.urls import reverse, set_script_prefix

    assert menu.url("portal:inbox") == reverse("portal:inbox") == "/inbox/"
    set_script_prefix("/portal/")  # served under a sub-path (SCRIPT_NAME)
    try:
        assert menu.url("portal:inbox") == "/portal/inbox/"
    finally:
        set_script_prefix("/")
    assert menu.url("portal:inbox") == "/inbox/"


def test_the_menu_url_tag_writes_what_the_url_tag_writes():
    from django.template import Context, Template

    names = ["home", "logout", "password_change", "portal:inbox"]
    cached = Template("{% load portal %}" + "|".join(f"{{% menu_url '{n}' %}}" for n in names))
    plain = Template("|".join(f"{{% url '{n}' %}}" for n in names))
    expected = "/|/accounts/logout/|/accounts/password/|/inbox/"
    assert cached.render(Context()) == plain.render(Context()) == expected


# base.html's sidebar loop before it moved to portal.menu.sidebar_html: the reference it must equal.
SIDEBAR_LOOP = """{% for group in menu %}
  <div class="menu-group" data-group="{{ group.key }}">
    <div class="menu-group-title">{{ group.label }}</div>
    <ul class="nav flex-column">
    {% for item in group.items %}<li class="nav-item"><a class="nav-link{% if item.active %} active{% endif %}" href="{{ item.url }}"{% if item.active %} aria-current="page"{% endif %}>{{ item.label }}{% if item.todo %} <span class="badge rounded-pill bg-danger" data-testid="todo-count" title="待办">{{ item.todo }}</span>{% endif %}</a></li>{% endfor %}
    </ul>
  </div>
  {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("username,path", [("admin", "/"), ("street_tashan", "/projects/"),
                                           ("district_yuecheng", "/projects/review/"),
                                           ("finance_jiaxing", "/dashboards/plan/")])
def test_the_sidebar_html_is_what_the_template_loop_rendered(users, world, username, path):
    from django.template import engines

    groups = menu.build(users[username], path)["menu"]
    groups[0]["items"].append({"label": "<&\"'>", "url": "/x/?a=1&b=\"2\"", "active": True, "todo": 3})
    groups[-1]["items"].append({"label": "零", "url": "/y/", "active": False, "todo": 0})
    expected = engines["django"].from_string(SIDEBAR_LOOP).render({"menu": groups})
    assert menu.sidebar_html(groups) == expected
    assert any(item["todo"] for group in groups for item in group["items"])
