"""acceptance.permissions: batches and bulletins (通报), as a hand-written matrix of the demo roles;
the menu shows an item iff its page answers 200."""

import datetime as dt

import pytest

from acceptance import bulletins, permissions
from acceptance.models import AcceptanceBatch, Bulletin
from communities.models import Region
from tests.nav_pages import ROLES, assert_nav_matches_pages

pytestmark = pytest.mark.django_db


def test_batches_are_read_by_the_offices_of_districts_and_cities(users):
    for name in ("district_yuecheng", "district_fuyang", "city_shaoxing", "city_jiaxing", "leader_jiaxing",
                 "finance_fuyang", "finance_jiaxing", "admin"):
        assert permissions.can_view_batches(users[name]) == (True, ""), name
    for name in ("street_tashan", "street_fuchun", "street_jianshe"):
        assert permissions.can_view_batches(users[name]) == (
            False, "验收与命名批次由区县（市）和市级单位组织，街道（乡镇）无需查看"), name


def test_who_organises_batches(users):
    for name in ("city_jiaxing", "district_nanhu", "city_shaoxing"):
        assert permissions.can_create_batch(users[name], "acceptance") == (True, ""), name
    for name in ("leader_jiaxing", "finance_jiaxing", "street_jianshe", "admin"):
        assert permissions.can_create_batch(users[name], "acceptance") == (False, "只有风貌办可以操作"), name
    for name in ("leader_jiaxing", "city_jiaxing", "district_nanhu"):
        assert permissions.can_create_batch(users[name], "naming") == (True, ""), name
    for name in ("finance_jiaxing", "street_jianshe", "admin"):
        assert permissions.can_create_batch(users[name], "naming") == (False, "只有命名单位可以操作"), name


def test_only_the_organising_office_records_batch_results(users):
    city = users["city_jiaxing"]
    batch = AcceptanceBatch.objects.create(kind="ad_hoc", held_on=dt.date(2025, 6, 1), title="批次",
                                           office=city.office, created_by=city)
    assert permissions.can_record_batch_results(city, batch) == (True, "")
    for name in ("leader_jiaxing", "district_nanhu", "admin"):
        assert permissions.can_record_batch_results(users[name], batch) == (
            False, "只有组织该批次的单位可以录入验收结果"), name


def test_bulletins_are_read_by_whoever_covers_the_whole_of_shaoxing(users):
    # 绍兴2023 四：“完善工作推进机制，每月通报进展情况，每季度晾晒考评结果” — 绍兴's bulletins only
    for name in ("city_shaoxing", "admin"):
        assert permissions.can_view_bulletins(users[name]) == (True, ""), name
    for name in ("street_tashan", "district_yuecheng", "district_fuyang", "finance_fuyang"):
        assert permissions.can_view_bulletins(users[name]) == (
            False, "月度通报按全市各区县汇总，仅市级单位可以查看"), name
    for name in ("city_jiaxing", "leader_jiaxing", "finance_jiaxing"):
        assert permissions.can_view_bulletins(users[name]) == (
            False, "月度通报依据绍兴2023 四（每月通报进展情况），仅绍兴市编制"), name


def test_jiaxing_city_users_get_no_bulletin_menu_item_or_page(users, client_for):
    """嘉兴 city users had a 月度通报 menu item showing an empty list that cited 绍兴2023."""
    from django.apps import apps

    config = apps.get_app_config("acceptance")
    for name in ("city_jiaxing", "leader_jiaxing", "finance_jiaxing"):
        assert "月度通报" not in [i["label"] for i in config.nav(users[name])], name
    assert "月度通报" in [i["label"] for i in config.nav(users["city_shaoxing"])]
    refused = client_for("city_jiaxing").get("/acceptance/bulletins/")
    assert refused.status_code == 403 and "仅绍兴市编制" in refused.content.decode()


def test_shaoxing_city_sees_its_bulletins_and_streets_do_not(users, client_for):
    shaoxing = Region.objects.get(code="3306")
    data = bulletins.build(shaoxing, "monthly", "2026-09", dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    bulletin = Bulletin.objects.create(city=shaoxing, kind="monthly", period="2026-09", data=data)
    client = client_for("city_shaoxing")
    assert f"/acceptance/bulletins/{bulletin.pk}/" in client.get("/acceptance/bulletins/").content.decode()
    assert client.get(f"/acceptance/bulletins/{bulletin.pk}/").status_code == 200
    street = client_for("street_tashan")
    refused = street.get("/acceptance/bulletins/")
    assert refused.status_code == 403 and "仅市级单位可以查看" in refused.content.decode()


def test_batch_api_list_refuses_streets_with_the_reason(api_for):
    response = api_for("street_jianshe").get("/api/acceptance-batches/")
    assert response.status_code == 403
    assert response.json()["detail"] == "验收与命名批次由区县（市）和市级单位组织，街道（乡镇）无需查看"
    assert api_for("finance_jiaxing").get("/api/naming-batches/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_nav_shows_an_item_iff_its_page_answers_200(users, client, role):
    assert_nav_matches_pages("acceptance", users, client, role)
