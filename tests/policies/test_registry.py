"""Which policy applies: by district code and date (DOMAIN's table of documents)."""

from datetime import date

import pytest

from policies import POLICIES, get_policy, policy_in_force
from policies.base import FactsError, NoPolicyInForce


def test_the_four_policies_are_registered_by_code():
    assert sorted(POLICIES) == ["fuyang-2021", "jiaxing-2023", "shaoxing-2019", "shaoxing-2023"]
    assert all(policy.code == code for code, policy in POLICIES.items())


def test_unknown_policy_code_is_an_error_on_policy():
    with pytest.raises(FactsError) as caught:
        get_policy("hangzhou-2020")
    assert caught.value.field == "policy"


@pytest.mark.parametrize(("district", "on", "code"), [
    ("330111", date(2021, 1, 1), "fuyang-2021"),
    ("330111", date(2030, 6, 1), "fuyang-2021"),
    ("330402", date(2023, 2, 9), "jiaxing-2023"),
    ("330483", date(2024, 1, 1), "jiaxing-2023"),
    ("330602", date(2019, 12, 27), "shaoxing-2019"),
    ("330681", date(2023, 7, 31), "shaoxing-2019"),
    ("330681", date(2023, 8, 1), "shaoxing-2023"),
    ("330624", date(2026, 1, 1), "shaoxing-2023"),
])
def test_policy_in_force_by_district_and_date(district, on, code):
    assert policy_in_force(district, on).code == code


@pytest.mark.parametrize(("district", "on"), [
    ("330111", date(2020, 12, 31)),
    ("330402", date(2023, 2, 8)),
    ("330602", date(2019, 12, 26)),
])
def test_before_the_first_policy_is_in_force_names_listed_on(district, on):
    with pytest.raises(NoPolicyInForce) as caught:
        policy_in_force(district, on)
    assert caught.value.field == "listed_on"
    assert caught.value.message


@pytest.mark.parametrize("district", ["330106", "330110", "330502", "110101"])
def test_district_outside_the_three_jurisdictions_names_district_code(district):
    with pytest.raises(FactsError) as caught:
        policy_in_force(district, date(2024, 1, 1))
    assert isinstance(caught.value, NoPolicyInForce)
    assert caught.value.field == "district_code"


@pytest.mark.parametrize("district", ["3301", "33011100", "33O111", 330111])
def test_malformed_district_code_names_district_code(district):
    with pytest.raises(FactsError) as caught:
        policy_in_force(district, date(2024, 1, 1))
    assert caught.value.field == "district_code"


def test_every_policy_knows_its_document_and_dates():
    for policy in POLICIES.values():
        assert policy.document_no and policy.title and policy.short_name
        assert policy.jurisdiction and policy.tiers
        assert policy.in_force_to is None or policy.in_force_from < policy.in_force_to
    assert get_policy("shaoxing-2019").in_force_to == date(2023, 7, 31)
