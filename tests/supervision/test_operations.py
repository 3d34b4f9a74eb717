"""Operations after naming (DOMAIN §9; 嘉兴 二(五)13–15, 绍兴2023 三(三), 绍兴2019 二(五)): operators
and how they were chosen, yearly operating reports and 运营基金 inflows, as one dossier."""

import datetime as dt
from decimal import Decimal

import pytest

from portal.errors import Conflict, Forbidden, InvalidInput
from portal.models import Notification
from supervision import operations
from tests.world import user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


@pytest.fixture
def named(drive):
    return drive("shaoxing", listed_on=dt.date(2024, 9, 1), accepted_on=dt.date(2025, 8, 20),
                 named_on=dt.date(2025, 9, 30))


def test_dossier_keeps_operators_reports_and_fund(named):
    street = user("street_tashan")
    operations.add_operator(street, named, {"kind": "comprehensive", "name": "越城城发运营公司",
                                            "selection": "invited", "contract_from": "2025-10-01",
                                            "contract_to": "2030-09-30"})
    operations.add_operator(street, named, {"kind": "specialised", "name": "阳光托育", "services": "托育",
                                            "selection": "open"})
    operations.file_report(street, named, {"year": "2025", "summary": "邻里中心开放", "residents_served": "12000",
                                           "revenue": "350000.50"})
    # 绍兴2019 二(五) “试点项目建设盈余资金按一定比例纳入社区运营基金”: amounts as received
    operations.add_inflow(street, named, {"received_on": "2025-12-20", "amount": "1,200,000.00", "source": "surplus"})
    operations.add_inflow(street, named, {"received_on": "2026-01-15", "amount": "300000", "source": "operating"})
    dossier = operations.dossier(named)
    assert [o.get_selection_display() for o in dossier["operators"]] == ["邀请招标、评定分离", "公开招标"]
    assert dossier["has_comprehensive"] is True
    assert dossier["fund_total"] == Decimal("1500000.00")
    assert [r.year for r in dossier["reports"]] == [2025]
    assert "比例文件未规定" in dossier["basis"]["fund"]
    assert Notification.objects.filter(user__username="district_yuecheng", event="fund_inflow_recorded").count() == 2


def test_one_report_a_year_and_years_from_naming(named):
    street = user("street_tashan")
    operations.file_report(street, named, {"year": "2025", "summary": "开放"})
    with pytest.raises(Conflict, match="2025年度运营报告已报送"):
        operations.file_report(street, named, {"year": "2025", "summary": "重复"})
    with pytest.raises(InvalidInput, match="命名年度"):
        operations.file_report(street, named, {"year": "2024", "summary": "命名前"})


@pytest.mark.parametrize("data, field", [
    ({"received_on": "2025-12-20", "amount": "１００", "source": "surplus"}, "amount"),
    ({"received_on": "2025-12-20", "amount": "1e9", "source": "surplus"}, "amount"),
    ({"received_on": "2025-12-20", "amount": "99999999999999", "source": "surplus"}, "amount"),
    ({"received_on": "2999-01-01", "amount": "1", "source": "surplus"}, "received_on"),
    ({"received_on": "2025-12-20", "amount": "1", "source": "gift"}, "source"),
])
def test_bad_inflow_names_the_field(named, data, field):
    with pytest.raises(InvalidInput) as caught:
        operations.add_inflow(user("street_tashan"), named, data)
    assert field in caught.value.fields
    assert not named.fund_inflows.exists()


def test_only_after_naming_and_only_the_street_or_district(named, listed_project):
    with pytest.raises(Forbidden):
        operations.add_operator(user("city_shaoxing"), named, {"kind": "comprehensive", "name": "甲",
                                                               "selection": "invited"})
    listed = listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=10))
    with pytest.raises(Forbidden, match="命名后"):
        operations.add_operator(user("street_tashan"), listed, {"kind": "comprehensive", "name": "甲",
                                                                "selection": "invited"})
    with pytest.raises(InvalidInput, match="运营期止不能早于运营期起"):
        operations.add_operator(user("district_yuecheng"), named, {
            "kind": "comprehensive", "name": "甲", "selection": "invited", "contract_from": "2026-01-01",
            "contract_to": "2025-01-01"})


def test_list_page_api_and_export(named, client_for, api_for):
    operations.add_inflow(user("street_tashan"), named, {"received_on": "2025-12-20", "amount": "100.00",
                                                         "source": "land"})
    operations.add_inflow(user("street_tashan"), named, {"received_on": "2025-12-21", "amount": "100.00",
                                                         "source": "land"})
    operations.add_operator(user("street_tashan"), named, {"kind": "specialised", "name": "乙", "selection": "open"})
    page = client_for("city_shaoxing").get("/supervision/operations/").content.decode()
    assert named.display_name in page and "200.00" in page
    api = api_for("street_tashan")
    body = api.get(f"/api/operations/{named.pk}/").json()
    assert body["fund_total"] == "200.00" and len(body["operators"]) == 1
    created = api.post(f"/api/operations/{named.pk}/reports/", {"year": 2026, "summary": "运营良好"}, format="json")
    assert created.status_code == 201 and created.json()["reports"][0]["year"] == 2026
    assert api_for("street_jianshe").get(f"/api/operations/{named.pk}/").status_code == 404
    assert client_for("district_yuecheng").get("/supervision/operations.csv").status_code == 200
