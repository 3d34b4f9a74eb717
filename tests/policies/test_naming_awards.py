"""Awards on naming: 嘉兴 三(二) (DOMAIN 6.1) and Shaoxing (DOMAIN 6.3)."""

from datetime import date
from decimal import Decimal

import pytest

from policies import get_policy
from policies.base import Facts
from policies.simulate import simulate

JIAXING = get_policy("jiaxing-2023")
SHAOXING = get_policy("shaoxing-2023")
NAMED = date(2024, 5, 20)
M = Decimal


def jiaxing(district="330402", tier="provincial", named_on=NAMED, prior=()) -> Facts:
    return Facts(policy="jiaxing-2023", district_code=district, tier=tier,
                 category="renovation", listed_on=date(2023, 3, 1),
                 accepted_on=date(2024, 4, 1) if named_on else None, named_on=named_on,
                 prior_approved_for_community=prior)


def split(ruling):
    return [(p.kind, p.payer, p.amount, p.due_on, p.trigger) for p in ruling.payments]


def test_jiaxing_city_proper_provincial_naming_is_split_half_city_half_district():
    ruling = JIAXING.subsidy(jiaxing("330402"))
    assert ruling.approved == M("6000000.00")
    assert split(ruling) == [
        ("award", "city", M("3000000.00"), NAMED, "naming:provincial"),
        ("award", "district", M("3000000.00"), NAMED, "naming:provincial"),
    ]
    assert ruling.settlement is None
    assert ruling.basis == ["嘉兴 三(二)"]
    assert ruling.warnings == []


def test_jiaxing_city_proper_municipal_naming_is_1_million_split_in_half():
    ruling = JIAXING.subsidy(jiaxing("330411", tier="municipal"))
    assert ruling.approved == M("1000000.00")
    assert [(p.payer, p.amount) for p in ruling.payments] == [
        ("city", M("500000.00")), ("district", M("500000.00"))]


def test_jiaxing_county_pays_the_whole_award_itself():
    ruling = JIAXING.subsidy(jiaxing("330421"))
    assert split(ruling) == [("award", "county", M("6000000.00"), NAMED, "naming:provincial")]


def test_jiaxing_county_may_have_its_own_amount_set_by_an_administrator():
    ruling = JIAXING.subsidy(jiaxing("330481", tier="municipal"),
                             {"county_award_municipal_330481": "800000.00"})
    assert [(p.payer, p.amount) for p in ruling.payments] == [("county", M("800000.00"))]
    assert ruling.basis == ["嘉兴 三(二)", "管理员设定参数（嘉兴 三(二) 县级财政参照执行）"]


def test_jiaxing_city_share_is_a_parameter():
    ruling = JIAXING.subsidy(jiaxing("330402"), {"city_share": "0.60"})
    assert [(p.payer, p.amount) for p in ruling.payments] == [
        ("city", M("3600000.00")), ("district", M("2400000.00"))]


def test_jiaxing_award_before_naming_is_planned_without_a_date_and_not_yet_approved():
    ruling = JIAXING.subsidy(jiaxing(named_on=None))
    assert ruling.approved is None
    assert [p.due_on for p in ruling.payments] == [None, None]
    assert sum(p.amount for p in ruling.payments) == M("6000000.00")


def test_jiaxing_provincial_after_municipal_pays_both_and_warns():
    ruling = JIAXING.subsidy(jiaxing(prior=(("municipal", M("1000000.00")),)))
    assert ruling.approved == M("6000000.00")
    assert [(w.code, w.severity) for w in ruling.warnings] == [
        ("repeated_naming_award", "warning")]
    assert ruling.warnings[0].basis.startswith("嘉兴 三(二)")


def test_jiaxing_administrator_may_cap_a_community_at_the_highest_tier():
    ruling = JIAXING.subsidy(jiaxing(prior=(("municipal", M("1000000.00")),)),
                             {"cap_repeated_naming": True})
    assert ruling.approved == M("5000000.00")
    assert [p.amount for p in ruling.payments] == [M("2500000.00"), M("2500000.00")]
    assert any(b.startswith("管理员设定参数") for b in ruling.basis)


