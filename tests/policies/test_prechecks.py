"""申报预审 (DOMAIN 5): each row's severity and basis, under the policy whose clause it is."""

from datetime import date
from decimal import Decimal

import pytest

from policies import get_policy
from policies.base import Facts

DISTRICT = {"fuyang-2021": "330111", "jiaxing-2023": "330402",
            "shaoxing-2019": "330602", "shaoxing-2023": "330602"}


def checks(code, params=None, category="renovation", **community):
    facts = Facts(policy=code, district_code=DISTRICT[code], tier="provincial",
                  category=category, listed_on=date(2023, 9, 1), **community)
    return [(c.code, c.severity, c.basis) for c in get_policy(code).prechecks(facts, params)]


# ------------------------------------------------------------------ 富阳 四(三)


def test_villas_in_the_unit_block_submission_in_fuyang():
    assert checks("fuyang-2021", has_villas=True) == [("villas_in_unit", "block", "富阳 四(三)")]


def test_unit_split_by_a_barrier_is_a_warning_in_fuyang():
    assert checks("fuyang-2021", split_by_barrier=True) == [
        ("split_by_barrier", "warning", "富阳 四(三)")]


def test_unit_across_administrative_communities_is_a_warning_in_fuyang():
    assert checks("fuyang-2021", admin_community_count=2) == [
        ("multiple_admin_communities", "warning", "富阳 四(三)")]
    assert checks("fuyang-2021", admin_community_count=1) == []


def test_unit_area_far_from_20_hectares_warns_only_with_an_administrator_threshold():
    assert checks("fuyang-2021", area_ha=Decimal("45")) == []
    params = {"area_tolerance": "0.50"}
    assert checks("fuyang-2021", params, area_ha=Decimal("45")) == [
        ("area_far_from_reference", "warning",
         "管理员设定参数（富阳 四(三) 仅规定20公顷左右为参考）")]
    assert checks("fuyang-2021", params, area_ha=Decimal("25")) == []
    assert checks("fuyang-2021", params, area_ha=Decimal("9.5")) != []


def test_unknown_community_facts_produce_no_checks():
    assert checks("fuyang-2021") == []


@pytest.mark.parametrize("code", ["jiaxing-2023", "shaoxing-2019", "shaoxing-2023"])
def test_fuyang_unit_rules_do_not_apply_under_other_policies(code):
    found = checks(code, has_villas=True, split_by_barrier=True, admin_community_count=3)
    assert not [c for c in found if c[2].startswith("富阳")]


# ------------------------------------------------------------------ 绍兴2023 二(一)、三(一)、三(四)


def test_permit_required_at_2_million_and_1000_square_metres_in_shaoxing():
    assert checks("shaoxing-2023", total_investment=Decimal("2000000.00"),
                  building_area=Decimal("1000")) == [
        ("construction_permit_required", "info", "绍兴2023 三(四)4")]


@pytest.mark.parametrize(("investment", "area"), [
    ("1999999.99", "5000"), ("9000000.00", "999.99"), ("1999999.99", None), (None, "10")])
def test_permit_may_be_skipped_below_either_threshold_in_shaoxing(investment, area):
    found = checks("shaoxing-2023",
                   total_investment=Decimal(investment) if investment else None,
                   building_area=Decimal(area) if area else None)
    assert found == [("construction_permit_optional", "info", "绍兴2023 三(四)4")]


def test_permit_is_not_judged_when_one_fact_is_missing_and_the_other_is_large():
    assert checks("shaoxing-2023", total_investment=Decimal("3000000.00")) == []


def test_small_government_funded_renovation_may_merge_proposal_and_feasibility_study():
    found = checks("shaoxing-2023", total_investment=Decimal("19999999.99"),
                   government_funded=True, changes_land_use=False)
    assert ("merge_feasibility", "info", "绍兴2023 三(四)2") in found


def test_merge_includes_exactly_20_million_because_yixia_includes_the_figure():
    # 绍兴2023 三(四)2：“对总投资在 2000 万元以下…的政府投资改造项目，可以合并编报和审批项目
    # 建议书、可行性研究报告” — 以下 includes the figure (the document writes “（不含）” to exclude).
    found = checks("shaoxing-2023", total_investment=Decimal("20000000.00"),
                   government_funded=True, changes_land_use=False)
    assert ("merge_feasibility", "info", "绍兴2023 三(四)2") in found
    over = checks("shaoxing-2023", total_investment=Decimal("20000000.01"),
                  government_funded=True, changes_land_use=False)
    assert "merge_feasibility" not in [c[0] for c in over]


