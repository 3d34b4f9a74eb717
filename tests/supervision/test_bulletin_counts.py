"""督办 counts in the bulletins (DOMAIN §9 "督办 counts in the bulletins"; 绍兴2023 四 月度通报):
supervision registers its columns into acceptance.bulletins, which lists them per district."""

import datetime as dt

import pytest

from acceptance.bulletins import COLUMNS, build
from communities.models import Office, Region
from supervision import inspections, orders
from tests.world import user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here
FIRST = TODAY.replace(day=1)
LAST = (FIRST + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def test_bulletin_counts_supervision_orders_and_inspection_orders_per_district(listed_project):
    project = listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=40))
    district = Office.objects.get(kind="district_townscape", region__code="330602")
    orders.issue(user("city_shaoxing"), {"target_office": district.pk, "projects": [project.pk], "subject": "督办",
                                         "requirements": "加快", "reply_due_on": (TODAY + dt.timedelta(days=3))
                                         .isoformat()})
    orders.issue(user("district_yuecheng"), {
        "target_office": Office.objects.get(kind="street", region__code="330602001").pk, "projects": [project.pk],
        "subject": "督办街道", "requirements": "补报", "reply_due_on": (TODAY + dt.timedelta(days=3)).isoformat()})
    inspections.record_inspection(user("district_yuecheng"), project, {
        "inspected_on": TODAY.isoformat(), "inspectors": "甲", "findings": "乙",
        "items": [{"requirements": "整改", "due_on": (TODAY + dt.timedelta(days=9)).isoformat()}]})
    assert ("supervision_issued", "督办单（期内下发）") in COLUMNS
    data = build(Region.objects.get(code="3306"), "monthly", f"{FIRST:%Y-%m}", FIRST, LAST)
    yuecheng = next(row for row in data["rows"] if row["district_code"] == "330602")
    # one 督办单 to the district office and one to its street; one 检查整改单
    assert (yuecheng["supervision_issued"], yuecheng["inspection_orders"]) == (2, 1)
    late_expected = 1 if TODAY + dt.timedelta(days=3) <= LAST else 0  # due in the period, unanswered
    assert yuecheng["supervision_late"] == late_expected * 2
    assert data["totals"]["supervision_issued"] == 2