def test_jiaxing_award_through_simulate_json_is_dated_named_on():
    result = simulate({"policy": "jiaxing-2023", "district_code": "330402",
                       "tier": "provincial", "category": "renovation",
                       "listed_on": "2023-03-01", "accepted_on": "2024-04-01",
                       "named_on": "2024-05-20"})
    assert result["construction_deadline"]["date"] is None
    assert result["subsidy"] == {
        "approved": "6000000.00",
        "payments": [
            {"kind": "award", "amount": "3000000.00", "payer": "city", "due_on": "2024-05-20"},
            {"kind": "award", "amount": "3000000.00", "payer": "district",
             "due_on": "2024-05-20"},
        ],
        "settlement": None,
        "basis": ["嘉兴 三(二)"],
    }


def test_jiaxing_county_award_through_simulate_json():
    result = simulate({"district_code": "330421", "tier": "municipal",
                       "category": "new_build", "listed_on": "2023-03-01",
                       "named_on": "2024-05-20"})
    assert result["policy"] == "jiaxing-2023"
    assert result["subsidy"]["payments"] == [
        {"kind": "award", "amount": "1000000.00", "payer": "county", "due_on": "2024-05-20"}]


# ------------------------------------------------------------------ Shaoxing


def shaoxing(district="330602", tier="municipal") -> Facts:
    return Facts(policy="shaoxing-2023", district_code=district, tier=tier,
                 category="renovation", listed_on=date(2023, 9, 1), named_on=NAMED)


@pytest.mark.parametrize("tier", ["provincial", "municipal", "county"])
def test_shaoxing_2023_without_parameters_has_no_award_rule(tier):
    assert SHAOXING.subsidy(shaoxing(tier=tier)) is None


def test_shaoxing_2023_without_parameters_simulates_subsidy_null():
    result = simulate({"district_code": "330602", "tier": "municipal",
                       "category": "renovation", "listed_on": "2023-09-01"})
    assert result["subsidy"] is None
    assert result["construction_deadline"] == {"date": "2024-09-01", "basis": "绍兴2023 二(一)"}


def test_shaoxing_2023_with_administrator_amounts_is_computed_and_says_so():
    ruling = SHAOXING.subsidy(shaoxing(), {"award_municipal": "500000.00"})
    assert ruling.approved == M("500000.00")
    assert split(ruling) == [("award", "district", M("500000.00"), NAMED, "naming:municipal")]
    assert ruling.basis == ["管理员设定参数（绍兴2023 三(二) 未规定奖补标准）"]


def test_shaoxing_2023_administrator_city_share_splits_like_jiaxing():
    params = {"award_provincial": "2000000.00", "city_proper_districts": ["330602"],
              "city_share": "0.50"}
    ruling = SHAOXING.subsidy(shaoxing(tier="provincial"), params)
    assert [(p.payer, p.amount) for p in ruling.payments] == [
        ("city", M("1000000.00")), ("district", M("1000000.00"))]


def test_shaoxing_2023_county_level_city_pays_as_county():
    ruling = SHAOXING.subsidy(shaoxing("330681", tier="county"), {"award_county": "300000.00"})
    assert [(p.payer, p.amount) for p in ruling.payments] == [("county", M("300000.00"))]


def test_shaoxing_2023_administrator_amounts_reach_simulate_through_params_for():
    result = simulate({"district_code": "330602", "tier": "municipal", "category": "renovation",
                       "listed_on": "2023-09-01", "named_on": "2024-05-20"},
                      lambda code, on: {"award_municipal": "500000.00"})
    assert result["subsidy"]["approved"] == "500000.00"
    assert result["subsidy"]["basis"] == ["管理员设定参数（绍兴2023 三(二) 未规定奖补标准）"]


def test_shaoxing_2019_land_transfer_income_is_not_a_computed_subsidy():
    facts = Facts(policy="shaoxing-2019", district_code="330602", tier="provincial",
                  category="renovation", named_on=NAMED)
    assert get_policy("shaoxing-2019").subsidy(facts) is None
