"""计划与考核 (DOMAIN 7) as data with basis."""

from decimal import Decimal

import pytest

from policies import POLICIES, get_policy

KEYS = ["key", "label", "scope", "district_code", "tier", "measure", "target", "period", "year",
        "basis"]


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_every_quota_has_the_same_keys_and_a_basis(code):
    quotas = POLICIES[code].quotas()
    assert quotas
    for quota in quotas:
        assert list(quota) == KEYS
        assert quota["basis"] and quota["label"]
        assert quota["scope"] in {"street", "district", "city"}
        assert quota["period"] in {"per_year", "cumulative"}


def by_key(code, key, year=None):
    return [q for q in get_policy(code).quotas()
            if q["key"] == key and (year is None or q["year"] == year)]


def test_shaoxing_2019_every_district_one_provincial_pilot_by_2021():
    [quota] = by_key("shaoxing-2019", "provincial_pilot_per_district")
    assert (quota["target"], quota["year"], quota["basis"]) == (1, 2021, "绍兴2019 二(二)")


def test_shaoxing_2023_annual_plan_adds_up_to_the_documents_303():
    plan = by_key("shaoxing-2023", "annual_plan")
    assert len(plan) == 6 * 4 * 3
    total = {tier: sum(q["target"] for q in plan if q["tier"] == tier)
             for tier in ("provincial", "municipal", "county")}
    assert total == {"provincial": 127, "municipal": 57, "county": 57}
    assert sum(total.values()) + 62 == by_key("shaoxing-2023", "planned_total")[0]["target"]
    yuecheng_2023 = [q for q in plan if q["district_code"] == "330602" and q["year"] == 2023]
    assert [q["target"] for q in yuecheng_2023] == [17, 5, 7]


def test_shaoxing_2023_coverage_and_street_targets():
    assert by_key("shaoxing-2023", "urban_coverage")[0]["target"] == Decimal("0.88")
    assert by_key("shaoxing-2023", "municipal_per_street")[0]["target"] == 1
    assert by_key("shaoxing-2023", "municipal_per_street_10_plus_communities")[0]["target"] == 2
    assert by_key("shaoxing-2023", "linked_old_estate_share")[0]["target"] == Decimal("0.50")
    assert by_key("shaoxing-2023", "old_town_areas")[0]["target"] == 9
    assert by_key("shaoxing-2023", "old_town_units")[0]["target"] == 18


def test_jiaxing_cumulative_targets_for_2023_and_2025():
    targets = {(q["key"], q["year"]): q["target"] for q in get_policy("jiaxing-2023").quotas()}
    assert targets[("provincial_created", 2023)] == 120
    assert targets[("provincial_built", 2023)] == 20
    assert targets[("municipal_named", 2023)] == 50
    assert targets[("provincial_created", 2025)] == 260
    assert targets[("provincial_built", 2025)] == 50
    assert targets[("municipal_named", 2025)] == 200
    assert targets[("provincial_coverage", 2025)] == Decimal("0.60")
    assert by_key("jiaxing-2023", "applications_per_street")[0]["period"] == "per_year"


def test_fuyang_every_street_completes_one_project_by_2023_from_a_17_project_library():
    assert by_key("fuyang-2021", "completed_per_street")[0]["year"] == 2023
    # 三：“拟定17个未来社区创建项目（详见附件1）”; the library itself is fixtures/fuyang_rolling_library.csv
    assert by_key("fuyang-2021", "rolling_library")[0]["target"] == 17


def test_quotas_returned_are_copies():
    policy = get_policy("jiaxing-2023")
    policy.quotas()[0]["target"] = 999
    assert policy.quotas()[0]["target"] == 1
