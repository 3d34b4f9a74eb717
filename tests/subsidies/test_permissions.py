"""subsidies.permissions: the ledger and 核定/拨付, as a hand-written matrix of the demo roles;
the menu shows an item iff its page answers 200."""

import datetime as dt

import pytest
from django.utils import timezone

from subsidies import permissions
from subsidies.models import Payment
from tests.nav_pages import ROLES, assert_nav_matches_pages
from tests.projects.factories import bulk_projects

pytestmark = pytest.mark.django_db
LEDGER_REFUSED = "奖补资金台账供财政局和风貌办使用；街道（乡镇）请在项目页面查看本项目的奖补资金和决算表"


def payment(street_code, payer):
    project = bulk_projects(street_code, 1, accepted_on=dt.date(2025, 6, 1))[0]
    return Payment.objects.create(project=project, kind="award", payer=payer, trigger="t", amount=1,
                                  fiscal_year=2025, basis="测试", computed_at=timezone.now())


def test_the_ledger_is_read_by_finance_and_the_reviewing_offices(users):
    for name in ("finance_fuyang", "finance_jiaxing", "district_fuyang", "district_yuecheng", "city_shaoxing",
                 "leader_jiaxing", "admin"):
        assert permissions.can_view_ledger(users[name]) == (True, ""), name
    for name in ("street_fuchun", "street_tashan", "street_jianshe"):
        assert permissions.can_view_ledger(users[name]) == (False, LEDGER_REFUSED), name


def test_only_the_paying_finance_bureau_handles_a_payment(users):
    district_share = payment("330111001", "district")
    assert permissions.can_handle(users["finance_fuyang"], district_share) == (True, "")
    assert permissions.can_handle(users["district_fuyang"], district_share) == (
        False, "只有财政局可以核定或拨付奖补资金")
    assert permissions.can_handle(users["street_fuchun"], district_share)[0] is False
    city_share = payment("330402007", "city")
    assert permissions.can_handle(users["finance_jiaxing"], city_share) == (True, "")
    ok, reason = permissions.can_handle(users["finance_jiaxing"], payment("330402007", "district"))
    assert not ok and "嘉兴市财政局不能核定或拨付" in reason


def test_street_ledger_page_is_refused_with_the_reason_and_its_statement_stays(client_for):
    client = client_for("street_fuchun")
    for url in ("/subsidies/", "/subsidies/summary/"):
        response = client.get(url)
        assert response.status_code == 403 and LEDGER_REFUSED in response.content.decode(), url
    own = payment("330111001", "district").project
    assert client.get(f"/subsidies/projects/{own.pk}/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_nav_shows_an_item_iff_its_page_answers_200(users, client, role):
    assert_nav_matches_pages("subsidies", users, client, role)
