"""communities.permissions (and the plumbing's portal.permissions): who may do what, as a
hand-written matrix of the demo roles, and the menu shows an item iff its page answers 200."""

import pytest

from communities import permissions
from communities.models import Community, Office, Region, User
from portal import permissions as portal_permissions
from projects.permissions import can_create_project
from tests.nav_pages import ROLES, assert_nav_matches_pages

pytestmark = pytest.mark.django_db

EVERYONE_ELSE = ["street_tashan", "district_yuecheng", "city_shaoxing", "finance_fuyang", "finance_jiaxing",
                 "leader_jiaxing"]


@pytest.mark.parametrize(("function", "allowed", "refused"), [
    (permissions.can_view_admin_logs, ["admin"], EVERYONE_ELSE),
    (permissions.can_open_admin_site, ["admin"], EVERYONE_ELSE),
    (permissions.can_import_communities, ["admin", "street_tashan", "street_fuchun"],
     ["district_yuecheng", "city_shaoxing", "finance_fuyang", "leader_jiaxing"]),
])
def test_who_may_and_may_not(users, function, allowed, refused):
    for name in allowed:
        assert function(users[name]) == (True, ""), name
    for name in refused:
        ok, reason = function(users[name])
        assert not ok and reason, name


def test_admin_logs_refusal_names_the_administrator(users):
    assert permissions.can_view_admin_logs(users["city_shaoxing"]) == (
        False, "操作日志和登录日志仅系统管理员可以查看")


def test_street_office_of_a_street_is_the_office_whose_region_is_that_street(users, region):
    tashan = region("330602001")
    assert permissions.street_office_of(users["street_tashan"], tashan.pk)
    assert not permissions.street_office_of(users["street_fuchun"], tashan.pk)
    assert not permissions.street_office_of(users["district_yuecheng"], tashan.pk)  # its region contains it
    assert not permissions.street_office_of(users["admin"], tashan.pk)


def test_a_street_kind_office_on_a_district_is_no_street_office_of_its_streets(users, region):
    """The two old readings disagreed here: the district's path prefixes every street's path, so
    the prefix reading let such an office create projects for every street of the district."""
    misplaced = Office.objects.create(name="错挂在区上的街道办", kind=Office.Kind.STREET, region=region("330602"))
    user = User.objects.create_user("misplaced_street", office=misplaced)
    community = Community.objects.create(name="塔山测试社区", street=region("330602001"))
    assert not permissions.street_office_of(user, community.street_id)
    assert can_create_project(user, community) == (False, "只能为本街道（乡镇）的社区创建项目")
    assert can_create_project(users["street_tashan"], community) == (True, "")


def test_exports_and_inbox_are_every_signed_in_users(users):
    from django.contrib.auth.models import AnonymousUser

    for name in ROLES:
        assert portal_permissions.can_view_exports(users[name]) == (True, "")
        assert portal_permissions.can_view_inbox(users[name]) == (True, "")
    assert portal_permissions.can_view_exports(AnonymousUser())[0] is False


def test_city_scope_reaches_the_whole_city_only(users):
    assert Region.objects.get(code="3306") == users["city_shaoxing"].office.region
    assert permissions.covers_a_city(users["finance_jiaxing"])
    assert not permissions.covers_a_city(users["finance_fuyang"])
    assert not permissions.covers_a_city(users["district_yuecheng"])


@pytest.mark.parametrize("role", ROLES)
def test_nav_shows_an_item_iff_its_page_answers_200(users, client, role):
    assert_nav_matches_pages("communities", users, client, role)


@pytest.mark.parametrize("role", ["street_tashan", "finance_jiaxing", "admin"])
def test_portal_nav_shows_an_item_iff_its_page_answers_200(users, client, role):
    assert_nav_matches_pages("portal", users, client, role)
