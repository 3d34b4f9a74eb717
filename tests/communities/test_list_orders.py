"""The community list sorted by every key, both ways: the expected orders written out."""

from decimal import Decimal

import pytest

from communities import views
from tests.lists import assert_sorted_as_written
from tests.world import community

pytestmark = pytest.mark.django_db
TASHAN, FUSHAN, KEQIAO, JIANSHE = "330602001", "330602002", "330603001", "330402007"


def test_community_list_orders(client_for):
    # 塔山街道 and 府山街道 are in 越城区, 柯桥街道 in 柯桥区 (all 绍兴); 建设街道 is in 嘉兴
    for name, street, code, households, area in (
            ("A社区", TASHAN, "330602001003", 300, 5), ("B社区", FUSHAN, "330602002001", 100, 9),
            ("C社区", TASHAN, "330602001001", 200, 1), ("D社区", KEQIAO, "330603001002", 400, 3),
            ("E社区", JIANSHE, "330402007001", 50, 2)):
        community(street, name, code=code, households=households, area_ha=Decimal(area))
    assert_sorted_as_written(client_for("city_shaoxing"), "/communities/", views.COMMUNITIES, {
        "": ["A社区", "C社区", "B社区", "D社区"],  # by street
        "name": ["A社区", "B社区", "C社区", "D社区"], "-name": ["D社区", "C社区", "B社区", "A社区"],
        "code": ["C社区", "A社区", "B社区", "D社区"], "-code": ["D社区", "B社区", "A社区", "C社区"],
        "street": ["A社区", "C社区", "B社区", "D社区"], "-street": ["D社区", "B社区", "C社区", "A社区"],
        "district": ["A社区", "C社区", "B社区", "D社区"], "-district": ["D社区", "B社区", "C社区", "A社区"],
        "households": ["B社区", "C社区", "A社区", "D社区"], "-households": ["D社区", "A社区", "C社区", "B社区"],
        "area": ["C社区", "D社区", "A社区", "B社区"], "-area": ["B社区", "A社区", "D社区", "C社区"],
    }, label=lambda c: c.name)
