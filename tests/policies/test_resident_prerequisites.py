"""Acceptance prerequisites that residents' participation decides (pure policy rules)."""

from datetime import date

from policies import get_policy
from policies.base import Facts
from policies.simulate import parse_facts


def jiaxing(**facts):
    return [(c.code, c.severity, c.basis) for c in get_policy("jiaxing-2023").acceptance_prerequisites(
        Facts(district_code="330402", tier="municipal", category="renovation", **facts))]


def test_jiaxing_satisfaction_survey_must_belong_to_the_creation_period():
    # 嘉兴 二(五)13 “创建过程居民意见动态征询反馈和验收前居民满意度调研”; #16: after listing
    listed = date(2025, 3, 1)
    assert jiaxing(listed_on=listed, has_satisfaction_survey=True, satisfaction_surveyed_on=date(2025, 2, 28)) == [
        ("satisfaction_survey_before_listing", "block", "嘉兴 二(五)13")]
    assert jiaxing(listed_on=listed, has_satisfaction_survey=True, satisfaction_surveyed_on=None) == [
        ("satisfaction_survey_before_listing", "block", "嘉兴 二(五)13")]
    assert jiaxing(listed_on=listed, has_satisfaction_survey=True, satisfaction_surveyed_on=listed) == []
    assert jiaxing(listed_on=listed, has_satisfaction_survey=False, satisfaction_surveyed_on=listed) == [
        ("satisfaction_survey_missing", "block", "嘉兴 二(五)13")]


def test_shaoxing_stock_land_needs_the_recorded_consent_before_acceptance():
    # 绍兴2023 三(一) “实施方案公示7天后，经利害关系人同意，允许利用小区及周边存量土地”
    policy = get_policy("shaoxing-2023")

    def checks(**facts):
        return [(c.code, c.severity, c.basis) for c in policy.acceptance_prerequisites(
            Facts(district_code="330602", tier="municipal", category="renovation", **facts))]

    assert checks(stock_land_used=True) == [("stock_land_consent_missing", "block", "绍兴2023 三(一)")]
    assert checks(stock_land_used=True, public_notice_consented=False) == [
        ("stock_land_consent_missing", "block", "绍兴2023 三(一)")]
    assert checks(stock_land_used=True, public_notice_consented=True) == []
    assert checks(stock_land_used=False) == []


def test_simulate_reads_the_survey_date_and_the_consent():
    facts = parse_facts({"district_code": "330402", "tier": "municipal", "category": "renovation",
                         "listed_on": "2025-03-01", "satisfaction_surveyed_on": "2025-04-01",
                         "public_notice_consented": True})
    assert (facts.satisfaction_surveyed_on, facts.public_notice_consented) == (date(2025, 4, 1), True)