@pytest.mark.parametrize("community", [
    {"total_investment": Decimal("100.00"), "government_funded": True, "changes_land_use": True},
    {"total_investment": Decimal("100.00"), "government_funded": False,
     "changes_land_use": False},
    {"total_investment": Decimal("100.00"), "government_funded": True},
])
def test_merge_needs_all_conditions_of_shaoxing_3_4_2(community):
    found = checks("shaoxing-2023", **community)
    assert "merge_feasibility" not in [c[0] for c in found]


def test_new_build_in_shaoxing_follows_the_provincial_evaluation_system():
    found = checks("shaoxing-2023", category="new_build")
    assert ("new_build_evaluation_system", "info", "绍兴2023 二(一)") in found


def test_renovation_approval_rules_are_not_applied_to_new_build():
    found = checks("shaoxing-2023", category="new_build", total_investment=Decimal("1.00"),
                   building_area=Decimal("1"))
    assert "construction_permit_optional" not in [c[0] for c in found]


def test_using_stock_land_needs_a_7_day_public_notice_in_shaoxing():
    facts = Facts(district_code="330602", tier="municipal", category="renovation",
                  stock_land_used=True)
    [check] = get_policy("shaoxing-2023").prechecks(facts)
    assert (check.code, check.severity, check.basis) == (
        "stock_land_public_notice", "info", "绍兴2023 三(一)")
    assert "7天" in check.message


@pytest.mark.parametrize("code", ["fuyang-2021", "jiaxing-2023", "shaoxing-2019"])
def test_shaoxing_2023_approval_rules_do_not_apply_under_other_policies(code):
    assert checks(code, total_investment=Decimal("3000000.00"), building_area=Decimal("2000"),
                  government_funded=True, changes_land_use=False, stock_land_used=True) == []


# ------------------------------------------------------------------ 嘉兴 二(五)13


def test_missing_needs_survey_is_a_warning_in_jiaxing():
    assert checks("jiaxing-2023", has_needs_survey=False) == [
        ("needs_survey_missing", "warning", "嘉兴 二(五)13")]
    assert checks("jiaxing-2023", has_needs_survey=True) == []


def test_needs_survey_is_not_checked_under_other_policies():
    assert checks("fuyang-2021", has_needs_survey=False) == []


def test_jiaxing_acceptance_requires_a_satisfaction_survey_on_file():
    policy = get_policy("jiaxing-2023")
    for on_file in (False, None):
        facts = Facts(district_code="330402", tier="municipal", category="renovation",
                      has_satisfaction_survey=on_file)
        [check] = policy.acceptance_prerequisites(facts)
        assert (check.code, check.severity, check.basis) == (
            "satisfaction_survey_missing", "block", "嘉兴 二(五)13")
    facts = Facts(district_code="330402", tier="municipal", category="renovation",
                  has_satisfaction_survey=True)
    assert policy.acceptance_prerequisites(facts) == []


@pytest.mark.parametrize("code", ["fuyang-2021", "shaoxing-2019", "shaoxing-2023"])
def test_other_policies_have_no_acceptance_prerequisite(code):
    facts = Facts(district_code=DISTRICT[code], tier="provincial", category="renovation")
    assert get_policy(code).acceptance_prerequisites(facts) == []


# ------------------------------------------------------------------ 绍兴2019 二(二)


def test_safety_hazard_in_plain_renovation_encourages_rebuilding_under_shaoxing_2019():
    assert checks("shaoxing-2019", safety_hazards=("多孔预制楼板",)) == [
        ("safety_hazard_rebuild_encouraged", "info", "绍兴2019 二(二)")]


@pytest.mark.parametrize("change", [{"involves_demolition": True}, {"rebuild": True},
                                    {"category": "new_build"}, {"safety_hazards": ()}])
def test_hazard_check_needs_a_hazard_and_renovation_without_demolition(change):
    values = {"safety_hazards": ("多孔预制楼板",), **change}
    assert checks("shaoxing-2019", **values) == []


def test_hazard_check_belongs_to_the_2019_document_only():
    assert checks("shaoxing-2023", safety_hazards=("多孔预制楼板",)) == []
