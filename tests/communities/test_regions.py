"""The 区县 → 街道 filter of list pages (communities.regions): options by name within the
user's scope, the streets endpoint the browser uses, 404 outside the scope. Expected names are
those of fixtures/regions.csv, written out by hand."""

import pytest
from django.http import Http404

from communities.regions import region_filter

pytestmark = pytest.mark.django_db
SHAOXING_DISTRICTS = ["越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"]


def test_city_user_is_offered_the_citys_districts_by_name(users):
    chosen = region_filter(users["city_shaoxing"], {})
    assert [d.name for d in chosen.districts] == SHAOXING_DISTRICTS
    assert chosen.streets == []


def test_district_user_is_offered_their_district_and_its_streets(users):
    chosen = region_filter(users["district_yuecheng"], {"district": "330602"})
    assert [d.name for d in chosen.districts] == ["越城区"]
    names = [s.name for s in chosen.streets]
    assert names[:3] == ["塔山街道", "府山街道", "北海街道"] and len(names) == 17


def test_street_user_is_offered_only_their_own_street(users):
    chosen = region_filter(users["street_tashan"], {"street": "330602001"})
    assert [d.name for d in chosen.districts] == ["越城区"]
    assert (chosen.district, [s.name for s in chosen.streets]) == ("330602", ["塔山街道"])
    with pytest.raises(Http404):
        region_filter(users["street_tashan"], {"street": "330602002"})  # 府山街道, the sibling


@pytest.mark.parametrize(("params", "username"), [
    ({"district": "330402"}, "city_shaoxing"),  # 南湖区 (嘉兴)
    ({"street": "330402007"}, "district_yuecheng"),
    ({"district": "330602", "street": "330603001"}, "city_shaoxing"),  # a street of another district
    ({"district": "no-such"}, "admin"),
])
def test_a_filter_outside_the_scope_is_404(users, params, username):
    with pytest.raises(Http404):
        region_filter(users[username], params)


def test_streets_endpoint_answers_the_districts_streets_within_scope(client_for):
    client = client_for("district_yuecheng")
    data = client.get("/regions/streets/", {"district": "330602"}).json()
    assert data["streets"][0] == {"code": "330602001", "name": "塔山街道"} and len(data["streets"]) == 17
    assert client.get("/regions/streets/", {"district": "330402"}).status_code == 404
    assert client.get("/regions/streets/").json() == {"streets": []}
    assert client_for("street_tashan").get("/regions/streets/", {"district": "330602"}).json() == {
        "streets": [{"code": "330602001", "name": "塔山街道"}]}


def test_project_list_offers_the_dropdowns_and_a_reset(client_for):
    text = client_for("city_shaoxing").get("/projects/").content.decode()
    assert 'data-testid="filter-district"' in text and '<option value="330603">柯桥区</option>' in text
    assert 'data-testid="filter-reset"' in text and 'placeholder="区县代码"' not in text
