"""富阳 work summaries (DOMAIN §9; 富阳 五(一) “每周、每半月、每月进行工作总结和问题梳理，形成问题清单、
工作清单、创新清单”): streets file, the district compiles; other cities have no such duty."""

import datetime as dt

import pytest

from portal.errors import Conflict, Forbidden, InvalidInput
from portal.models import Notification
from supervision import summaries
from supervision.models import WorkSummary
from tests.world import user

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 11, 2)  # a Monday


def file(username="street_fuchun", **changes):
    data = {"kind": "weekly", "period_start": MONDAY.isoformat(), "problems": "征迁进度滞后",
            "work": "完成3栋加装电梯", "innovations": "邻里积分制", **changes}
    return summaries.file_summary(user(username), data)


def test_street_files_and_district_is_told_and_compiles(client_for):
    summary = file()
    assert (summary.kind, summary.period_start, summary.office.region.code) == ("weekly", MONDAY, "330111001")
    assert Notification.objects.filter(user__username="district_fuyang", event="work_summary_filed").exists()
    page = client_for("district_fuyang").get("/supervision/summaries/?kind=weekly").content.decode()
    assert "征迁进度滞后" in page and "邻里积分制" in page
    assert "征迁进度滞后" not in client_for("street_yinhu").get("/supervision/summaries/").content.decode()
    assert client_for("district_fuyang").get("/supervision/summaries.xlsx").status_code == 200


@pytest.mark.parametrize("kind, start, ok", [
    ("weekly", MONDAY, True), ("weekly", MONDAY + dt.timedelta(days=1), False),
    ("half_monthly", dt.date(2026, 10, 16), True), ("half_monthly", dt.date(2026, 10, 15), False),
    ("monthly", dt.date(2026, 10, 1), True), ("monthly", dt.date(2026, 10, 2), False),
])
def test_period_starts_follow_the_stated_rule(kind, start, ok):
    assert summaries.period_start_ok(kind, start) is ok


def test_second_summary_of_the_period_is_refused_and_empty_lists_too():
    file()
    with pytest.raises(Conflict, match="已报送"):
        file()
    with pytest.raises(InvalidInput, match="至少填写一项"):
        file(period_start=(MONDAY - dt.timedelta(days=7)).isoformat(), problems="", work="", innovations="")
    with pytest.raises(InvalidInput, match="期间起始日不正确"):
        file(period_start=(MONDAY + dt.timedelta(days=2)).isoformat())
    assert WorkSummary.objects.count() == 1


def test_only_fuyang_streets_file_and_other_cities_do_not_see_it(client_for):
    with pytest.raises(Forbidden):
        file("street_tashan")
    with pytest.raises(Forbidden):
        file("district_fuyang")
    assert client_for("district_nanhu").get("/supervision/summaries/").status_code == 403


def test_api_lists_in_scope_and_files(api_for):
    created = api_for("street_fuchun").post("/api/work-summaries/", {
        "kind": "monthly", "period_start": "2026-10-01", "problems": "资金拨付慢"}, format="json")
    assert created.status_code == 201, created.json()
    assert api_for("district_fuyang").get("/api/work-summaries/").json()["count"] == 1
    assert api_for("district_nanhu").get("/api/work-summaries/").json()["count"] == 0
