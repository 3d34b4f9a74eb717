"""Printable A4 forms of a project (issue #15): 申报表 and 审核意见表 — scoped like the detail
page (404 outside it), linked from it, with a 签章 area; the print stylesheet hides menus and
buttons on paper."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from tests import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(users):
    made = world.create("shaoxing", households=1280, responsible_unit="塔山街道城建办",
                        planned_start=dt.date(2026, 3, 1), planned_finish=dt.date(2027, 6, 1),
                        total_investment="123456789.00")
    return world.listed(made, "shaoxing", dt.date(2026, 5, 8))


def test_application_form_shows_every_submitted_fact_and_a_sign_area(client_for, project):
    response = client_for("district_yuecheng").get(f"/projects/{project.pk}/print/application/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "未来社区创建项目申报表" in text and 'data-testid="sign-area"' in text
    for shown in ("<th>涉及户数</th><td>1280</td>", "<th>责任单位</th><td>塔山街道城建办</td>",
                  "<th>计划开工（月）</th><td>2026年03月</td>", "<th>计划完工（月）</th><td>2027年06月</td>",
                  "<th>总投资（元）</th><td>123,456,789.00</td>", "申报单位（街道、乡镇）意见", "（盖章）",
                  "<tr><td>邻里</td><td>不涉及</td><td></td></tr>", "<tr><td>治理</td><td>不涉及</td><td></td></tr>"):
        assert shown in text, shown
    assert "嘉兴创建类型" not in text  # a Shaoxing project


def test_review_opinions_list_the_history_in_order(client_for, project):
    text = client_for("city_shaoxing").get(f"/projects/{project.pk}/print/review/").content.decode()
    actions = list(project.transitions.order_by("at", "id").values_list("action_label", flat=True))
    assert actions == ["创建项目", "提交申报", "审核通过", "录入列入创建名单"]  # 越城区 then 绍兴市 list it
    positions = [text.index(f"<td>{label}</td>") for label in actions]
    assert positions == sorted(positions)
    assert 'data-testid="sign-area"' in text and "审核记录取自系统留痕" in text


@pytest.mark.parametrize("path", ["application", "review"])
def test_printable_forms_are_404_outside_the_scope(client_for, project, path):
    assert client_for("street_jianshe").get(f"/projects/{project.pk}/print/{path}/").status_code == 404
    assert client_for("street_tashan").get(f"/projects/{project.pk}/print/{path}/").status_code == 200


def test_detail_page_links_to_its_printable_forms(client_for, project):
    text = client_for("street_tashan").get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/print/application/"' in text
    assert f'href="/projects/{project.pk}/print/review/"' in text


def test_print_stylesheet_hides_menus_and_buttons_on_paper(client_for, project):
    css = (Path(settings.BASE_DIR) / "static/css/print.css").read_text(encoding="utf-8")
    rule = css[css.index("@media print"):]
    for selector in ("nav", ".navbar", ".btn", ".no-print", ".pagination"):
        assert selector in rule.split("{", 2)[1], selector
    assert "size: A4" in css
    page = client_for("street_tashan").get(f"/projects/{project.pk}/print/application/").content.decode()
    assert "/static/css/print.css" in page and 'data-print' in page


def test_application_form_names_a_draft_policy_as_the_draft_it_is(client_for, users):
    # issue #16 item 9: the 富阳 text is a 征求意见稿, said wherever the policy is named
    made = world.create("fuyang")
    text = client_for("street_fuchun").get(f"/projects/{made.pk}/print/application/").content.decode()
    assert "<td colspan=\"3\">富阳区城镇未来社区创建工作行动方案（2021-2023年）（征求意见稿）</td>" in text
