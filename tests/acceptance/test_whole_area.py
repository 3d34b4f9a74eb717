"""县域、街道全域未来社区 (绍兴2023 二(三)): “2023年，柯桥区做好全县域未来社区试点工作…每个区、县（市）
各开展1个街道全域试点…2024年起…每年组织开展县域、街道全域未来社区申报建设工作，由市风貌办组织验收，
对未来社区覆盖率达到要求并有效运营的区、县（市）和街道予以公布。”"""

import datetime as dt
from decimal import Decimal

import pytest

from acceptance import whole_area
from acceptance.models import WholeAreaApplication
from policies.shaoxing_2023 import whole_area_refusal
from portal.errors import Conflict, Forbidden, InvalidInput
from tests.world import community, projects

pytestmark = pytest.mark.django_db
COUNTY, STREET = WholeAreaApplication.Kind.COUNTY, WholeAreaApplication.Kind.STREET


def test_2023_county_pilot_is_keqiao_only_and_one_street_pilot_per_district():
    assert whole_area_refusal("county", "330603", 2023, 0) == ""  # 柯桥区
    assert "柯桥区" in whole_area_refusal("county", "330602", 2023, 0)
    assert whole_area_refusal("street", "330602", 2023, 0) == ""
    assert "1个街道全域试点" in whole_area_refusal("street", "330602", 2023, 1)
    assert whole_area_refusal("county", "330602", 2024, 0) == ""  # “2024年起…每年组织开展”
    assert whole_area_refusal("street", "330602", 2024, 3) == ""
    assert "2023年起" in whole_area_refusal("street", "330602", 2022, 0)


def test_district_applies_as_a_whole_city_accepts_and_publishes(users):
    refused = pytest.raises(InvalidInput)
    with refused as error:
        whole_area.apply(users["district_yuecheng"], COUNTY, 2023, "运营良好")
    assert "柯桥区" in error.value.message
    # coverage: one of two urban communities of 塔山街道 has a created project → 50%
    community("330602001", "全域甲社区")
    projects("330602001", 1)
    application = whole_area.apply(users["district_yuecheng"], COUNTY, 2024, "引入综合运营商，运营一年")
    assert application.region.code == "330602" and not application.pilot
    assert application.coverage_at_application == Decimal("0.5000")
    with pytest.raises(Conflict):
        whole_area.apply(users["district_yuecheng"], COUNTY, 2024, "再次申报")
    with pytest.raises(Forbidden):
        whole_area.decide(users["district_yuecheng"], application, accept=True)
    with pytest.raises(Conflict):  # only an accepted application is published
        whole_area.publish(users["city_shaoxing"], application, document_no="绍风貌办〔2024〕5号",
                           published_on="2024-12-20")
    application = whole_area.decide(users["city_shaoxing"], application, accept=True, comment="覆盖率达到要求")
    assert (application.state, application.coverage_at_decision) == ("accepted", Decimal("0.5000"))
    application = whole_area.publish(users["city_shaoxing"], application, document_no="绍风貌办〔2024〕5号",
                                     published_on="2024-12-20")
    assert (application.state, application.published_on) == ("published", dt.date(2024, 12, 20))


def test_street_applies_for_its_own_street_and_2023_is_a_pilot(users):
    application = whole_area.apply(users["street_tashan"], STREET, "2023", "街道全域试点")
    assert (application.region.code, application.pilot) == ("330602001", True)
    with pytest.raises(Forbidden):
        whole_area.apply(users["street_tashan"], COUNTY, 2024, "x")
    with pytest.raises(Forbidden):  # 嘉兴 has no such clause
        whole_area.apply(users["district_nanhu"], COUNTY, 2024, "x")


@pytest.mark.parametrize("year", ["２０２４", "2024²", "3000", "", None])
def test_bad_year_is_refused_naming_the_field(users, year):
    with pytest.raises(InvalidInput) as error:
        whole_area.apply(users["district_yuecheng"], COUNTY, year, "运营良好")
    assert "year" in error.value.fields
    assert not WholeAreaApplication.objects.exists()


def test_pages_scope_and_offices(client_for, users):
    application = whole_area.apply(users["street_tashan"], STREET, 2024, "运营良好")
    assert "塔山街道" in client_for("district_yuecheng").get("/acceptance/whole-area/").content.decode()
    assert client_for("city_jiaxing").get("/acceptance/whole-area/").status_code == 403
    decide = f"/acceptance/whole-area/{application.pk}/decide/"
    assert client_for("district_nanhu").post(decide, {"decision": "accept"}).status_code == 404
    assert client_for("district_yuecheng").post(decide, {"decision": "accept"}).status_code == 403
    assert client_for("city_shaoxing").post(decide, {"decision": "accept"}).status_code == 302
    assert WholeAreaApplication.objects.get(pk=application.pk).state == "accepted"
    page = client_for("district_yuecheng").get("/acceptance/whole-area/").content.decode()
    assert 'data-testid="whole-area-form"' in page and "绍兴2023 二(三)" in page
