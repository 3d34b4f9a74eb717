"""simulate() against CONTRACTS §3: the example, the output's shape, bad input."""

import json

import pytest

from policies.base import FactsError, NoPolicyInForce
from policies.simulate import parse_facts, simulate

# CONTRACTS §3, copied literally.
EXAMPLE_FACTS = """
{
  "policy": "fuyang-2021",
  "district_code": "330111",
  "tier": "municipal",
  "category": "renovation",
  "involves_demolition": false,
  "involves_relocation": false,
  "listed_on": "2021-08-15",
  "task_year": 2022,
  "accepted_on": "2023-05-10",
  "named_on": null,
  "spent": "12000000.00",
  "prior_approved_for_community": [{"tier": "municipal", "approved": "10000000.00"}]
}
"""
EXAMPLE_RULINGS = """
{
  "policy": "fuyang-2021",
  "construction_deadline": {"date": "2022-08-15", "basis": "富阳 四(六)"},
  "subsidy": {
    "approved": "10000000.00",
    "payments": [
      {"kind": "advance", "amount": "7000000.00", "payer": "district", "due_on": "2022-12-31"},
      {"kind": "settlement", "amount": "3000000.00", "payer": "district", "due_on": null}
    ],
    "settlement": {"payable": "10000000.00", "borne_by_street": "2000000.00",
                   "reward": "0.00", "total": "10000000.00", "payment": "3000000.00"},
    "basis": ["富阳 五(三)"]
  },
  "warnings": [],
  "prechecks": [{"code": "merge_feasibility", "level": "info",
                 "message": "项目建议书与可行性研究报告可合并编报和审批", "basis": "绍兴2023 三(四)2"}]
}
"""


def example(**changes):
    facts = json.loads(EXAMPLE_FACTS)
    facts.update(changes)
    return facts


