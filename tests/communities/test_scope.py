"""Data scope (DOMAIN §1): each office sees its region subtree; outside it is 404."""

import pytest

from communities.models import Community
from tests.world import community, street_user

pytestmark = pytest.mark.django_db

TASHAN, SIBLING, JIANSHE = "330602001", "330602002", "330402007"


@pytest.fixture
def places(users, region):
    own = community(TASHAN, "塔山甲社区")
    sibling = community(SIBLING, "同区乙社区")
    other_city = community(JIANSHE, "嘉兴丙社区")
    return {"own": own, "sibling": sibling, "other_city": other_city,
            "sibling_user": street_user(SIBLING, "street_sibling")}


def visible_names(user):
    return set(Community.objects.visible_to(user).values_list("name", flat=True))


def test_street_user_sees_only_own_street(users, places):
    names = visible_names(users["street_tashan"])
    assert "塔山甲社区" in names
    assert names.isdisjoint({"同区乙社区", "嘉兴丙社区"})
    assert Community.objects.visible_to(users["street_tashan"]).exclude(
        street__code=TASHAN).count() == 0


def test_sibling_street_user_does_not_see_other_street_of_same_district(places):
    names = visible_names(places["sibling_user"])
    assert "同区乙社区" in names and "塔山甲社区" not in names


def test_street_user_of_other_city_sees_nothing_of_shaoxing(users, places):
    names = visible_names(users["street_jianshe"])
    assert "嘉兴丙社区" in names
    assert names.isdisjoint({"塔山甲社区", "同区乙社区"})


def test_district_user_sees_all_streets_of_district_only(users, places):
    names = visible_names(users["district_yuecheng"])
    assert {"塔山甲社区", "同区乙社区"} <= names and "嘉兴丙社区" not in names


def test_city_user_sees_whole_city_only(users, places):
    names = visible_names(users["city_shaoxing"])
    assert {"塔山甲社区", "同区乙社区"} <= names and "嘉兴丙社区" not in names
    fuyang = Community.objects.filter(street__parent__code="330111")
    assert not (set(fuyang.values_list("name", flat=True)) & names - {"塔山甲社区", "同区乙社区"})


def test_admin_sees_everything(users, places):
    assert Community.objects.visible_to(users["admin"]).count() == Community.objects.count()


def test_user_without_office_sees_nothing(db, places):
    from communities.models import User

    nobody = User.objects.create_user("nobody", password="x")
    assert Community.objects.visible_to(nobody).count() == 0


EXPECTED_VISIBLE = {
    "street_tashan": {"own"},
    "street_jianshe": {"other_city"},
    "district_nanhu": {"other_city"},
    "city_jiaxing": {"other_city"},
    "district_yuecheng": {"own", "sibling"},
    "city_shaoxing": {"own", "sibling"},
    "street_fuchun": set(),
}


@pytest.mark.parametrize("username", sorted(EXPECTED_VISIBLE))
def test_detail_page_and_api_outside_scope_are_404(client_for, api_for, places, username):
    for key in ("own", "sibling", "other_city"):
        community = places[key]
        expected = 200 if key in EXPECTED_VISIBLE[username] else 404
        page = client_for(username).get(f"/communities/{community.pk}/")
        api = api_for(username).get(f"/api/communities/{community.pk}/")
        assert (page.status_code, api.status_code) == (expected, expected), key


def test_api_list_filters_by_street_and_stays_in_scope(api_for, places):
    response = api_for("district_yuecheng").get("/api/communities/", {"street": SIBLING})
    assert response.status_code == 200
    assert {r["name"] for r in response.json()["results"]} == {"同区乙社区"}
    response = api_for("street_tashan").get("/api/communities/", {"street": SIBLING})
    assert response.json()["count"] == 0


def test_moving_a_street_moves_its_communities_into_the_new_district(users, places, region):
    from communities.models import RegionChange
    from communities.services import move_region

    lihai = region("330602017")  # 沥海街道, already under 越城区 in the 2022 codes
    community_ = community("330602017", "沥海社区")
    move_region(lihai, region("330604"), by=users["admin"])
    assert community_.pk not in visible_ids(users["district_yuecheng"])
    assert community_.pk in visible_ids(users["city_shaoxing"])
    assert RegionChange.objects.filter(region=lihai, field="parent").exists()


def visible_ids(user):
    return set(Community.objects.visible_to(user).values_list("pk", flat=True))


def test_the_scope_is_the_region_subtree_read_once_per_user_object(users, places, django_assert_num_queries):
    """The subtree's ids are read once (one indexed query on Region.path) and kept on the user
    object; the big tables are filtered by their own street column, with no join to Region."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.models import Region, User
    from projects.models import CreationProject

    user = User.objects.select_related("office__region").get(username="city_shaoxing")
    with django_assert_num_queries(1):  # the subtree; querysets are lazy
        CreationProject.objects.visible_to(user)
        Community.objects.visible_to(user)
    with CaptureQueriesContext(connection) as captured:
        list(CreationProject.objects.visible_to(user).values_list("pk", flat=True))
    [sql] = [q["sql"] for q in captured.captured_queries]
    # `IN (…)`, or on PostgreSQL the same list as one array (portal.idlist)
    assert '"communities_region"' not in sql and ('"street_id" IN (' in sql or '"street_id" = ANY(' in sql)
    shaoxing = Region.objects.get(code="3306")
    assert sorted(Region.objects.filter(path__startswith=shaoxing.path).values_list("pk", flat=True)) == \
        user._scope_subtree[1]


def test_a_cached_scope_follows_new_and_moved_regions(users, places, region):
    from communities.models import Region
    from communities.services import _set_path, move_region

    district = users["district_yuecheng"]
    before = visible_ids(district)  # the subtree is now cached on the user object
    street = Region.objects.create(name="新设街道", level=Region.Level.STREET, parent=region("330602"))
    _set_path(street)
    newcomer = community(street.code or TASHAN, "新设社区")
    Community.objects.filter(pk=newcomer.pk).update(street=street)
    assert visible_ids(district) == before | {newcomer.pk}
    move_region(street, region("330604"), by=users["admin"])
    assert visible_ids(district) == before
    assert newcomer.pk not in visible_ids(users["street_tashan"])


def test_inactive_anonymous_and_officeless_users_see_nothing(users, places):
    from django.contrib.auth.models import AnonymousUser

    from communities.models import User

    assert not visible_ids(AnonymousUser())
    assert not visible_ids(User.objects.create_user(username="nobody", password="x"))
    inactive = users["city_shaoxing"]
    inactive.is_active = False
    assert not visible_ids(inactive)
