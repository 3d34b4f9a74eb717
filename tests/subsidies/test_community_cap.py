"""The community cap (DOMAIN §6.2 “同一个社区创建补助以创建的最高级别对应的补助额为上限; a later
higher tier gets only the top-up”) has one owner, computation.community_rulings: the statement
page rules a project exactly as the nightly run does, against the A the rules give the
projects decided before it — not against whatever approvals happen to be on file."""

import datetime as dt

import pytest

from subsidies.models import ApprovedSubsidy, Payment
from subsidies.statements import settlement_statement
from tests.world import money

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2023, 12, 1)


@pytest.fixture
def f4_community(drive, community_at):
    """DOMAIN §6.2 F4: municipal accepted in its task year (A 10,000,000), then provincial."""
    community = community_at("330111001", "封顶测试社区")
    municipal = drive("fuyang", "municipal", community=community, listed_on=D(2021, 8, 15), task_year=2022,
                      accepted_on=D(2022, 6, 20), spent="8000000")
    provincial = drive("fuyang", "provincial", community=community, listed_on=D(2022, 10, 1), task_year=2023,
                       accepted_on=D(2023, 10, 1), spent="2000000")
    return municipal, provincial


def test_page_caps_the_later_higher_tier_before_any_approval_is_on_file(f4_community):
    municipal, provincial = f4_community
    assert not ApprovedSubsidy.objects.exists()  # the run has not yet filed the municipal A
    # Counting only approvals on file, the page used to show the provincial project the full
    # 12,000,000.00 beside the municipal 10,000,000.00: 22,000,000 for one community.
    statement = settlement_statement(provincial, TODAY)
    assert statement.line("approved").amount == money("2000000")
    assert statement.line("settlement").amount == money("2000000")
    assert "至多核定补差2000000.00元" in statement.line("approved").basis
    assert settlement_statement(municipal, TODAY).line("approved").amount == money("10000000")


def test_nightly_run_files_what_the_page_showed(f4_community, compute):
    municipal, provincial = f4_community
    shown = {p.pk: settlement_statement(p, TODAY).line("approved").amount for p in f4_community}
    compute(TODAY)
    filed = dict(ApprovedSubsidy.objects.values_list("project_id", "amount"))
    assert filed == shown == {municipal.pk: money("10000000"), provincial.pk: money("2000000")}
    assert list(Payment.objects.filter(project=provincial).values_list("kind", "amount")) == [
        ("settlement", money("2000000"))]


def test_stale_approval_on_file_does_not_decide_the_page(f4_community, compute):
    municipal, provincial = f4_community
    compute(TODAY)
    # a lagging ledger: the municipal A on file is not what the rules give it today
    ApprovedSubsidy.objects.filter(project=municipal).update(amount=money("4000000"))
    assert settlement_statement(provincial, TODAY).line("approved").amount == money("2000000")