def test_contract_example_input_gives_exactly_the_contract_example_output():
    result = simulate(json.loads(EXAMPLE_FACTS))
    expected = json.loads(EXAMPLE_RULINGS)
    # The contract's `prechecks` line illustrates the shape (a 绍兴2023 三(四)2 check); the
    # example's Fuyang facts carry no pre-check facts, so none applies to them.
    expected["prechecks"] = []
    assert result == expected
    # same keys in the same order, same strings
    assert json.dumps(result, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


def test_rulings_are_json_serialisable_and_have_exactly_the_contract_keys():
    result = simulate(example(policy="jiaxing-2023", district_code="330402",
                              named_on="2024-05-20", spent=None, task_year=None,
                              prior_approved_for_community=[], accepted_on="2024-03-01"))
    json.dumps(result)
    assert list(result) == ["policy", "construction_deadline", "subsidy", "warnings", "prechecks"]
    assert list(result["construction_deadline"]) == ["date", "basis"]
    assert list(result["subsidy"]) == ["approved", "payments", "settlement", "basis"]
    assert list(result["subsidy"]["payments"][0]) == ["kind", "amount", "payer", "due_on"]


def test_omitted_policy_is_the_one_in_force_for_the_district_on_the_listing_date():
    facts = example()
    del facts["policy"]
    assert simulate(facts)["policy"] == "fuyang-2021"


@pytest.mark.parametrize(("listed_on", "policy"), [("2023-07-31", "shaoxing-2019"),
                                                    ("2023-08-01", "shaoxing-2023")])
def test_omitted_policy_in_shaoxing_changes_on_1_august_2023(listed_on, policy):
    facts = {"district_code": "330602", "tier": "provincial", "category": "renovation",
             "listed_on": listed_on}
    assert simulate(facts)["policy"] == policy


def test_settlement_is_null_until_spending_is_known():
    result = simulate(example(spent=None))
    assert result["subsidy"]["settlement"] is None
    assert [p["kind"] for p in result["subsidy"]["payments"]] == ["advance"]


def test_explicit_policy_outside_its_in_force_dates_is_a_warning_not_an_error():
    facts = {"policy": "shaoxing-2019", "district_code": "330602", "tier": "provincial",
             "category": "renovation", "listed_on": "2024-01-10"}
    result = simulate(facts)
    assert [w["code"] for w in result["warnings"]] == ["policy_not_in_force_on_listing"]
    assert result["warnings"][0]["basis"] == "绍政办发〔2019〕39号"


def test_params_for_is_asked_with_the_policy_code_and_the_listing_date():
    asked = []

    def params_for(code, on):
        asked.append((code, on.isoformat()))
        return {"years_renovation": 2}

    result = simulate(example(), params_for)
    assert asked == [("fuyang-2021", "2021-08-15")]
    assert result["construction_deadline"] == {"date": "2023-08-15",
                                               "basis": "管理员设定参数（富阳 四(六)）"}


def test_params_for_returning_none_means_the_documents_values():
    expected = json.loads(EXAMPLE_RULINGS)
    expected["prechecks"] = []  # no pre-check facts in the example (see the first test)
    assert simulate(example(), lambda code, on: None) == expected


# ------------------------------------------------------------------ bad input

BAD_INPUT = [
    ("unknown tier", {"tier": "national"}, "tier"),
    ("county tier under fuyang", {"tier": "county"}, "tier"),
    ("unknown category", {"category": "rebuild"}, "category"),
    ("unknown policy", {"policy": "hangzhou-2020"}, "policy"),
    ("policy for another city", {"policy": "jiaxing-2023"}, "policy"),
    ("date with slashes", {"listed_on": "2021/08/15"}, "listed_on"),
    ("date that does not exist", {"accepted_on": "2023-02-30"}, "accepted_on"),
    ("date as a number", {"named_on": 20230510}, "named_on"),
    ("money as a float", {"spent": 12000000.0}, "spent"),
    ("money with separators", {"spent": "12,000,000.00"}, "spent"),
    ("money with three decimals", {"spent": "1.005"}, "spent"),
    ("negative money", {"spent": "-5.00"}, "spent"),
    ("money in exponent form", {"spent": "1e7"}, "spent"),
    ("district outside the three jurisdictions", {"district_code": "330106"}, "district_code"),
    ("district code too short", {"district_code": "33011"}, "district_code"),
    ("district code as a number", {"district_code": 330111}, "district_code"),
    ("task year as text", {"task_year": "2022"}, "task_year"),
    ("flag as text", {"involves_demolition": "yes"}, "involves_demolition"),
    ("unknown field", {"listed_date": "2021-08-15"}, "listed_date"),
    ("prior approval as a float",
     {"prior_approved_for_community": [{"tier": "municipal", "approved": 1e7}]},
     "prior_approved_for_community[0].approved"),
    ("prior approval with an unknown tier",
     {"prior_approved_for_community": [{"tier": "city", "approved": "1.00"}]},
     "prior_approved_for_community[0].tier"),
    ("prior approvals not a list", {"prior_approved_for_community": {"tier": "municipal"}},
     "prior_approved_for_community"),
    ("accepted before listed", {"accepted_on": "2021-01-01"}, "accepted_on"),
    ("missing tier", {"tier": None}, "tier"),
    ("tier as a list", {"tier": ["municipal"]}, "tier"),
    ("category as an object", {"category": {"renovation": True}}, "category"),
    ("policy as a list", {"policy": ["fuyang-2021"]}, "policy"),
    ("hazards not a list", {"safety_hazards": "多孔预制楼板"}, "safety_hazards"),
    ("area as a float", {"area_ha": 20.5}, "area_ha"),
]


@pytest.mark.parametrize(("change", "field"), [case[1:] for case in BAD_INPUT],
                         ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_a_facts_error_naming_the_field(change, field):
    with pytest.raises(FactsError) as caught:
        simulate(example(**change))
    assert caught.value.field == field
    assert caught.value.message


@pytest.mark.parametrize("data", [[], "facts", None, 42])
def test_input_that_is_not_an_object_is_refused(data):
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    assert caught.value.field == "facts"


def test_omitted_policy_without_listing_date_is_an_error_on_listed_on():
    facts = example(listed_on=None, accepted_on=None)
    del facts["policy"]
    with pytest.raises(FactsError) as caught:
        simulate(facts)
    assert caught.value.field == "listed_on"


def test_omitted_policy_before_any_policy_was_in_force_names_listed_on():
    facts = {"district_code": "330402", "tier": "provincial", "category": "renovation",
             "listed_on": "2023-02-08"}
    with pytest.raises(NoPolicyInForce) as caught:
        simulate(facts)
    assert caught.value.field == "listed_on"


def test_county_tier_is_refused_under_shaoxing_2019_when_resolved_by_date():
    facts = {"district_code": "330602", "tier": "county", "category": "renovation",
             "listed_on": "2022-03-01"}
    with pytest.raises(FactsError) as caught:
        simulate(facts)
    assert caught.value.field == "tier"


def test_parse_facts_reads_money_as_decimal_and_fills_the_resolved_policy():
    facts = example()
    del facts["policy"]
    parsed = parse_facts(facts)
    assert parsed.policy == "fuyang-2021"
    assert str(parsed.spent) == "12000000.00"
    assert parsed.prior_approved_for_community[0][0] == "municipal"


def test_prechecks_have_exactly_the_contract_shape_and_the_documents_basis():
    # 绍兴2023 三(四)2：“对总投资在 2000 万元以下…的政府投资改造项目，可以合并编报和审批项目建议书、
    # 可行性研究报告”
    contract_line = json.loads(EXAMPLE_RULINGS)["prechecks"][0]
    result = simulate({"policy": "shaoxing-2023", "district_code": "330602", "tier": "municipal",
                       "category": "renovation", "total_investment": "20000000.00",
                       "government_funded": True, "changes_land_use": False})
    [check] = [c for c in result["prechecks"] if c["code"] == "merge_feasibility"]
    assert list(check) == list(contract_line) == ["code", "level", "message", "basis"]
    assert (check["level"], check["basis"]) == ("info", "绍兴2023 三(四)2")
    assert "合并编报和审批项目建议书、可行性研究报告" in check["message"]


def test_community_object_of_the_contract_feeds_the_prechecks():
    # 富阳 四(三)：“创建项目实施单元范围内无别墅、排屋、洋房等高档住宅”;
    # 绍兴2023 二(一)：“新建类社区和重点片区内社区均需开展省级未来社区建设”
    fuyang = simulate(example(community={"has_villas": True, "administrative_communities": 2,
                                         "split_by_barrier": False, "area_ha": "20",
                                         "in_key_area": False, "safety_hazard": False}))
    assert [(c["code"], c["level"], c["basis"]) for c in fuyang["prechecks"]] == [
        ("villas_in_unit", "block", "富阳 四(三)"),
        ("multiple_admin_communities", "warning", "富阳 四(三)")]
    shaoxing = simulate({"policy": "shaoxing-2023", "district_code": "330602", "tier": "county",
                         "category": "renovation", "community": {"in_key_area": True}})
    assert ("provincial_tier_required", "block") in [
        (c["code"], c["level"]) for c in shaoxing["prechecks"]]


def test_bad_community_fact_names_the_nested_field():
    with pytest.raises(FactsError) as error:
        parse_facts(example(community={"has_villas": "yes"}))
    assert error.value.field == "community.has_villas"
    with pytest.raises(FactsError) as error:
        parse_facts(example(community={"villas": True}))
    assert error.value.field == "community.villas"


def test_enterprise_funded_renovation_is_filed_not_approved_in_shaoxing():
    # 绍兴2023 三(四)2：“对以企业利用自有资金建设的旧改类未来社区项目，采用备案制管理。”
    result = simulate({"policy": "shaoxing-2023", "district_code": "330602", "tier": "municipal",
                       "category": "renovation", "enterprise_funded": True})
    assert {"code": "enterprise_filing", "level": "info",
            "message": "企业利用自有资金建设的旧改类未来社区项目，采用备案制管理",
            "basis": "绍兴2023 三(四)2"} in result["prechecks"]
